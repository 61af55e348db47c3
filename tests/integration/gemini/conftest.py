"""The Gemini adapter against the real Gemini stub, through the real google-genai client.

These tests need no database: the parent conftest's autouse fixtures, which clean the
collections and explain every query, are replaced here by ones that do nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Callable, Iterator

import pytest

from app.core.ai import PreparedImage
from app.shared.gemini import GeminiAI, RetryPolicy, build_gemini
from app.shared.gemini.calls import UsageObserver, ignore_usage
from app.shared.gemini.models import DEFAULT_MODEL
from app.shared.images import PillowImagePreparer
from app.shared.settings import Environment, Settings
from devtools.gemini_stub import GeminiStub
from devtools.samples import SampleFile, load_manifest

API_KEY = "AIzaSy-test-only-0123456789abcdef"
MODEL = DEFAULT_MODEL
FAST_RETRIES = RetryPolicy(attempts=3, initial_delay_s=0.01, max_delay_s=0.02, jitter_s=0)

AIFactory = Callable[..., GeminiAI]

SCOREBOARD = load_manifest().of_kind("scoreboard")[0]
READABLE = {**SCOREBOARD.answer, "readable": True}


@pytest.fixture(autouse=True)
def clean_collections() -> None:
    """No database here: nothing to clean."""


@pytest.fixture(autouse=True)
def every_query_uses_an_index() -> None:
    """No database here: no queries to explain."""


@pytest.fixture
async def stub() -> AsyncIterator[GeminiStub]:
    async with GeminiStub(api_key=API_KEY) as running:
        yield running


def gemini_settings(stub: GeminiStub, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "debrief_env": Environment.DEVELOPMENT,
        "gemini_api_key": API_KEY,
        "gemini_model": MODEL,
        "gemini_base_url": stub.base_url,
        "gemini_timeout_ms": 10_000,
        **overrides,
    }
    return Settings(_env_file=None, **values)


@pytest.fixture
async def make_ai(stub: GeminiStub) -> AsyncIterator[AIFactory]:
    """Build adapters from settings pointed at the stub; keywords override settings."""
    built: list[GeminiAI] = []

    def factory(
        *,
        retry: RetryPolicy = FAST_RETRIES,
        on_usage: UsageObserver = ignore_usage,
        **overrides: object,
    ) -> GeminiAI:
        ai = build_gemini(gemini_settings(stub, **overrides), retry=retry, on_usage=on_usage)
        built.append(ai)
        return ai

    yield factory
    for ai in built:
        await ai.aclose()


@pytest.fixture
def ai(make_ai: AIFactory) -> GeminiAI:
    return make_ai()


@pytest.fixture(scope="session")
def preparer() -> PillowImagePreparer:
    return PillowImagePreparer()


@pytest.fixture
def scoreboard(preparer: PillowImagePreparer) -> PreparedImage:
    return prepare(preparer, SCOREBOARD)


@pytest.fixture
def no_stub_problems(stub: GeminiStub) -> Iterator[None]:
    """Fail a test whose programmed answers break the schema the adapter sent."""
    yield
    assert stub.problems == ()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def prepare(preparer: PillowImagePreparer, sample: SampleFile) -> PreparedImage:
    return preparer.prepare(sample.read_bytes(), "image/png")
