"""The session Gemini calls go through needs no thread of the event loop's default executor.

google-genai's own aiohttp session trusts the environment, so aiohttp looked up ~/.netrc and
the proxy variables on that executor for every request: under a burst of debriefs, a call
waited there behind everything else while its timeout ran. `open_gemini` gives it a session
that reads the environment once, at start-up.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import NoReturn

import pytest

from app.core.ai import DebriefText
from app.shared.gemini import GeminiAI, build_gemini, open_gemini
from app.shared.settings import Settings
from devtools.gemini_stub import GeminiStub, JsonAnswer, Match, Rule

from .conftest import API_KEY, FAST_RETRIES, gemini_settings
from .test_failures import DEBRIEF, FACTS

OpenAI = Callable[[Settings], AbstractAsyncContextManager[GeminiAI]]


class NoDefaultExecutor(ThreadPoolExecutor):
    def submit(self, *args: object, **kwargs: object) -> NoReturn:
        raise AssertionError("the event loop's default executor was used")


@asynccontextmanager
async def genai_session(settings: Settings) -> AsyncIterator[GeminiAI]:
    ai = build_gemini(settings, retry=FAST_RETRIES)
    try:
        yield ai
    finally:
        await ai.aclose()


def write_debriefs_without_a_default_executor(opened: OpenAI) -> list[DebriefText]:
    async def calls() -> list[DebriefText]:
        async with GeminiStub(api_key=API_KEY) as stub:
            stub.add_rule(Rule.always(Match(), JsonAnswer(DEBRIEF)))
            # Set once the stub runs: starting it may use the executor, the calls may not.
            loop = asyncio.get_running_loop()
            loop.set_default_executor(NoDefaultExecutor(max_workers=1))
            async with opened(gemini_settings(stub)) as ai:
                return await asyncio.gather(*(ai.write_debrief(FACTS) for _ in range(3)))

    # A loop of its own, so the refusing executor never reaches another test.
    return asyncio.run(calls())


def test_gemini_calls_use_no_thread_of_the_default_executor() -> None:
    written = write_debriefs_without_a_default_executor(
        lambda settings: open_gemini(settings, retry=FAST_RETRIES)
    )

    assert [text.headline for text in written] == [DEBRIEF["headline"]] * 3


def test_google_genai_s_own_session_would_use_it() -> None:
    """Why `open_gemini` brings its own session: the same calls on genai's fail here."""
    with pytest.raises(AssertionError, match="default executor"):
        write_debriefs_without_a_default_executor(genai_session)
