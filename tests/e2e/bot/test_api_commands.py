"""An admin's "post the digest now" on the real API, carried out by the real bot process.

The command travels through the outbox in MongoDB: the API process inserts it, the bot's
consumer wakes on the change stream and posts the digest into the emulator's channel. With
the bot stopped the command waits; a new bot process delivers it when it starts.

This module runs its own stack (the same `open_sandbox` as the others) so that it can stop and
restart the bot, and so that the API accepts the tokens it signs.
"""

from __future__ import annotations

import asyncio
import secrets
import signal
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from app.api.auth.tokens import AccessTokens
from app.core.accounts import GuildMembership
from app.core.clock import utc_now
from app.core.deliveries import LIVE_SEND_FAILED
from app.core.guilds import GuildConfig
from app.core.outbox import POST_DIGEST_KIND
from app.shared.db.connection import Database, connect_database
from app.shared.db.repositories import (
    BeanieGuildConfigRepository,
    BeanieMatchRepository,
    BeanieRefreshTokenRepository,
    BeanieUserRepository,
)
from app.shared.embedded_db import free_port
from app.shared.gemini import prompts
from app.shared.settings import Settings, load_settings
from devtools.discord_emulator import Channel, Guild, Message
from devtools.gemini_stub import JsonAnswer, Match, Rule
from devtools.sandbox.children import Child, start_child
from devtools.sandbox.orchestrator import (
    Sandbox,
    SandboxOptions,
    child_environment,
    open_sandbox,
)
from devtools.sandbox.world import MANAGE_GUILD
from tests.support.factories import match_fields, user_fields
from tests.support.sessions import bearer_headers

pytestmark = pytest.mark.e2e

JWT_SECRET = secrets.token_urlsafe(48)
# Room for a bot process to start, connect and sync its commands.
BOT_START_S = 60.0
DIGEST_PROMPT = prompts.DIGEST_SYSTEM.splitlines()[0]
DIGEST_TEXT = "A quiet week: nobody logged a match. Queue up together next week."


@pytest.fixture(scope="module")
def database_name() -> str:
    return f"debrief_e2e_commands_{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
async def database(mongodb_uri: str, database_name: str) -> AsyncIterator[Database]:
    """Opened before the stack and dropped after it, once no bot is left to read it."""
    async with connect_database(mongodb_uri, database_name, app_name="debrief-e2e") as opened:
        yield opened
        await opened.client.drop_database(database_name)


@pytest.fixture(scope="module")
def sandbox_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return load_settings(
        debrief_env="sandbox",
        debrief_data_dir=tmp_path_factory.mktemp("commands-e2e"),
        jwt_secret=SecretStr(JWT_SECRET),
    )


@pytest.fixture(scope="module")
def sandbox_options(
    mongodb_uri: str, database_name: str, discord_spec: Path | None
) -> SandboxOptions:
    return SandboxOptions(
        api_port=free_port(),
        database_uri=mongodb_uri,
        database_name=database_name,
        require_spec=discord_spec is not None,
        extra_env={"JWT_SECRET": JWT_SECRET},
    )


@pytest.fixture(scope="module")
def restarted_bots() -> list[Child]:
    return []


@pytest.fixture(scope="module")
async def stack(
    database: Database,
    sandbox_settings: Settings,
    sandbox_options: SandboxOptions,
    restarted_bots: list[Child],
) -> AsyncIterator[Sandbox]:
    async with open_sandbox(sandbox_settings, sandbox_options) as sandbox:
        try:
            yield sandbox
        finally:
            for bot in restarted_bots:
                await bot.stop()
        sandbox.emulator.assert_no_spec_violations()
    for child in (*sandbox.children, *restarted_bots):
        assert child.process.returncode in (0, -signal.SIGTERM), f"{child.name} did not stop"


@pytest.fixture
async def api(stack: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stack.api_url, timeout=10.0) as client:
        yield client


