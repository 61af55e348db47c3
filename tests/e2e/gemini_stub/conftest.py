"""A running Gemini stub and real google-genai clients pointed at it."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Callable

import pytest
from google import genai
from google.genai import types
from PIL import Image

from devtools.gemini_stub import GeminiStub

API_KEY = "test-gemini-key"
MODEL = "gemini-2.5-flash"

ClientFactory = Callable[..., genai.Client]


@pytest.fixture
async def stub() -> AsyncIterator[GeminiStub]:
    async with GeminiStub(api_key=API_KEY) as running:
        yield running


@pytest.fixture
async def make_client(stub: GeminiStub) -> AsyncIterator[ClientFactory]:
    """Build real clients against the stub; extra keywords go to ``HttpOptions``."""
    clients: list[genai.Client] = []

    def factory(*, api_key: str = API_KEY, **http_options: object) -> genai.Client:
        options = types.HttpOptions(base_url=stub.base_url, **http_options)
        client = genai.Client(api_key=api_key, http_options=options)
        clients.append(client)
        return client

    yield factory
    for client in clients:
        await client.aio.aclose()


@pytest.fixture
def client(make_client: ClientFactory) -> genai.Client:
    return make_client()


def png_bytes(width: int, height: int, color: tuple[int, int, int] = (10, 20, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()
