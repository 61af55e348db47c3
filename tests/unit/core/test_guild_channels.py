"""A server's settings name only that server's channels: checked when set and when sending."""

from __future__ import annotations

import pytest

from app.core.actors import Actor
from app.core.commands import PostDigest, UpdateGuildConfig
from app.core.errors import ChannelOutsideServer
from app.core.guilds import GuildConfig
from app.core.handlers.digests import DigestChannelGone
from tests.support.factories import T0
from tests.unit.fakes import FrozenClock
from tests.unit.wiring import FakeAnnouncer, FakeChannels, fake_bus, fake_dependencies

HOME, AWAY = 1, 2
HOME_CHANNEL, AWAY_CHANNEL = 11, 22
ADMIN = Actor(user_id=5, admin_of=frozenset({HOME}))


def world() -> FakeChannels:
    return FakeChannels({HOME_CHANNEL: HOME, AWAY_CHANNEL: AWAY})


def set_digest(channel_id: int) -> UpdateGuildConfig:
    return UpdateGuildConfig(
        guild_id=HOME, actor=ADMIN, changes={"digest_channel_id": channel_id, "digest_weekday": 2}
    )


async def test_another_servers_channel_is_refused_and_nothing_is_saved() -> None:
    deps = fake_dependencies()
    bus = fake_bus(deps, extra_dependencies={"channels": world()})

    with pytest.raises(ChannelOutsideServer):
        await bus.handle(set_digest(AWAY_CHANNEL))

    assert await deps.guild_configs.get(HOME) == GuildConfig(guild_id=HOME)


async def test_a_channel_discord_does_not_know_is_refused() -> None:
    bus = fake_bus(fake_dependencies(), extra_dependencies={"channels": world()})

    with pytest.raises(ChannelOutsideServer):
        await bus.handle(set_digest(999))


async def test_the_servers_own_channel_is_saved_and_clears_an_old_problem() -> None:
    deps = fake_dependencies()
    await deps.guild_configs.save(GuildConfig(guild_id=HOME, digest_problem="it was deleted"))
    bus = fake_bus(deps, extra_dependencies={"channels": world()})

    saved = await bus.handle(set_digest(HOME_CHANNEL))

    assert (saved.digest_channel_id, saved.digest_problem) == (HOME_CHANNEL, None)


async def test_other_settings_change_without_asking_discord_about_channels() -> None:
    deps = fake_dependencies()
    bus = fake_bus(deps, extra_dependencies={"channels": FakeChannels()})

    saved = await bus.handle(
        UpdateGuildConfig(guild_id=HOME, actor=ADMIN, changes={"ask_cooldown_s": 5})
    )

    assert saved.ask_cooldown_s == 5


async def test_a_channel_that_left_the_server_stops_the_digest_and_tells_the_admin() -> None:
    deps = fake_dependencies(FrozenClock(T0))
    # Written around the checks (or valid then, and since moved or deleted).
    await deps.guild_configs.save(
        GuildConfig(guild_id=HOME, digest_channel_id=AWAY_CHANNEL, updated_by=ADMIN.user_id)
    )
    announcer = FakeAnnouncer(world())
    bus = fake_bus(deps, extra_dependencies={"announcer": announcer, "channels": world()})

    with pytest.raises(DigestChannelGone):
        await bus.handle(PostDigest(guild_id=HOME))

    assert announcer.posted == []
    config = await deps.guild_configs.get(HOME)
    assert config.digest_channel_id is None
    assert config.digest_problem == DigestChannelGone.user_message
    [(guild, admin, text)] = announcer.told
    assert (guild, admin) == (HOME, ADMIN.user_id)
    assert f"<#{AWAY_CHANNEL}>" in text
    # Refused before the week was claimed: once an admin chooses a channel, it can go out.
    await bus.handle(set_digest(HOME_CHANNEL))
    await bus.handle(PostDigest(guild_id=HOME))
    assert [channel for channel, _, _ in announcer.posted] == [HOME_CHANNEL]
