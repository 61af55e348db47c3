"""The message bus: one handler per command, any number of subscribers per event.

A command's error reaches the caller. An event subscriber's error is logged once, with its
traceback, and does not stop the other subscribers: a failed Discord or Gemini side effect must
never undo work that is already saved. Events emitted while handling are queued and processed
in the order they were emitted, after the handler that emitted them has finished, and also when
it then fails: an event records something that already happened (a saved match, a setting
turned off), which a later failure does not take back.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Protocol

from app.core.messages import Command, Event, Message

logger = logging.getLogger(__name__)

Emit = Callable[[Event], None]


class Handler(Protocol):
    """A handler with its dependencies already bound; the bus supplies the message and `emit`."""

    def __call__(self, message: Any, /, *, emit: Emit) -> Awaitable[Any]: ...


CallNext = Callable[[], Awaitable[Any]]


class Middleware(Protocol):
    """Wraps every handler call, e.g. to time it and record its outcome."""

    def __call__(
        self, message: Message, handler: Handler, call_next: CallNext
    ) -> Awaitable[Any]: ...


class NoHandler(LookupError):
    """A programming error: a command was sent that no handler is registered for."""


class MessageBus:
    def __init__(
        self,
        command_handlers: Mapping[type[Command], Handler],
        event_handlers: Mapping[type[Event], Sequence[Handler]],
        middleware: Sequence[Middleware] = (),
    ) -> None:
        self._command_handlers = dict(command_handlers)
        self._event_handlers = {kind: tuple(hs) for kind, hs in event_handlers.items()}
        self._middleware = tuple(middleware)

    async def handle(self, command: Command) -> Any:
        """Run the command's handler, then every event it caused; return the handler's result."""
        try:
            handler = self._command_handlers[type(command)]
        except KeyError:
            raise NoHandler(f"no handler registered for {type(command).__name__}") from None
        queue: deque[Event] = deque()
        try:
            return await self._call(handler, command, queue.append)
        finally:
            await self._drain(queue)

    async def publish(self, event: Event) -> None:
        """Deliver an event that arrived from outside a command (e.g. replayed from the outbox)."""
        await self._drain(deque([event]))

    async def _drain(self, queue: deque[Event]) -> None:
        while queue:
            event = queue.popleft()
            for subscriber in self._event_handlers.get(type(event), ()):
                try:
                    await self._call(subscriber, event, queue.append)
                except Exception:
                    logger.exception(
                        "subscriber %s failed on %s", handler_name(subscriber), type(event).__name__
                    )

    async def _call(self, handler: Handler, message: Message, emit: Emit) -> Any:
        async def innermost() -> Any:
            return await handler(message, emit=emit)

        call_next: CallNext = innermost
        for middleware in reversed(self._middleware):
            call_next = _bind(middleware, message, handler, call_next)
        return await call_next()


def _bind(
    middleware: Middleware, message: Message, handler: Handler, call_next: CallNext
) -> CallNext:
    async def step() -> Any:
        return await middleware(message, handler, call_next)

    return step


def handler_name(handler: Handler) -> str:
    """The name of the function behind an injected handler, for logs and metrics."""
    target = getattr(handler, "func", handler)
    return str(getattr(target, "__qualname__", repr(target)))