async def start_bot(
    stack: Sandbox,
    settings: Settings,
    options: SandboxOptions,
    database_uri: str,
    restarted: list[Child],
) -> Child:
    """Another `debrief bot` process with the environment the sandbox gave the first one."""
    env = child_environment(
        settings, options, database_uri, stack.emulator, stack.stub, stack.world
    )
    bot = await start_child("bot", ["bot"], env)
    restarted.append(bot)
    return bot


async def admin_of(guild: Guild, settings: Settings) -> dict[str, str]:
    """Bearer headers for a user the API knows as an admin (Manage Server) of `guild`."""
    discord_id = 700_000_000_000_000_000 + guild.id % 1_000_000
    membership = GuildMembership(guild_id=guild.id, name=guild.name, permissions=MANAGE_GUILD)
    await BeanieUserRepository().upsert(user_fields(discord_id, guilds=[membership]))
    # The settings the API process was given: same secret, issuer and audience.
    tokens = AccessTokens(settings, utc_now)
    return await bearer_headers(tokens, BeanieRefreshTokenRepository(), discord_id)


async def digest_goes_to(guild: Guild, channel: Channel) -> None:
    # Scheduled for another day, so only the command (not the weekly schedule) posts it.
    other_day = utc_now().isoweekday() % 7 + 1
    await BeanieGuildConfigRepository().save(
        GuildConfig(guild_id=guild.id, digest_channel_id=channel.id, digest_weekday=other_day)
    )


async def ask_for_digest(
    api: httpx.AsyncClient, guild: Guild, headers: dict[str, str]
) -> dict[str, Any]:
    accepted = await api.post(f"/api/v1/guilds/{guild.id}/digest", headers=headers)
    assert accepted.status_code == 202, accepted.text
    status = await api.get(accepted.json()["status_url"], headers=headers)
    assert status.status_code == 200, status.text
    body: dict[str, Any] = status.json()
    return body


async def eventually(
    found: Callable[[], Awaitable[object]], *, what: str, within_s: float = 5.0
) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within_s
    while not await found():
        assert loop.time() < deadline, f"timed out after {within_s} s waiting for {what}"
        await asyncio.sleep(0.05)


