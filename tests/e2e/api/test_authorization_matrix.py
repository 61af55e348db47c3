"""Every route of the app against someone else's data: refused, and nothing leaks or changes.

The cases are checked against `app.routes`, so a new route fails this module until it is
given a case here or is declared public or caller-scoped on purpose.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from app.api.auth.tokens import AccessTokens
from app.core.accounts import GuildMembership
from app.core.guilds import GuildConfig
from app.core.matches import Match
from app.core.outbox import POST_DIGEST_KIND
from app.shared.runtime import Runtime
from tests.support.factories import match_fields, outbox_fields, raw_hardpoint, user_fields
from tests.support.sessions import bearer_headers

MANAGE_GUILD = 1 << 5

# Reachable without logging in: probes, docs, and the steps of logging in itself.
PUBLIC = {
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/oauth2-redirect"),
    ("GET", "/redoc"),
    # The docs pages' scripts, styles and icon: a mount of static files (GET and HEAD only).
    ("*", "/docs-assets"),
    ("GET", "/api/v1/auth/login"),
    ("GET", "/api/v1/auth/callback"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/resume"),
    ("POST", "/api/v1/auth/logout"),
}

# The web dashboard's pages: a cookie session, and a redirect to log in instead of a 401.
# test_dashboard_access.py holds their refusal cases: no page shows another server's data.
DASHBOARD_PAGES = {
    ("GET", "/"),
    ("*", "/static"),
    ("GET", "/dashboard"),
    ("GET", "/dashboard/session"),
    # The language picker: sets only the visitor's own language cookie, reads nothing.
    ("GET", "/language"),
    ("POST", "/dashboard/logout"),
    ("GET", "/dashboard/matches"),
    ("GET", "/dashboard/matches/{match_id}"),
    ("POST", "/dashboard/matches/{match_id}/correct"),
    ("POST", "/dashboard/matches/{match_id}/delete"),
    ("GET", "/dashboard/trends"),
    ("GET", "/dashboard/servers"),
    ("GET", "/dashboard/servers/{guild_id}"),
    ("POST", "/dashboard/servers/{guild_id}/settings"),
}
# Need a login, and take no id of anything: they only ever answer about the caller.
CALLER_SCOPED = {
    ("GET", "/api/v1/auth/me"),
    ("GET", "/api/v1/stats/summary"),
    ("GET", "/api/v1/stats/trend"),
}


def snowflake() -> int:
    return uuid.uuid4().int >> 66


@dataclass(frozen=True)
class World:
    """I am a plain member of HOME; a stranger plays in AWAY, where I am not."""

    home: int
    away: int
    me: int
    stranger: int
    mates_match: Match
    strangers_match: Match
    away_command: str
    home_admins_command: str
    internal_message: str
    headers: dict[str, str]

    def resolve(self, value: str) -> str:
        """`"{away}"` → the AWAY server's id; likewise for the other names of a case."""
        return value.format(
            home=self.home,
            away=self.away,
            stranger=self.stranger,
            mates_match=self.mates_match.id,
            strangers_match=self.strangers_match.id,
            away_command=self.away_command,
            home_admins_command=self.home_admins_command,
            internal_message=self.internal_message,
        )


@dataclass(frozen=True)
class Case:
    method: str
    route: str
    path: str
    expected: int
    why: str
    params: dict[str, str] = field(default_factory=dict)
    body: Any = None


def valid_stats() -> dict[str, Any]:
    raw = raw_hardpoint()
    del raw["player"]["gamertag"]
    return raw


CONFIG = {
    "digest_channel_id": "1",
    "digest_weekday": 1,
    "digest_hour_utc": 18,
    "ask_scope": "server",
    "debrief_cooldown_s": 0,
    "ask_cooldown_s": 0,
}
MATCHES = "/api/v1/matches"
MATCH = "/api/v1/matches/{match_id}"
EXPORT = "/api/v1/matches/export.csv"
GUILD = "/api/v1/guilds/{guild_id}"
COMMAND = "/api/v1/commands/{command_id}"
COMPARE = "/api/v1/stats/compare"
SESSION = "/api/v1/stats/session"
LINKS = f"{GUILD}/links"
SEASONS = f"{GUILD}/seasons"

