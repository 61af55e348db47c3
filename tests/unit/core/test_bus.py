"""The bus, driven through bootstrap() with fakes."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pytest

from app.core import commands, events, messages
from app.core.bootstrap import bootstrap, inject
from app.core.bus import Emit, MessageBus, NoHandler
from app.core.commands import RecordMatch
from app.core.events import MatchSaved
from app.core.game.errors import InvalidMatchStats
from app.core.handlers import API_HANDLERS, COMMAND_HANDLERS, EVENT_HANDLERS
from app.core.matches import Match, MatchSource
from app.core.messages import Command, Event
from app.core.observability import Dispatch, record_dispatches
from tests.support.factories import T0, match_fields, raw_hardpoint
from tests.unit.wiring import FakeChannels, fake_ai, fake_bus, fake_dependencies


def record(interaction_id: int = 1) -> RecordMatch:
    return RecordMatch(
        guild_id=1,
        channel_id=2,
        user_id=3,
        interaction_id=interaction_id,
        raw_stats=raw_hardpoint(),
        source=MatchSource.MANUAL,
        played_at=T0,
    )


def test_every_command_has_exactly_one_handler() -> None:
    declared = {
        c for c in vars(commands).values() if isinstance(c, type) and issubclass(c, Command)
    }
    declared.discard(Command)
    assert declared == set(COMMAND_HANDLERS)


def test_every_event_has_a_subscriber() -> None:
    declared = {e for e in vars(events).values() if isinstance(e, type) and issubclass(e, Event)}
    declared.discard(Event)
    assert declared == {kind for kind, subscribers in EVENT_HANDLERS.items() if subscribers}


def test_messages_are_frozen() -> None:
    with pytest.raises(AttributeError):
        record().interaction_id = 5  # type: ignore[misc]


async def test_a_command_returns_its_handlers_result() -> None:
    deps = fake_dependencies()
    bus = fake_bus(deps)

    match = await bus.handle(record())

    assert isinstance(match, Match)
    assert await deps.matches.get(match.id) == match


async def test_an_unregistered_command_is_a_programming_error() -> None:
    @dataclass(frozen=True, kw_only=True)
    class Unknown(messages.Command):
        pass

    with pytest.raises(NoHandler, match="Unknown"):
        await fake_bus(fake_dependencies()).handle(Unknown())


async def test_a_command_error_reaches_the_caller_and_runs_no_subscriber() -> None:
    seen: list[Event] = []

    async def spy(event: MatchSaved, *, emit: Emit) -> None:
        seen.append(event)

    bus = fake_bus(fake_dependencies(), extra_subscribers={MatchSaved: [spy]})
    with pytest.raises(InvalidMatchStats, match="negative"):
        await bus.handle(RecordMatch(**{**vars_of(record()), "raw_stats": raw_hardpoint(kills=-1)}))
    assert seen == []


async def test_a_failing_subscriber_is_logged_once_and_the_others_still_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ran: list[str] = []

    async def broken(event: MatchSaved, *, emit: Emit) -> None:
        raise RuntimeError("Discord is down")

    async def healthy(event: MatchSaved, *, emit: Emit) -> None:
        ran.append(event.match.id)

    deps = fake_dependencies()
    bus = fake_bus(deps, extra_subscribers={MatchSaved: [broken, healthy]})
    with caplog.at_level(logging.ERROR, logger="app.core.bus"):
        match = await bus.handle(record())

    assert ran == [match.id]
    assert await deps.matches.get(match.id) == match, "a failed side effect never undoes the save"
    failures = [r for r in caplog.records if r.name == "app.core.bus"]
    assert len(failures) == 1
    assert "broken" in failures[0].getMessage() and failures[0].exc_info


@dataclass(frozen=True, kw_only=True)
class Ping(Command):
    pass


@dataclass(frozen=True, kw_only=True)
class Happened(Event):
    name: str


async def test_events_raised_while_handling_are_processed_in_order() -> None:
    order: list[str] = []

    async def handle_ping(cmd: Ping, *, emit: Emit) -> str:
        emit(Happened(name="a"))
        emit(Happened(name="b"))
        order.append("command")
        return "done"

    async def chain(event: Happened, *, emit: Emit) -> None:
        order.append(event.name)
        if event.name == "a":
            emit(Happened(name="a.child"))

    bus = MessageBus({Ping: inject(handle_ping, {})}, {Happened: [inject(chain, {})]})

    assert await bus.handle(Ping()) == "done"
    assert order == ["command", "a", "b", "a.child"]


async def test_middleware_records_name_duration_and_outcome_of_each_call() -> None:
    seen: list[Dispatch] = []
    ticks = iter(range(100))

    async def broken(event: MatchSaved, *, emit: Emit) -> None:
        raise RuntimeError("boom")

    bus = fake_bus(
        fake_dependencies(),
        middleware=[record_dispatches(seen.append, timer=lambda: float(next(ticks)))],
        extra_subscribers={MatchSaved: [broken]},
    )
    await bus.handle(record())

    outcomes = [(d.kind, d.message, d.handler.rsplit(".", 1)[-1], d.outcome) for d in seen]
    assert outcomes[0] == ("command", "RecordMatch", "record_match", "ok")
    assert ("event", "MatchSaved", "write_debrief", "ok") in outcomes
    assert ("event", "MatchSaved", "broken", "error") in outcomes
    assert all(d.seconds == 1.0 for d in seen)


def test_bootstrap_fails_fast_when_a_dependency_is_missing() -> None:
    async def needs_gemini(event: MatchSaved, *, emit: Emit, gemini: object) -> None:
        return None

    with pytest.raises(TypeError, match="gemini"):
        fake_bus(fake_dependencies(), extra_subscribers={MatchSaved: [needs_gemini]})


async def test_adapter_dependencies_are_injected_by_name() -> None:
    sent: list[str] = []

    class FakeSender:
        async def send(self, text: str) -> None:
            sent.append(text)

    async def reply(event: MatchSaved, *, emit: Emit, discord: FakeSender) -> None:
        await discord.send(f"saved {event.match.id}")

    bus = fake_bus(
        fake_dependencies(),
        extra_dependencies={"discord": FakeSender()},
        extra_subscribers={MatchSaved: [reply]},
    )
    match = await bus.handle(record())

    assert sent == [f"saved {match.id}"]


async def test_publish_delivers_an_outside_event_to_subscribers() -> None:
    got: list[str] = []

    async def spy(event: MatchSaved, *, emit: Emit) -> None:
        got.append(event.match.id)

    bus = fake_bus(fake_dependencies(), extra_subscribers={MatchSaved: [spy]})
    outside = Match(id="m9", **match_fields(guild_id=1, user_id=2).model_dump())
    await bus.publish(MatchSaved(match=outside))
    assert got == ["m9"]


def vars_of(cmd: RecordMatch) -> dict[str, object]:
    return {f: getattr(cmd, f) for f in cmd.__dataclass_fields__}


async def test_the_api_selection_needs_nothing_of_discord_and_cannot_post_a_digest() -> None:
    # Built as the API builds it: no announcer, no reply sender; it would fail here otherwise.
    bus = bootstrap(
        fake_dependencies(),
        fake_ai(),
        handlers=API_HANDLERS,
        extra_dependencies={"channels": FakeChannels()},
    )

    with pytest.raises(NoHandler, match="PostDigest"):
        await bus.handle(commands.PostDigest(guild_id=1))
