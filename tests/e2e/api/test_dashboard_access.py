"""The dashboard's pages show a visitor only what the API would: no page reveals another
server's data, forms need the session's CSRF token and our origin, errors are HTML pages.

Alice plays in her server A and in S, which she shares with Bob (an admin of both S and B);
Bob's server B, its matches and its players must never appear on any page of Alice's.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from app.core.accounts import GuildMembership
from app.core.clock import utc_now
from app.core.matches import CapturedFrom, Match, MatchSource
from app.shared.runtime import Runtime
from tests.e2e.api.conftest import API_ORIGIN
from tests.e2e.api.dashboard_session import log_in_cookies
from tests.support.factories import match_fields, raw_search_and_destroy, user_fields

pytestmark = pytest.mark.e2e

ALICE, BOB, CAROL = 7_100_000_000_000_001, 7_100_000_000_000_002, 7_100_000_000_000_003
SERVER_A, SHARED, SERVER_B = 7_200_000_000_000_001, 7_200_000_000_000_002, 7_200_000_000_000_003
MANAGE_GUILD = 1 << 5
SERVER_B_NAME = "Bobs Secret Base"


@dataclass(frozen=True)
class World:
    alice_a: Match
    alice_shared: Match
    bob_shared: Match
    bob_b: Match
    carol_b: Match

    @property
    def server_b_secrets(self) -> tuple[str, ...]:
        """Anything that would show a page of Alice's knows of server B."""
        return (
            str(SERVER_B),
            SERVER_B_NAME,
            self.bob_b.id,
            self.carol_b.id,
            str(CAROL),
            "BobsOtherTag",
        )


@pytest.fixture(scope="module")
async def world(app: FastAPI) -> World:
    runtime: Runtime = app.state.runtime
    deps = runtime.dependencies
    await deps.users.upsert(
        user_fields(
            ALICE,
            username="alice",
            guilds=[
                GuildMembership(guild_id=SERVER_A, name="Alices Squad", permissions=MANAGE_GUILD),
                GuildMembership(guild_id=SHARED, name="Shared Lobby"),
            ],
        )
    )
    await deps.users.upsert(
        user_fields(
            BOB,
            username="bob",
            guilds=[
                GuildMembership(guild_id=SHARED, name="Shared Lobby", permissions=MANAGE_GUILD),
                GuildMembership(guild_id=SERVER_B, name=SERVER_B_NAME, permissions=MANAGE_GUILD),
            ],
        )
    )
    now = utc_now()

    async def add(user: int, guild: int, minutes_ago: int, **raw: object) -> Match:
        fields = match_fields(
            user_id=user, guild_id=guild, played_at=now - timedelta(minutes=minutes_ago), **raw
        )
        return await deps.matches.add(fields)

    return World(
        alice_a=await add(ALICE, SERVER_A, 30),
        alice_shared=await add(ALICE, SHARED, 20),
        bob_shared=await add(BOB, SHARED, 10),
        bob_b=await add(
            BOB, SERVER_B, 5, raw_stats=raw_search_and_destroy(gamertag="BobsOtherTag")
        ),
        carol_b=await add(CAROL, SERVER_B, 4),
    )


@pytest.fixture
async def alice(app: FastAPI, world: World) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=API_ORIGIN, headers={"Origin": API_ORIGIN}
    ) as client:
        csrf = await log_in_cookies(app, client, ALICE)
        yield client, csrf


def assert_no_secret(world: World, response: httpx.Response) -> None:
    for secret in world.server_b_secrets:
        assert secret not in response.text, f"{response.url} shows {secret!r}"


