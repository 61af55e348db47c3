"""One structured-output call to Gemini: send, classify the failure, parse, log one line.

Retries happen inside google-genai (``HttpRetryOptions``); by the time an error reaches this
module, every allowed attempt has failed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import aiohttp
import httpx2
from google import genai
from google.genai import errors, types

from app.core.ai import AIUsage
from app.core.errors import AIUnavailable
from app.shared.gemini.answers import Blocked, Malformed, UnusableAnswer, json_object
from app.shared.gemini.models import lookup
from app.shared.gemini.request import Task, generation_config

logger = logging.getLogger(__name__)

T = TypeVar("T")

# google-genai's async client talks through aiohttp when it is installed, httpx2 otherwise.
_CONNECTION_ERRORS = (aiohttp.ClientError, httpx2.TransportError, ConnectionError)
# Rate limits and overloads are worth a retry; 501 and 4xx other than 429 never heal.
RETRIED_STATUSES = (429, 500, 502, 503, 504)

# Told the task's name and the tokens of every answered call (metrics, cost).
UsageObserver = Callable[[str, AIUsage], None]

# What a call validates: its config and parts on the way out, the answer on the way back.
# google-genai builds each pydantic type on its first use (`defer_build`), which cost the
# bot's first /debrief after a start about 50 ms of CPU on a quiet machine and 240 ms on a
# busy one, before its request left (docs/performance.md, Interactions).
_CALL_TYPES = (
    types.GenerateContentConfig,
    types.ThinkingConfig,
    types.AutomaticFunctionCallingConfig,
    types.Part,
    types.Blob,
    types.File,
    types.Content,
    types.UserContent,
    types._GenerateContentParameters,
    types.HttpResponse,
    types.GenerateContentResponse,
    types.Candidate,
    types.GenerateContentResponseUsageMetadata,
    types.ModalityTokenCount,
)


def ignore_usage(task: str, usage: AIUsage) -> None:
    """The observer when nobody counts tokens."""


class GeminiCaller:
    """Sends tasks to one model and returns parsed answers with their token usage."""

    def __init__(
        self,
        client: genai.Client,
        *,
        model: str,
        attempts: int,
        on_usage: UsageObserver = ignore_usage,
    ) -> None:
        self._client = client
        self._model = model
        self._known = lookup(model)
        self._attempts = attempts
        self._on_usage = on_usage

    @property
    def model(self) -> str:
        return self._model

    def warm_up(self) -> None:
        """Build google-genai's types of a call now, so the first call does not."""
        for call_type in _CALL_TYPES:
            call_type.model_rebuild()

    async def ask(
        self,
        task: Task,
        contents: Sequence[types.Part | str],
        parse: Callable[[Mapping[str, Any]], T],
    ) -> tuple[T, AIUsage]:
        """Raise AIUnavailable when Gemini can't be reached, UnusableAnswer when it answers
        with nothing usable."""
        started = time.monotonic()
        response = await self._send(task, contents, started)
        usage = _usage(self._model, response.usage_metadata)
        # Billed whether or not the answer turns out usable.
        self._on_usage(task.name, usage)
        try:
            parsed = parse(json_object(_text_of(response)))
        except UnusableAnswer as problem:
            self._log(problem.log_level, task, f"unusable ({problem.reason})", started, usage)
            raise
        self._log(logging.INFO, task, "ok", started, usage)
        return parsed, usage

    async def _send(
        self, task: Task, contents: Sequence[types.Part | str], started: float
    ) -> types.GenerateContentResponse:
        config = generation_config(task, self._known)
        parts: list[types.PartUnion] = list(contents)
        try:
            return await self._client.aio.models.generate_content(
                model=self._model, contents=parts, config=config
            )
        except errors.APIError as error:
            # Other 4xx are not transient: a bad key, a bad request. Someone must look.
            level = logging.WARNING if error.code in RETRIED_STATUSES else logging.ERROR
            self._log(level, task, f"HTTP {error.code} {error.status}", started)
            raise AIUnavailable() from error
        except TimeoutError as error:
            self._log(logging.WARNING, task, "timed out", started)
            raise AIUnavailable() from error
        except _CONNECTION_ERRORS as error:
            self._log(logging.WARNING, task, f"unreachable ({type(error).__name__})", started)
            raise AIUnavailable() from error
        except RecursionError:
            # With a response schema the SDK itself json.loads the answer and lets only
            # ValueError through silently: an answer nested thousands deep surfaces here.
            problem = Malformed("answer nested too deep to read")
            self._log(problem.log_level, task, f"unusable ({problem.reason})", started)
            raise problem from None

    def _log(
        self,
        level: int,
        task: Task,
        outcome: str,
        started: float,
        usage: AIUsage | None = None,
    ) -> None:
        # Never the prompt, the answer or the key: only what an operator needs to see.
        tokens = (
            ""
            if usage is None
            else f" tokens={usage.prompt_tokens}+{usage.output_tokens}"
            f" thoughts={usage.thoughts_tokens}"
        )
        logger.log(
            level,
            "gemini %s model=%s outcome=%s elapsed_ms=%d max_attempts=%d%s",
            task.name,
            self._model,
            outcome,
            (time.monotonic() - started) * 1000,
            self._attempts,
            tokens,
        )


def _text_of(response: types.GenerateContentResponse) -> str:
    feedback = response.prompt_feedback
    if feedback is not None and feedback.block_reason is not None:
        raise Blocked(f"prompt blocked ({feedback.block_reason.value})")
    text = response.text
    if not text:
        candidates = response.candidates or []
        finish = candidates[0].finish_reason if candidates else None
        raise Blocked(f"no text (finish reason {finish.value if finish else 'none'})")
    return text


def _usage(model: str, metadata: types.GenerateContentResponseUsageMetadata | None) -> AIUsage:
    if metadata is None:
        return AIUsage(model)
    thoughts = metadata.thoughts_token_count or 0
    # Thinking tokens are billed as output.
    output = (metadata.candidates_token_count or 0) + thoughts
    return AIUsage(
        model,
        prompt_tokens=metadata.prompt_token_count or 0,
        output_tokens=output,
        thoughts_tokens=thoughts,
    )