CASES = [
    Case("GET", MATCHES, MATCHES, 404, "a server I'm not in", {"guild_id": "{away}"}),
    Case("GET", MATCHES, MATCHES, 403, "a player, no shared server", {"user_id": "{stranger}"}),
    Case("GET", MATCHES, MATCHES, 404, "a player, in their server",
         {"guild_id": "{away}", "user_id": "{stranger}"}),
    Case("GET", EXPORT, EXPORT, 404, "a server I'm not in", {"guild_id": "{away}"}),
    Case("GET", EXPORT, EXPORT, 403, "a player, no shared server", {"user_id": "{stranger}"}),
    Case("GET", MATCH, f"{MATCHES}/{{strangers_match}}", 404, "a match in a server I'm not in"),
    Case("GET", f"{MATCH}/debrief", f"{MATCHES}/{{strangers_match}}/debrief", 404,
         "the debrief of a match in a server I'm not in"),
    Case("PATCH", MATCH, f"{MATCHES}/{{strangers_match}}", 404, "a match in a server I'm not in",
         body=valid_stats()),
    Case("PATCH", MATCH, f"{MATCHES}/{{mates_match}}", 403, "another player's match in my server",
         body=valid_stats()),
    Case("DELETE", MATCH, f"{MATCHES}/{{strangers_match}}", 404, "a match in a server I'm not in"),
    Case("DELETE", MATCH, f"{MATCHES}/{{mates_match}}", 403, "another player's match in my server"),
    Case("GET", f"{GUILD}/leaderboard", "/api/v1/guilds/{away}/leaderboard", 404,
         "a server I'm not in"),
    Case("GET", f"{GUILD}/config", "/api/v1/guilds/{away}/config", 404, "a server I'm not in"),
    Case("GET", f"{GUILD}/config", "/api/v1/guilds/{home}/config", 403, "no Manage Server"),
    Case("PUT", f"{GUILD}/config", "/api/v1/guilds/{away}/config", 404, "a server I'm not in",
         body=CONFIG),
    Case("PUT", f"{GUILD}/config", "/api/v1/guilds/{home}/config", 403, "no Manage Server",
         body=CONFIG),
    Case("POST", f"{GUILD}/digest", "/api/v1/guilds/{away}/digest", 404, "a server I'm not in"),
    Case("POST", f"{GUILD}/digest", "/api/v1/guilds/{home}/digest", 403, "no Manage Server"),
    Case("POST", "/api/v1/ask", "/api/v1/ask", 404, "a server I'm not in",
         body={"question": "everyone's K/D", "guild_id": "{away}"}),
    Case("GET", COMMAND, "/api/v1/commands/{away_command}", 404, "another server's command"),
    Case("GET", COMMAND, "/api/v1/commands/{home_admins_command}", 404,
         "an admin's command in my server"),
    Case("GET", COMMAND, "/api/v1/commands/{internal_message}", 404, "internal outbox work"),
    Case("GET", COMPARE, COMPARE, 404, "a player, in their server I'm not in",
         {"guild_id": "{away}", "player_id": "{stranger}"}),
    Case("GET", COMPARE, COMPARE, 404, "a player who never played in my server",
         {"guild_id": "{home}", "player_id": "{stranger}"}),
    Case("GET", SESSION, SESSION, 404, "my session in a server I'm not in", {"guild_id": "{away}"}),
    Case("GET", LINKS, "/api/v1/guilds/{away}/links", 404, "a server I'm not in"),
    Case("PUT", LINKS, "/api/v1/guilds/{away}/links", 404, "a server I'm not in",
         body={"gamertag": "Ghost"}),
    Case("PUT", LINKS, "/api/v1/guilds/{home}/links", 403, "giving a name: no Manage Server",
         body={"gamertag": "Ghost", "member_id": "{stranger}"}),
    Case("DELETE", LINKS, "/api/v1/guilds/{away}/links", 404, "a server I'm not in",
         {"gamertag": "Ghost"}),
    Case("GET", SEASONS, "/api/v1/guilds/{away}/seasons", 404, "a server I'm not in"),
    Case("POST", SEASONS, "/api/v1/guilds/{away}/seasons", 404, "a server I'm not in",
         body={"name": "Spring"}),
    Case("POST", SEASONS, "/api/v1/guilds/{home}/seasons", 403, "no Manage Server",
         body={"name": "Spring"}),
]  # fmt: skip


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path template) the app answers; a mount would need a case too."""
    routes = set()
    # Included routers are nested (FastAPI 0.165); this walks them as the OpenAPI does.
    for route in iter_route_contexts(app.routes):
        methods = route.methods or {"*"}
        routes |= {(method, route.path or repr(route)) for method in methods - {"HEAD"}}
    return routes


@pytest.fixture(scope="module")
async def world(app: FastAPI) -> World:
    runtime: Runtime = app.state.runtime
    deps = runtime.dependencies
    home, away, me, mate, stranger, home_admin = (snowflake() for _ in range(6))
    await deps.users.upsert(user_fields(me, guilds=[GuildMembership(guild_id=home, name="H")]))
    for guild in (home, away):
        # Configured, so a digest request is refused for who asks, not for a missing channel.
        await deps.guild_configs.save(GuildConfig(guild_id=guild, digest_channel_id=1))
    mates_match = await deps.matches.add(match_fields(guild_id=home, user_id=mate))
    strangers_match = await deps.matches.add(match_fields(guild_id=away, user_id=stranger))

    async def command(guild: int, requested_by: int, kind: str = POST_DIGEST_KIND) -> str:
        payload = {"guild_id": guild, "requested_by": requested_by}
        return (await deps.outbox.enqueue(outbox_fields(kind=kind, payload=payload))).id

    tokens: AccessTokens = app.state.access_tokens
    return World(
        home=home,
        away=away,
        me=me,
        stranger=stranger,
        mates_match=mates_match,
        strangers_match=strangers_match,
        away_command=await command(away, stranger),
        home_admins_command=await command(home, home_admin),
        internal_message=await command(home, me, kind="discord.followup"),
        headers=await bearer_headers(tokens, deps.refresh_tokens, me),
    )


def test_every_route_is_public_caller_scoped_or_has_a_refusal_case(app: FastAPI) -> None:
    covered = {(case.method, case.route) for case in CASES}
    declared = PUBLIC | CALLER_SCOPED | DASHBOARD_PAGES | covered
    assert app_routes(app) - declared == set(), "give each new route a case in CASES"
    assert declared - app_routes(app) == set(), "a case or declaration names no route"


def resolve(world: World, value: Any) -> Any:
    if isinstance(value, str):
        return world.resolve(value)
    if isinstance(value, dict):
        return {key: resolve(world, item) for key, item in value.items()}
    return value


@pytest.mark.parametrize("case", CASES, ids=[f"{c.method} {c.route} — {c.why}" for c in CASES])
async def test_someone_elses_data_is_refused(
    client: httpx.AsyncClient, world: World, case: Case
) -> None:
    request = client.build_request(
        case.method,
        resolve(world, case.path),
        params=resolve(world, case.params),
        json=resolve(world, case.body),
        headers=world.headers,
    )
    response = await client.send(request)

    assert response.status_code == case.expected, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert str(world.stranger) not in response.text


@pytest.mark.parametrize(
    "method_and_route", sorted(CALLER_SCOPED | {(c.method, c.route) for c in CASES})
)
async def test_every_protected_route_needs_a_login(
    client: httpx.AsyncClient, world: World, method_and_route: tuple[str, str]
) -> None:
    method, route = method_and_route
    path = route.format(
        match_id=world.strangers_match.id, guild_id=world.away, command_id=world.away_command
    )
    response = await client.request(method, path)
    assert response.status_code == 401


async def test_caller_scoped_routes_show_nothing_of_a_server_i_am_not_in(
    client: httpx.AsyncClient, world: World
) -> None:
    summary = await client.get(
        "/api/v1/stats/summary", params={"guild_id": world.away}, headers=world.headers
    )
    trend = await client.get(
        "/api/v1/stats/trend", params={"guild_id": world.away, "stat": "kd"}, headers=world.headers
    )
    assert summary.json()["matches"] == 0 and summary.json()["user_id"] == str(world.me)
    assert trend.json()["points"] == []


async def test_the_refusals_changed_nothing(
    client: httpx.AsyncClient, app: FastAPI, world: World
) -> None:
    for case in CASES:  # run them all (again), then look
        await client.request(
            case.method,
            resolve(world, case.path),
            params=resolve(world, case.params),
            json=resolve(world, case.body),
            headers=world.headers,
        )
    runtime: Runtime = app.state.runtime
    deps = runtime.dependencies
    assert await deps.matches.get(world.mates_match.id) == world.mates_match
    assert await deps.matches.get(world.strangers_match.id) == world.strangers_match
    for guild in (world.home, world.away):
        assert (await deps.guild_configs.get(guild)).updated_by is None
        assert await deps.seasons.all_of(guild) == []
        assert await deps.gamertag_links.of_member(guild, world.me) == []
        assert await deps.gamertag_links.owner_of(guild, "ghost") is None
    queued = await runtime.database.db["outbox"].count_documents(
        {"kind": POST_DIGEST_KIND, "payload.guild_id": {"$in": [world.home, world.away]}}
    )
    assert queued == 2  # the two the world started with
