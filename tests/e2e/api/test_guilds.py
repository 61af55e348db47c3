"""/api/v1/guilds/{id}: leaderboards for members; settings and the digest for admins."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from app.core.accounts import GuildMembership
from app.core.errors import ChannelOutsideServer
from app.core.outbox import POST_DIGEST_KIND, OutboxStatus
from app.shared.runtime import Runtime
from app.shared.settings import Settings
from devtools.discord_emulator import DiscordEmulator
from tests.e2e.api.conftest import SignIn
from tests.e2e.api.discord_login import discord_emulator
from tests.support.factories import match_fields, raw_hardpoint
from tests.support.log_guard import remember_secret

MANAGE_GUILD = 1 << 5
NOW = datetime.now(UTC)


def snowflake() -> int:
    return uuid.uuid4().int >> 66


def config_body(**changes: Any) -> dict[str, Any]:
    return {
        "digest_channel_id": None,
        "digest_weekday": 1,
        "digest_hour_utc": 18,
        "ask_scope": "server",
        "debrief_cooldown_s": 30,
        "ask_cooldown_s": 15,
        **changes,
    }


@pytest.fixture(scope="module")
async def discord() -> AsyncIterator[DiscordEmulator]:
    """Discord, which the API asks whether a channel an admin names is the server's."""
    async with discord_emulator() as emulator:
        yield emulator


@pytest.fixture(scope="module")
def api_settings(api_settings: Settings, discord: DiscordEmulator) -> Settings:
    remember_secret("bot token", discord.config.token)
    return api_settings.model_copy(
        update={
            "discord_api_base_url": discord.api_base_url,
            "discord_bot_token": SecretStr(discord.config.token),
        }
    )


@pytest.fixture
def guild(discord: DiscordEmulator) -> int:
    """A server the bot is in, in Discord and so in the API's eyes."""
    return discord.driver.create_guild("Home", guild_id=snowflake()).id


def channel_of(discord: DiscordEmulator, guild: int) -> int:
    return discord.driver.create_channel(guild, "squad-digest").id


@pytest.fixture
async def admin(sign_in: SignIn, guild: int) -> dict[str, str]:
    membership = GuildMembership(guild_id=guild, name="Home", permissions=MANAGE_GUILD)
    return await sign_in(snowflake(), [membership])


@pytest.fixture
async def member(sign_in: SignIn, guild: int) -> dict[str, str]:
    return await sign_in(snowflake(), [GuildMembership(guild_id=guild, name="Home")])


async def test_the_leaderboard_ranks_the_servers_players(
    client: httpx.AsyncClient, runtime: Runtime, member: dict[str, str], guild: int
) -> None:
    strong, weak, old = snowflake(), snowflake(), snowflake()
    for user, kills, days_ago in [(strong, 40, 1), (weak, 10, 2), (old, 50, 60)]:
        raw = raw_hardpoint(kills=kills, deaths=10)
        raw["weapons"] = []
        await runtime.dependencies.matches.add(
            match_fields(
                guild_id=guild, user_id=user, raw_stats=raw, played_at=NOW - timedelta(days_ago)
            )
        )
    await runtime.dependencies.matches.add(match_fields(guild_id=snowflake(), user_id=weak))

    response = await client.get(
        f"/api/v1/guilds/{guild}/leaderboard",
        params={"stat": "kd", "period": "month", "min_matches": 1},
        headers=member,
    )

    assert response.status_code == 200
    board = response.json()
    assert (board["stat"], board["label"], board["period"]) == ("kd", "K/D", "month")
    assert board["min_matches"] == 1
    assert [(e["rank"], e["user_id"], e["value"]) for e in board["entries"]] == [
        (1, str(strong), 4.0),
        (2, str(weak), 1.0),
    ]
    all_time = await client.get(
        f"/api/v1/guilds/{guild}/leaderboard",
        params={"stat": "kills", "period": "all", "limit": 1, "min_matches": 1},
        headers=member,
    )
    assert [e["user_id"] for e in all_time.json()["entries"]] == [str(old)]


async def test_by_default_the_leaderboard_ranks_players_with_three_matches_or_more(
    client: httpx.AsyncClient, runtime: Runtime, member: dict[str, str], guild: int
) -> None:
    regular, one_game = snowflake(), snowflake()
    for user, kills, games in [(regular, 20, 3), (one_game, 60, 1)]:
        raw = raw_hardpoint(kills=kills, deaths=10)
        raw["weapons"] = []
        for n in range(games):
            await runtime.dependencies.matches.add(
                match_fields(
                    guild_id=guild, user_id=user, raw_stats=raw, played_at=NOW - timedelta(hours=n)
                )
            )

    response = await client.get(
        f"/api/v1/guilds/{guild}/leaderboard", params={"stat": "kd"}, headers=member
    )

    board = response.json()
    assert board["min_matches"] == 3
    assert [(e["user_id"], e["matches"]) for e in board["entries"]] == [(str(regular), 3)]


