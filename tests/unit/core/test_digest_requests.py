""" "Post the digest now" from the web: decided in the core, queued for the bot by a subscriber."""

from __future__ import annotations

import pytest

from app.core.actors import Actor
from app.core.commands import RequestDigestNow
from app.core.cross_process import PostDigestRequest
from app.core.debriefing.digest import digest_period
from app.core.errors import Forbidden
from app.core.guilds import GuildConfig
from app.core.handlers import API_HANDLERS
from app.core.handlers.digests import DigestAlreadyPosted, NoDigestChannel
from app.core.outbox import OutboxStatus
from tests.support.factories import T0
from tests.unit.fakes import FakeOutbox, FrozenClock
from tests.unit.wiring import fake_bus, fake_dependencies

GUILD = 1
ADMIN = Actor(user_id=5, admin_of=frozenset({GUILD}))


async def test_an_admins_request_is_queued_for_the_bot_once_per_idempotency_key() -> None:
    deps = fake_dependencies(FrozenClock(T0))
    await deps.guild_configs.save(GuildConfig(guild_id=GUILD, digest_channel_id=77))
    bus = fake_bus(deps, handlers=API_HANDLERS)
    ask = RequestDigestNow(guild_id=GUILD, actor=ADMIN, idempotency_key="retry-1")

    first, again = await bus.handle(ask), await bus.handle(ask)

    assert first == again
    assert isinstance(deps.outbox, FakeOutbox)
    [queued] = deps.outbox.rows.values()
    assert queued.dedupe_key == first and queued.status is OutboxStatus.PENDING
    request = PostDigestRequest.model_validate(queued.payload)
    assert (request.guild_id, request.requested_by) == (GUILD, ADMIN.user_id)
    assert queued.expires_at > queued.available_at == T0


async def test_without_a_key_each_request_is_its_own() -> None:
    deps = fake_dependencies(FrozenClock(T0))
    await deps.guild_configs.save(GuildConfig(guild_id=GUILD, digest_channel_id=77))
    bus = fake_bus(deps, handlers=API_HANDLERS)

    keys = {await bus.handle(RequestDigestNow(guild_id=GUILD, actor=ADMIN)) for _ in range(2)}

    assert len(keys) == 2


async def test_nothing_is_queued_for_a_member_or_a_server_without_a_channel() -> None:
    deps = fake_dependencies(FrozenClock(T0))
    bus = fake_bus(deps, handlers=API_HANDLERS)

    with pytest.raises(NoDigestChannel):
        await bus.handle(RequestDigestNow(guild_id=GUILD, actor=ADMIN))
    with pytest.raises(Forbidden):
        await bus.handle(RequestDigestNow(guild_id=GUILD, actor=Actor(user_id=6)))
    assert isinstance(deps.outbox, FakeOutbox) and deps.outbox.rows == {}


async def test_a_week_whose_digest_was_posted_is_refused_and_nothing_is_queued() -> None:
    deps = fake_dependencies(FrozenClock(T0))
    await deps.guild_configs.save(GuildConfig(guild_id=GUILD, digest_channel_id=77))
    week = digest_period(T0).label
    assert await deps.digest_runs.claim(GUILD, week, T0)  # what the bot's post does first
    bus = fake_bus(deps, handlers=API_HANDLERS)

    with pytest.raises(DigestAlreadyPosted) as refused:
        await bus.handle(RequestDigestNow(guild_id=GUILD, actor=ADMIN))

    assert refused.value.user_message.startswith(
        f"This week's digest ({week}) was already posted, or is being posted (taken on at "
        "2026-11-01 12:00 UTC):"
    )
    assert isinstance(deps.outbox, FakeOutbox) and deps.outbox.rows == {}
