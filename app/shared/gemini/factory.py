"""Build `GeminiAI` from the settings: key, model, base URL, timeout and retries."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

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


def build_gemini(
    settings: Settings,
    *,
    retry: RetryPolicy | None = None,
    on_usage: UsageObserver = ignore_usage,
) -> GeminiAI:
    """A `GeminiAI` for ``settings.gemini_model``; connects on the first call, not here.

    Warns when the model is deprecated, shut down or unknown to Debrief.
    """
    if settings.gemini_api_key is None:
        raise SettingsError("GEMINI_API_KEY: required to read screenshots and write debriefs.")
    warning = model_warning(settings.gemini_model, datetime.now(UTC).date())
    if warning is not None:
        logger.warning("%s", warning)
    policy = retry or RetryPolicy()
    http_options = types.HttpOptions(
        api_version=API_VERSION, timeout=settings.gemini_timeout_ms, retry_options=policy.options()
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