def assert_html(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


async def test_no_page_of_alices_reveals_server_b(
    alice: tuple[httpx.AsyncClient, str], world: World
) -> None:
    client, _ = alice
    pages = {
        "/dashboard/matches": 200,
        "/dashboard/matches?period=week&mode=hardpoint": 200,
        f"/dashboard/matches/{world.alice_a.id}": 200,
        f"/dashboard/matches/{world.bob_shared.id}": 200,
        f"/dashboard/matches/{world.bob_b.id}": 404,
        f"/dashboard/matches/{world.carol_b.id}": 404,
        "/dashboard/trends": 200,
        f"/dashboard/trends?guild_id={SHARED}&compare_with={BOB}&stat=kills": 200,
        f"/dashboard/trends?guild_id={SERVER_B}&compare_with={BOB}": 404,
        f"/dashboard/trends?guild_id={SERVER_B}&compare_with={CAROL}": 404,
        f"/dashboard/trends?compare_with={BOB}": 403,
        "/dashboard/servers": 200,
        f"/dashboard/servers/{SHARED}": 200,
        f"/dashboard/servers/{SERVER_A}": 200,
        f"/dashboard/servers/{SERVER_B}": 404,
        f"/dashboard/servers/{SERVER_B}?stat=kills&period=all": 404,
    }
    for path, status in pages.items():
        response = await client.get(path)
        assert_html(response, status)
        assert_no_secret(world, response)
    export = await client.get("/api/v1/matches/export.csv")
    assert export.status_code == 200
    assert_no_secret(world, export)


async def test_the_listing_holds_only_the_visitors_matches(
    alice: tuple[httpx.AsyncClient, str], world: World
) -> None:
    client, _ = alice
    page = await client.get("/dashboard/matches")
    linked = set(re.findall(r"/dashboard/matches/([0-9a-f]{24})", page.text))
    assert linked == {world.alice_a.id, world.alice_shared.id}


async def test_a_shared_servers_match_is_visible_but_not_changeable_by_a_member(
    alice: tuple[httpx.AsyncClient, str], world: World
) -> None:
    client, csrf = alice
    page = await client.get(f"/dashboard/matches/{world.bob_shared.id}")
    assert "Correct the stats" not in page.text and "Delete the match" not in page.text
    for action in ("correct", "delete"):
        refused = await client.post(
            f"/dashboard/matches/{world.bob_shared.id}/{action}",
            data={"csrf_token": csrf, "confirm": "yes", "map": "Den"},
        )
        assert_html(refused, 403)
    invisible = await client.post(
        f"/dashboard/matches/{world.bob_b.id}/delete", data={"csrf_token": csrf, "confirm": "yes"}
    )
    assert_html(invisible, 404)
    assert_no_secret(world, invisible)


async def test_settings_are_for_admins_and_other_servers_do_not_exist(
    alice: tuple[httpx.AsyncClient, str], world: World
) -> None:
    client, csrf = alice
    shared = await client.get(f"/dashboard/servers/{SHARED}")
    assert "Save the settings" not in shared.text
    assert "Only the server's admins" in shared.text
    own = await client.get(f"/dashboard/servers/{SERVER_A}")
    assert "Save the settings" in own.text
    form = {
        "csrf_token": csrf,
        "digest_channel_id": "",
        "digest_weekday": "2",
        "digest_hour_utc": "18",
        "ask_scope": "server",
        "debrief_cooldown_s": "30",
        "ask_cooldown_s": "15",
    }
    assert_html(await client.post(f"/dashboard/servers/{SHARED}/settings", data=form), 403)
    refused = await client.post(f"/dashboard/servers/{SERVER_B}/settings", data=form)
    assert_html(refused, 404)
    assert_no_secret(world, refused)


async def test_forms_need_the_sessions_csrf_token_and_our_origin(
    alice: tuple[httpx.AsyncClient, str], world: World
) -> None:
    client, csrf = alice
    target = f"/dashboard/matches/{world.alice_a.id}/delete"
    missing = await client.post(target, data={"confirm": "yes"})
    assert_html(missing, 403)
    forged = await client.post(target, data={"confirm": "yes", "csrf_token": csrf + "x"})
    assert_html(forged, 403)
    foreign = await client.post(
        target,
        data={"confirm": "yes", "csrf_token": csrf},
        headers={"Origin": "https://evil.example"},
    )
    assert_html(foreign, 403)
    still_there = await client.get(f"/dashboard/matches/{world.alice_a.id}")
    assert still_there.status_code == 200


async def test_without_a_session_pages_send_the_browser_to_log_in(app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=API_ORIGIN) as client:
        landing = await client.get("/")
        assert_html(landing, 200)
        assert "/api/v1/auth/login?next=%2Fdashboard%2Fmatches" in landing.text
        away = await client.get("/dashboard/trends?stat=kills")
        assert away.status_code == 303
        assert away.headers["location"] == "/?next=%2Fdashboard%2Ftrends%3Fstat%3Dkills"
        client.cookies.set("debrief_csrf", "left-from-a-session")
        renew = await client.get("/dashboard/servers")
        assert renew.headers["location"] == "/dashboard/session?next=%2Fdashboard%2Fservers"
        session_page = await client.get(renew.headers["location"])
        assert_html(session_page, 200)
        assert 'action="/api/v1/auth/resume"' in session_page.text


async def test_errors_are_pages_on_the_dashboard_and_problems_on_the_api(
    alice: tuple[httpx.AsyncClient, str],
) -> None:
    client, _ = alice
    page = await client.get("/dashboard/matches?mode=capture_the_flag")
    assert_html(page, 422)
    assert "Check these fields: query.mode." in page.text
    missing = await client.get("/dashboard/nowhere")
    assert_html(missing, 404)
    api = await client.get("/api/v1/nowhere")
    assert api.headers["content-type"] == "application/problem+json"


async def test_a_body_over_the_cap_is_refused_with_a_page_too(
    app: FastAPI, alice: tuple[httpx.AsyncClient, str]
) -> None:
    client, _ = alice
    runtime: Runtime = app.state.runtime
    too_large = b"x" * (runtime.settings.max_request_body_bytes + 1)
    refused = await client.post(
        "/dashboard/logout",
        content=too_large,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_html(refused, 413)


async def test_resuming_without_a_session_leads_to_the_login_and_only_from_our_pages(
    app: FastAPI,
) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=API_ORIGIN) as client:
        form = {"next": "/dashboard/trends"}
        foreign = await client.post(
            "/api/v1/auth/resume", data=form, headers={"Origin": "https://evil.example"}
        )
        assert foreign.status_code == 403
        ended = await client.post("/api/v1/auth/resume", data=form, headers={"Origin": API_ORIGIN})
        assert ended.status_code == 303
        assert ended.headers["location"] == "/?next=%2Fdashboard%2Ftrends"
        assert "debrief_csrf=" in ended.headers["set-cookie"]  # cleared, so no loop back here


async def test_a_captured_match_says_it_came_from_a_squad_mates_upload(
    app: FastAPI, alice: tuple[httpx.AsyncClient, str], world: World
) -> None:
    client, _ = alice
    matches = app.state.runtime.dependencies.matches
    captured = await matches.add(
        match_fields(
            user_id=ALICE,
            guild_id=SHARED,
            played_at=world.bob_shared.played_at,
            source=MatchSource.CAPTURED,
            screenshot_hashes=[],
            captured_from=CapturedFrom(match_id=world.bob_shared.id, user_id=BOB),
        )
    )
    try:
        page = await client.get(f"/dashboard/matches/{captured.id}")
        own = await client.get(f"/dashboard/matches/{world.alice_shared.id}")
    finally:
        await matches.delete(captured.id)

    assert_html(page, 200)
    assert "recorded from a squad mate's upload" in page.text
    assert "squad mate" not in own.text