async def test_admins_read_and_replace_the_settings(
    client: httpx.AsyncClient,
    runtime: Runtime,
    admin: dict[str, str],
    guild: int,
    discord: DiscordEmulator,
) -> None:
    url = f"/api/v1/guilds/{guild}/config"
    defaults = await client.get(url, headers=admin)
    assert defaults.status_code == 200
    assert defaults.json()["guild_id"] == str(guild)
    assert defaults.json()["digest_channel_id"] is None

    channel = channel_of(discord, guild)
    body = config_body(digest_channel_id=str(channel), ask_scope="me", digest_weekday=5)
    response = await client.put(url, json=body, headers=admin)

    assert response.status_code == 200, response.text
    saved = response.json()
    assert saved["digest_channel_id"] == str(channel)
    assert (saved["ask_scope"], saved["digest_weekday"]) == ("me", 5)
    assert saved["updated_by"] is not None
    stored = await runtime.dependencies.guild_configs.get(guild)
    assert stored.digest_channel_id == channel and stored.digest_weekday == 5


async def test_settings_out_of_range_are_refused_and_nothing_changes(
    client: httpx.AsyncClient, runtime: Runtime, admin: dict[str, str], guild: int
) -> None:
    url = f"/api/v1/guilds/{guild}/config"

    out_of_range = await client.put(url, json=config_body(digest_weekday=9), headers=admin)
    unknown = await client.put(url, json=config_body(colour="red"), headers=admin)

    assert out_of_range.status_code == 422
    assert out_of_range.json()["type"] == "/problems/invalid-input"
    assert out_of_range.json()["detail"] == (
        "Check these settings: digest day: 9 is more than the maximum of 7."
    )
    assert out_of_range.json()["errors"] == [
        {"field": "digest_weekday", "message": "9 is more than the maximum of 7"}
    ]
    assert unknown.status_code == 422 and unknown.json()["type"] == "/problems/validation"
    assert (await runtime.dependencies.guild_configs.get(guild)).updated_at is None


async def test_the_language_of_replies_is_a_setting_and_an_unknown_one_is_refused(
    client: httpx.AsyncClient, runtime: Runtime, admin: dict[str, str], guild: int
) -> None:
    url = f"/api/v1/guilds/{guild}/config"
    assert (await client.get(url, headers=admin)).json()["language"] is None

    spanish = await client.put(url, json=config_body(language="es"), headers=admin)
    klingon = await client.put(url, json=config_body(language="tlh"), headers=admin)

    assert spanish.status_code == 200 and spanish.json()["language"] == "es"
    assert klingon.status_code == 422
    assert (await runtime.dependencies.guild_configs.get(guild)).language == "es"


async def test_members_without_manage_server_may_not_touch_the_settings(
    client: httpx.AsyncClient, member: dict[str, str], guild: int
) -> None:
    url = f"/api/v1/guilds/{guild}"
    assert (await client.get(f"{url}/config", headers=member)).status_code == 403
    assert (
        await client.put(f"{url}/config", json=config_body(), headers=member)
    ).status_code == 403
    assert (await client.post(f"{url}/digest", headers=member)).status_code == 403


async def test_another_servers_channel_is_refused_and_nothing_changes(
    client: httpx.AsyncClient,
    runtime: Runtime,
    admin: dict[str, str],
    guild: int,
    discord: DiscordEmulator,
) -> None:
    # The admin of `guild` names a channel of a server they don't manage, where the bot is
    # too: saved, the bot would post this server's digest there.
    elsewhere = discord.driver.create_guild("Someone else's", guild_id=snowflake()).id
    url = f"/api/v1/guilds/{guild}/config"

    foreign = await client.put(
        url, json=config_body(digest_channel_id=str(channel_of(discord, elsewhere))), headers=admin
    )
    unknown = await client.put(
        url, json=config_body(digest_channel_id=str(snowflake())), headers=admin
    )

    for refused in (foreign, unknown):
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["type"] == "/problems/invalid-input"
        assert refused.json()["detail"] == ChannelOutsideServer.user_message
    assert (await runtime.dependencies.guild_configs.get(guild)).updated_at is None


