"""A server's digest goes only into that server's channels: refused when set, and refused
again when sending (a setting written around the checks, or a channel deleted since)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core.errors import ChannelOutsideServer
from app.core.guilds import GuildConfig
from app.core.handlers.digests import DigestChannelGone
from app.shared.db.connection import Database
from app.shared.db.repositories import BeanieGuildConfigRepository
from devtools.discord_emulator import Channel, Member, Message
from devtools.sandbox.orchestrator import Sandbox
from tests.e2e.bot.support import (
    DIGEST_CHECK_INTERVAL_S,
    eventually,
    fields,
    invoke,
    only_embed,
    private_outcome,
)


@pytest.fixture
def other_servers_channel(stack: Sandbox) -> Channel:
    """A channel of another server the bot is also in: the target of the attack."""
    driver = stack.emulator.driver
    other = driver.create_guild("Someone else's server")
    return driver.create_channel(other.id, "their-general")


async def test_config_digest_refuses_a_channel_that_is_gone_when_the_bot_checks(
    stack: Sandbox, database: Database
) -> None:
    # Discord offers only the server's own channels in the picker; what the bot must not
    # trust is that the channel is still there (nor, for the API, any id it is sent).
    driver = stack.emulator.driver
    doomed = driver.create_channel(stack.world.guild.id, "about-to-go")
    before = await database.db["guild_configs"].find_one({"guild_id": stack.world.guild.id})

    handle = invoke(
        stack,
        "config",
        stack.world.player,
        subcommand="digest",
        channel=doomed.id,
        weekday=1,
        hour=9,
    )
    # Deleted in Discord, and the bot's cache has not heard of it yet (a missed or late
    # gateway event): the bot must ask Discord, not trust its cache.
    stack.emulator.state.delete_channel(doomed.id)

    refused = await private_outcome(handle, "Saving…")
    assert refused.ephemeral
    assert refused.content == ChannelOutsideServer.user_message
    after = await database.db["guild_configs"].find_one({"guild_id": stack.world.guild.id})
    assert after == before


async def due_now(guild_id: int, channel_id: int, admin_id: int) -> None:
    """A digest due this hour into `channel_id`, written straight to the database, as a
    setting that got past the checks (or was valid when set) would be."""
    now = datetime.now(UTC)
    repository = BeanieGuildConfigRepository()
    config = await repository.get(guild_id)
    await repository.save(
        config.model_copy(
            update={
                "digest_channel_id": channel_id,
                "digest_weekday": now.isoweekday(),
                "digest_hour_utc": now.hour,
                "updated_by": admin_id,
            }
        )
    )


async def digest_turned_off(guild_id: int) -> GuildConfig:
    repository = BeanieGuildConfigRepository()

    async def turned_off() -> bool:
        return (await repository.get(guild_id)).digest_channel_id is None

    await eventually(turned_off, what="the digest turned off", within=20 * DIGEST_CHECK_INTERVAL_S)
    return await repository.get(guild_id)


async def admin_told(stack: Sandbox, admin: Member, before: int) -> Message:
    """The direct message the bot sends the admin after turning the digest off."""
    driver = stack.emulator.driver

    def told() -> bool:
        return len(driver.direct_messages(admin.user.id)) > before

    await eventually(told, what="a direct message to the admin")
    [*_, last] = driver.direct_messages(admin.user.id)
    assert len(driver.direct_messages(admin.user.id)) == before + 1
    return last


async def test_the_bot_refuses_to_post_a_digest_into_another_servers_channel(
    stack: Sandbox, database: Database, other_servers_channel: Channel
) -> None:
    guild, admin = stack.world.guild.id, stack.world.player
    already_told = len(stack.emulator.driver.direct_messages(admin.user.id))
    await due_now(guild, other_servers_channel.id, admin.user.id)

    config = await digest_turned_off(guild)

    assert stack.emulator.driver.channel_messages(other_servers_channel.id) == []
    assert config.digest_problem == DigestChannelGone.user_message
    told = await admin_told(stack, admin, already_told)
    assert DigestChannelGone.user_message in told.content
    shown = await private_outcome(invoke(stack, "config", admin, subcommand="show"), "Loading…")
    settings = fields(only_embed(stack, shown))
    assert settings["Weekly digest"] == "off"
    assert settings["Digest problem"] == DigestChannelGone.user_message


async def test_a_deleted_digest_channel_stops_the_digest(stack: Sandbox) -> None:
    driver = stack.emulator.driver
    admin = stack.world.player
    # A server of its own, so no digest posted by another test has claimed this week.
    guild = driver.create_guild("A squad that tidies its channels").id
    doomed = driver.create_channel(guild, "old-digests")
    await due_now(guild, doomed.id, admin.user.id)
    driver.delete_channel(doomed.id)
    already_told = len(driver.direct_messages(admin.user.id))

    config = await digest_turned_off(guild)

    assert config.digest_problem == DigestChannelGone.user_message
    told = await admin_told(stack, admin, already_told)
    assert f"<#{doomed.id}>" in told.content
