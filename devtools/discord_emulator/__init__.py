"""A local Discord for tests and the sandbox, held to Discord's official OpenAPI spec.

One aiohttp server (127.0.0.1, port 0 by default) serves the gateway, the REST API under
/api/v10 that a slash-command bot uses, OAuth2, an attachment CDN and a JSON control API.
Every JSON body (and multipart `payload_json`) is validated against the request schema of
`discord-api-spec/openapi.json` and against Discord's limits (content 2000, embeds, 6000 in
total, file size); a refused body answers 400 like Discord AND is recorded, so tests fail
loudly. The spec is found via `EmulatorConfig.spec_path`, else `$DISCORD_API_SPEC`, else
`<repo>/../shared/discord-api-spec/openapi.json`; without it the emulator refuses to start
unless `require_spec=False`, and then checks bodies against Discord's limits only. The
sandbox, `python -m devtools.discord_emulator` and the test suite validate whenever
`config.find_spec()` finds the file, and run without the spec otherwise.

Quick start (pytest, same event loop as the bot)::

    from devtools.discord_emulator import DiscordEmulator, EmulatorConfig
    from devtools.discord_emulator.discord_py import discord_py_pointed_at

    async with DiscordEmulator(EmulatorConfig(token="t")) as emulator:
        guild = emulator.driver.create_guild("Sandbox")
        channel = emulator.driver.create_channel(guild.id, "general")
        player = emulator.driver.create_member(guild.id, "player")
        with discord_py_pointed_at(emulator.api_base_url, emulator.gateway_url):
            ...  # start a discord.Client with token "t"; await driver.wait_for_sessions()
            handle = emulator.driver.invoke_command("ping", member=player, channel_id=channel.id)
            reply = await handle.wait_for_original()
        emulator.assert_no_spec_violations()

Public API
----------
`DiscordEmulator(config=None, *, clock=None)`
    `start()` / `stop()` / `async with`; `base_url`, `api_base_url`, `gateway_url`, `token`;
    `driver` (TestDriver); `clock` (AdjustableClock: `now()`, `advance(seconds)`); `state`
    (EmulatorState); `faults` (FaultInjector); `gateway` (GatewayHub); `request_log`
    (RequestLog); `spec_violations`, `take_spec_violations()`, `assert_no_spec_violations()`.
`EmulatorConfig`
    token, host, port, spec_path, require_spec, application_name, bot_username,
    client_secret, redirect_uris, global_rate_limit (50/s), route_rate_limit,
    attachment_size_limit (10 MiB), heartbeat_interval_ms, heartbeat_ack_delay_ms (100),
    ack_deadline_seconds (3),
    token_lifetime_seconds (900), oauth_token_lifetime_seconds.
`TestDriver` (emulator.driver)
    create_guild(name, *, guild_id, bot_permissions) -> Guild; create_channel(guild_id, name, *,
    channel_id);
    create_role(guild_id, name, permissions); create_member(guild_id, username, *,
    permissions, role_ids, user_id) -> Member; register_attachment(data, filename,
    content_type, *, description, url, declared_size) -> attachment payload (url and
    declared_size: test hooks for hostile interactions); set_oauth_user(member);
    invoke_command(name, *, member, channel_id, subcommand, options, locale);
    click_button(message_id, custom_id, *, member); choose_options(message_id, custom_id,
    values, *, member); submit_modal(handle, values, *, member) -> InteractionHandle;
    channel_messages(channel_id, *, include_ephemeral); await wait_for_message(channel_id,
    predicate, *, timeout); await wait_for_sessions(count, *, timeout); message_payload(m).
`InteractionHandle`
    id, token, payload, record, responses, callback_type, original_message, followups,
    modal; await wait_for_ack(), wait_for_followup(nth), wait_for_original(predicate),
    wait_for_modal(), wait_for_response(kind, *, predicate) — each with a timeout.
`FaultInjector` (emulator.faults)
    rate_limit(*, count, method, path, retry_after, is_global); server_error(status, *,
    count, method, path); fail(status, ...); add_latency(seconds, *, method, path, count);
    clear(). `path` is a route template ("/channels/{channel_id}/messages") or a glob.
`GatewayHub` (emulator.gateway)
    sessions; abort(shard_id=None) drops TCP; await close(code, shard_id=None);
    request_reconnect(shard_id=None) sends op 7; invalidate_session(resumable=, shard_id=)
    sends op 9; dispatch(event, data, *, guild_id, intent).
`RequestLog` (emulator.request_log)
    entries, matching(method, path, status), count(method, path, status), clear().

Discord's rules as Discord enforces them: Bot auth on bot routes (401), the 3-second
acknowledgement (404 / 10062), one acknowledgement (400 / 40060), 15-minute interaction
tokens, a global 50 requests/s limit answering 429 with `Via`, JSON `retry_after` and
X-RateLimit headers. Standalone: `python -m devtools.discord_emulator --port N --token T`
seeds guild "Sandbox", channel "#general" and member "sandbox-player". The control API
(`/_emulator/...`, see `control.py`) exposes the driver, faults, clock and logs as JSON.
"""

from .clock import AdjustableClock, Clock
from .command_options import InvocationError
from .config import EmulatorConfig
from .driver import NotConnectedError, TestDriver
from .faults import FaultInjector
from .handles import InteractionHandle
from .interactions import BotResponse
from .messages import Attachment, Message
from .models import Channel, Guild, Member, Role, User
from .server import DiscordEmulator
from .spec import SpecNotFoundError
from .violations import SpecViolation, SpecViolationError
from .world import DefaultWorld, seed_default_world

__all__ = [
    "AdjustableClock",
    "Attachment",
    "BotResponse",
    "Channel",
    "Clock",
    "DefaultWorld",
    "DiscordEmulator",
    "EmulatorConfig",
    "FaultInjector",
    "Guild",
    "InteractionHandle",
    "InvocationError",
    "Member",
    "Message",
    "NotConnectedError",
    "Role",
    "SpecNotFoundError",
    "SpecViolation",
    "SpecViolationError",
    "TestDriver",
    "User",
    "seed_default_world",
]
