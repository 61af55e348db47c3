"""``GeminiStub``: a local, programmable stand-in for the Gemini API on loopback."""

from __future__ import annotations

from types import TracebackType

from aiohttp import web

from devtools.gemini_stub.contract import MAX_INLINE_BYTES
from devtools.gemini_stub.control import ControlApi, validation_errors_as_422
from devtools.gemini_stub.gemini_api import GeminiEndpoints, server_max_request_bytes
from devtools.gemini_stub.rulebook import UNPROGRAMMED, RuleBook, RuleState
from devtools.gemini_stub.rules import Answer, Rule
from devtools.gemini_stub.state import Clock, RecordedRequest, StubState, utc_now
from devtools.gemini_stub.tokens import UsageTotals

DEFAULT_API_KEY = "stub-gemini-key"


class GeminiStub:
    """Serve ``generateContent``/``countTokens`` from programmed rules, recording usage.

    Use as ``async with GeminiStub(api_key=...) as stub:`` and point
    ``genai.Client(http_options=HttpOptions(base_url=stub.base_url))`` at it. Nothing
    listens until ``start()``; port 0 picks a free port, read back from ``port``.
    """

    def __init__(
        self,
        *,
        api_key: str = DEFAULT_API_KEY,
        host: str = "127.0.0.1",
        port: int = 0,
        default_answer: Answer = UNPROGRAMMED,
        clock: Clock = utc_now,
        max_inline_bytes: int = MAX_INLINE_BYTES,
    ) -> None:
        """``max_inline_bytes`` is Gemini's limit unless a test needs a smaller one to stay
        quick; the refusal is the same."""
        self.api_key = api_key
        self._max_inline_bytes = max_inline_bytes
        self._host = host
        self._requested_port = port
        self._state = StubState(RuleBook(default_answer), clock)
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    def build_app(self) -> web.Application:
        """The aiohttp application, for callers that host it themselves."""
        app = web.Application(
            client_max_size=server_max_request_bytes(self._max_inline_bytes),
            middlewares=[validation_errors_as_422],
        )
        endpoints = GeminiEndpoints(self._state, self.api_key, self._max_inline_bytes)
        app.add_routes(endpoints.routes())
        app.add_routes(ControlApi(self._state).routes())
        return app

    async def start(self) -> None:
        if self._runner is not None:
            raise RuntimeError("the Gemini stub is already running")
        # Cancelling handlers whose client left ends latency sleeps after a client
        # timeout, so stopping the stub never waits for them.
        runner = web.AppRunner(self.build_app(), handler_cancellation=True, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self._host, self._requested_port)
        await site.start()
        self._runner = runner
        self._port = _bound_port(runner)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            self._port = None

    async def __aenter__(self) -> GeminiStub:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the Gemini stub is not running")
        return self._port

    @property
    def base_url(self) -> str:
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self.port}"

    def add_rule(self, rule: Rule) -> str:
        """Program an answer; the newest matching rule wins. Returns the rule's id."""
        return self._state.add_rule(rule)

    def set_default_answer(self, answer: Answer) -> None:
        """What to answer when no rule matches (an unmistakable 501 by default)."""
        self._state.set_default_answer(answer)

    @property
    def requests(self) -> tuple[RecordedRequest, ...]:
        return self._state.requests

    @property
    def usage(self) -> UsageTotals:
        return self._state.usage

    @property
    def problems(self) -> tuple[str, ...]:
        """Programming mistakes seen so far, e.g. an answer that breaks the schema."""
        return self._state.problems

    @property
    def rules(self) -> list[RuleState]:
        return self._state.rule_states()

    def reset(self) -> None:
        self._state.reset()


def _bound_port(runner: web.AppRunner) -> int:
    for address in runner.addresses:
        if isinstance(address, tuple):
            return int(address[1])
    raise RuntimeError("the Gemini stub has no TCP address")
