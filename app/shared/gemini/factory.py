"""Build `GeminiAI` from the settings: key, model, base URL, timeout and retries."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp
import yarl
from aiohttp.helpers import get_env_proxy_for_url
from google import genai
from google.genai import types

from app.shared.gemini.adapter import GeminiAI
from app.shared.gemini.calls import RETRIED_STATUSES, UsageObserver, ignore_usage
from app.shared.gemini.models import API_VERSION, model_warning
from app.shared.settings import Settings, SettingsError

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How google-genai retries a failed call.

    Three attempts with delays of about 0.5 s and 1 s (plus up to 0.25 s of jitter) keep a
    user waiting at most a few seconds beyond the timeouts before they are told to try
    again. ``GEMINI_TIMEOUT_MS`` applies to each attempt, not to all of them together.
    """

    attempts: int = 3
    initial_delay_s: float = 0.5
    max_delay_s: float = 4.0
    jitter_s: float = 0.25

    def options(self) -> types.HttpRetryOptions:
        return types.HttpRetryOptions(
            attempts=self.attempts,
            initial_delay=self.initial_delay_s,
            max_delay=self.max_delay_s,
            jitter=self.jitter_s,
            http_status_codes=list(RETRIED_STATUSES),
        )


GEMINI_API = "https://generativelanguage.googleapis.com"
# google-genai's own read buffer (`_api_client.READ_BUFFER_SIZE`): answers arrive whole.
GENAI_READ_BUFFER = 2**22


@asynccontextmanager
async def open_gemini(
    settings: Settings,
    *,
    retry: RetryPolicy | None = None,
    on_usage: UsageObserver | None = None,
) -> AsyncIterator[GeminiAI]:
    """`build_gemini` on an aiohttp session of our own, closed on exit.

    google-genai's own session trusts the environment (`trust_env=True`): for every request,
    aiohttp then looks up ~/.netrc and the proxy variables on the event loop's default
    executor, so under load a Gemini call waited behind whatever queued there while its
    timeout ran. Ours reads the proxy variables once, here, and ~/.netrc never (the API key
    travels in a header); like genai's, it has no limit on connections.
    """
    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0), trust_env=False, read_bufsize=GENAI_READ_BUFFER
    )
    try:
        proxy = _proxy_from_environment(settings.gemini_base_url or GEMINI_API)
        gemini = build_gemini(
            settings,
            retry=retry,
            on_usage=on_usage or ignore_usage,
            session=session,
            proxy=proxy,
        )
        try:
            yield gemini
        finally:
            await gemini.aclose()
    finally:
        await session.close()


def build_gemini(
    settings: Settings,
    *,
    retry: RetryPolicy | None = None,
    on_usage: UsageObserver = ignore_usage,
    session: aiohttp.ClientSession | None = None,
    proxy: dict[str, Any] | None = None,
) -> GeminiAI:
    """A `GeminiAI` for ``settings.gemini_model``; connects on the first call, not here.

    Warns when the model is deprecated, shut down or unknown to Debrief. With `session`,
    requests go through it (the caller closes it), and through the proxy `proxy` names if
    given; without, through google-genai's own session (see `open_gemini`)."""
    if settings.gemini_api_key is None:
        raise SettingsError("GEMINI_API_KEY: required to read screenshots and write debriefs.")
    warning = model_warning(settings.gemini_model, datetime.now(UTC).date())
    if warning is not None:
        logger.warning("%s", warning)
    policy = retry or RetryPolicy()
    http_options = types.HttpOptions(
        api_version=API_VERSION,
        timeout=settings.gemini_timeout_ms,
        retry_options=policy.options(),
        aiohttp_client=session,
        async_client_args=proxy,
    )
    if settings.gemini_base_url:
        http_options.base_url = settings.gemini_base_url
    client = genai.Client(
        vertexai=False,
        api_key=settings.gemini_api_key.get_secret_value(),
        http_options=http_options,
    )
    return GeminiAI(
        client, model=settings.gemini_model, attempts=policy.attempts, on_usage=on_usage
    )


def _proxy_from_environment(url: str) -> dict[str, Any] | None:
    """aiohttp's request arguments for the proxy that HTTPS_PROXY and friends name for
    `url` (NO_PROXY honoured), if any."""
    try:
        proxy, auth = get_env_proxy_for_url(yarl.URL(url))
    except LookupError:
        return None
    return {"proxy": str(proxy), "proxy_auth": auth}