async def test_a_deleted_channel_cannot_be_chosen(
    client: httpx.AsyncClient, admin: dict[str, str], guild: int, discord: DiscordEmulator
) -> None:
    channel = channel_of(discord, guild)
    discord.driver.delete_channel(channel)

    response = await client.put(
        f"/api/v1/guilds/{guild}/config",
        json=config_body(digest_channel_id=str(channel)),
        headers=admin,
    )

    assert response.status_code == 422
    assert response.json()["detail"] == ChannelOutsideServer.user_message


async def test_when_discord_does_not_answer_the_channel_is_not_taken_on_trust(
    client: httpx.AsyncClient, admin: dict[str, str], guild: int, discord: DiscordEmulator
) -> None:
    channel = channel_of(discord, guild)
    discord.faults.server_error(503, count=1, method="GET")

    response = await client.put(
        f"/api/v1/guilds/{guild}/config",
        json=config_body(digest_channel_id=str(channel)),
        headers=admin,
    )

    assert response.status_code == 503
    assert response.json()["type"] == "/problems/discord-unavailable"


async def set_digest_channel(
    client: httpx.AsyncClient, guild: int, admin: dict[str, str], discord: DiscordEmulator
) -> None:
    body = config_body(digest_channel_id=str(channel_of(discord, guild)))
    response = await client.put(f"/api/v1/guilds/{guild}/config", json=body, headers=admin)
    assert response.status_code == 200


async def test_a_digest_request_is_queued_for_the_bot_and_can_be_followed(
    client: httpx.AsyncClient,
    runtime: Runtime,
    admin: dict[str, str],
    guild: int,
    discord: DiscordEmulator,
) -> None:
    await set_digest_channel(client, guild, admin, discord)

    response = await client.post(f"/api/v1/guilds/{guild}/digest", headers=admin)

    assert response.status_code == 202
    accepted = response.json()
    assert accepted["status_url"] == f"/api/v1/commands/{accepted['command_id']}"
    assert response.headers["location"] == accepted["status_url"]
    queued = await runtime.dependencies.outbox.get(accepted["command_id"])
    assert queued is not None
    assert queued.kind == POST_DIGEST_KIND and queued.status is OutboxStatus.PENDING
    assert queued.payload["guild_id"] == guild
    assert queued.expires_at - queued.created_at == timedelta(days=1)

    status = await client.get(accepted["status_url"], headers=admin)

    assert status.status_code == 200
    assert status.json() == {
        "id": queued.id,
        "kind": POST_DIGEST_KIND,
        "status": "pending",
        "attempts": 0,
        "created_at": status.json()["created_at"],
        "delivered_at": None,
        "last_error": None,
    }

    await runtime.dependencies.outbox.mark_delivered(queued.id, NOW)
    delivered = await client.get(accepted["status_url"], headers=admin)
    assert delivered.json()["status"] == "delivered"


async def test_the_same_idempotency_key_queues_the_digest_once(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    guild: int,
    discord: DiscordEmulator,
) -> None:
    await set_digest_channel(client, guild, admin, discord)
    url = f"/api/v1/guilds/{guild}/digest"

    first = await client.post(url, headers={**admin, "Idempotency-Key": "retry-1"})
    again = await client.post(url, headers={**admin, "Idempotency-Key": "retry-1"})
    other = await client.post(url, headers=admin)

    assert first.json()["command_id"] == again.json()["command_id"]
    assert other.json()["command_id"] != first.json()["command_id"]


async def test_a_digest_without_a_channel_is_a_conflict(
    client: httpx.AsyncClient, admin: dict[str, str], guild: int
) -> None:
    response = await client.post(f"/api/v1/guilds/{guild}/digest", headers=admin)
    assert response.status_code == 409
    assert "channel" in response.json()["detail"]


async def test_another_admin_of_the_server_may_follow_the_command_but_no_one_else(
    client: httpx.AsyncClient,
    sign_in: SignIn,
    admin: dict[str, str],
    guild: int,
    discord: DiscordEmulator,
) -> None:
    await set_digest_channel(client, guild, admin, discord)
    url = (await client.post(f"/api/v1/guilds/{guild}/digest", headers=admin)).json()["status_url"]
    co_admin = await sign_in(
        snowflake(), [GuildMembership(guild_id=guild, name="Home", owner=True)]
    )
    member = await sign_in(snowflake(), [GuildMembership(guild_id=guild, name="Home")])

    assert (await client.get(url, headers=co_admin)).status_code == 200
    assert (await client.get(url, headers=member)).status_code == 404