async def status_becomes(
    api: httpx.AsyncClient, command: dict[str, Any], headers: dict[str, str], status: str
) -> dict[str, Any]:
    """The command as the API shows it, once it reached `status`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + BOT_START_S
    while True:
        response = await api.get(f"/api/v1/commands/{command['id']}", headers=headers)
        assert response.status_code == 200, response.text
        shown: dict[str, Any] = response.json()
        if shown["status"] == status:
            return shown
        assert loop.time() < deadline, f"the command is still {shown['status']}, not {status}"
        await asyncio.sleep(0.1)


def is_digest(message: Message) -> bool:
    return any(embed.get("title", "").startswith("Squad digest") for embed in message.embeds)


def digests_in(stack: Sandbox, channel: Channel) -> list[Message]:
    return [m for m in stack.emulator.driver.channel_messages(channel.id) if is_digest(m)]


def embed_fields(message: Message) -> dict[str, str]:
    return {field["name"]: field["value"] for field in message.embeds[0]["fields"]}


def gemini_writes_digests(stack: Sandbox) -> None:
    stack.stub.add_rule(
        Rule.always(Match(prompt_contains=DIGEST_PROMPT), JsonAnswer({"summary": DIGEST_TEXT}))
    )


async def test_an_admins_digest_request_on_the_api_is_posted_by_the_bot(
    stack: Sandbox, database: Database, api: httpx.AsyncClient, sandbox_settings: Settings
) -> None:
    guild, channel = stack.world.guild, stack.world.channel
    gemini_writes_digests(stack)
    await digest_goes_to(guild, channel)
    headers = await admin_of(guild, sandbox_settings)
    # The digest is of the seven days up to now: an hour ago counts, eight days ago does not.
    for hours_ago in (1, 8 * 24):
        played_at = utc_now() - timedelta(hours=hours_ago)
        await BeanieMatchRepository().add(match_fields(guild_id=guild.id, played_at=played_at))

    command = await ask_for_digest(api, guild, headers)

    assert command["status"] in {"pending", "delivered"}
    digest = await stack.emulator.driver.wait_for_message(channel.id, is_digest, timeout=15)
    assert digest.embeds[0]["description"] == DIGEST_TEXT
    assert embed_fields(digest)["Matches"] == "1"
    shown = await status_becomes(api, command, headers, "delivered")
    assert shown["attempts"] == 1 and shown["delivered_at"] is not None

    # Asked again the same week: refused at once, as the docs say, and nothing is queued.
    again = await api.post(f"/api/v1/guilds/{guild.id}/digest", headers=headers)
    assert again.status_code == 409, again.text
    assert "already posted" in again.json()["detail"]
    requests = {"kind": POST_DIGEST_KIND, "payload.guild_id": guild.id}
    assert await database.db["outbox"].count_documents(requests) == 1
    assert len(digests_in(stack, channel)) == 1


async def test_the_running_bot_takes_requests_from_its_change_stream(
    stack: Sandbox, database: Database, api: httpx.AsyncClient, sandbox_settings: Settings
) -> None:
    driver = stack.emulator.driver
    guild = driver.create_guild("Second Squad")
    channel = driver.create_channel(guild.id, "weekly")
    gemini_writes_digests(stack)
    await digest_goes_to(guild, channel)
    headers = await admin_of(guild, sandbox_settings)

    command = await ask_for_digest(api, guild, headers)

    await driver.wait_for_message(channel.id, is_digest, timeout=15)
    await status_becomes(api, command, headers, "delivered")
    # The running bot saw that request on its change stream, and saved its place there.
    await eventually(
        lambda: database.db["outbox_consumers"].find_one({"name": "bot"}),
        what="the bot's saved stream position",
    )


async def test_a_request_made_while_the_bot_is_down_is_delivered_when_it_starts(
    stack: Sandbox,
    api: httpx.AsyncClient,
    sandbox_settings: Settings,
    sandbox_options: SandboxOptions,
    mongodb_uri: str,
    restarted_bots: list[Child],
) -> None:
    driver = stack.emulator.driver
    guild = driver.create_guild("Night Shift")
    channel = driver.create_channel(guild.id, "weekly")
    gemini_writes_digests(stack)
    await digest_goes_to(guild, channel)
    headers = await admin_of(guild, sandbox_settings)
    await stack.child("bot").stop()

    command = await ask_for_digest(api, guild, headers)

    assert (command["status"], command["attempts"]) == ("pending", 0)
    assert digests_in(stack, channel) == []
    await start_bot(stack, sandbox_settings, sandbox_options, mongodb_uri, restarted_bots)
    await driver.wait_for_message(channel.id, is_digest, timeout=BOT_START_S)
    await status_becomes(api, command, headers, "delivered")


async def test_a_command_whose_digest_discord_refused_at_first_is_delivered_once_posted(
    stack: Sandbox, api: httpx.AsyncClient, sandbox_settings: Settings
) -> None:
    driver = stack.emulator.driver
    guild = driver.create_guild("Flaky Tuesday")
    channel = driver.create_channel(guild.id, "weekly")
    gemini_writes_digests(stack)
    await digest_goes_to(guild, channel)
    headers = await admin_of(guild, sandbox_settings)
    # The live post fails (discord.py does not retry a 503): the outbox posts the digest.
    outage = stack.emulator.faults.server_error(
        503, count=1, method="POST", path=f"/channels/{channel.id}/messages"
    )

    command = await ask_for_digest(api, guild, headers)

    await driver.wait_for_message(channel.id, is_digest, timeout=15)
    shown = await status_becomes(api, command, headers, "delivered")
    assert outage.remaining == 0, "the live post met the outage"
    # Not delivered when the digest was not posted: the first attempt was retried.
    assert shown["attempts"] == 2
    assert shown["last_error"] == f"Not posted yet: {LIVE_SEND_FAILED}"
    assert len(digests_in(stack, channel)) == 1
