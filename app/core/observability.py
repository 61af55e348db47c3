"""A bus middleware that records, for every handler call, its duration and outcome."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from app.core.bus import CallNext, Handler, Middleware, handler_name
from app.core.messages import Command, Message

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Dispatch:
    message: str
    kind: Literal["command", "event"]
    handler: str
    seconds: float
    outcome: Literal["ok", "error"]


DispatchObserver = Callable[[Dispatch], None]


def log_dispatch(dispatch: Dispatch) -> None:
    logger.debug(
        "%s %s by %s: %s in %.1f ms",
        dispatch.kind,
        dispatch.message,
        dispatch.handler,
        dispatch.outcome,
        dispatch.seconds * 1000,
    )


def record_dispatches(
    *observers: DispatchObserver, timer: Callable[[], float] = time.perf_counter
) -> Middleware:
    """Middleware telling each observer (logs, Prometheus) how every handler call went."""

    async def middleware(message: Message, handler: Handler, call_next: CallNext) -> Any:
        started = timer()
        outcome: Literal["ok", "error"] = "error"
        try:
            result = await call_next()
            outcome = "ok"
            return result
        finally:
            dispatch = Dispatch(
                message=type(message).__name__,
                kind="command" if isinstance(message, Command) else "event",
                handler=handler_name(handler),
                seconds=timer() - started,
                outcome=outcome,
            )
            for observe in observers:
                observe(dispatch)

    return middleware
