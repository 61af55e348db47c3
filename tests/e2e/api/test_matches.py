"""/api/v1/matches through the real app: listing, filters, paging, reading, correcting, deleting."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest

from app.core.accounts import GuildMembership
from app.core.debriefs import DebriefFields, DebriefSource
from app.core.matches import CapturedFrom, Match, MatchSource
from app.shared.runtime import Runtime
from tests.e2e.api.conftest import SignIn
from tests.support.factories import T0, match_fields, raw_hardpoint, raw_search_and_destroy

MANAGE_GUILD = 1 << 5


def snowflake() -> int:
    """A fresh id for each test, so tests sharing the module's database never meet."""
    return uuid.uuid4().int >> 66


async def add_match(runtime: Runtime, guild_id: int, user_id: int, **fields: Any) -> Match:
    return await runtime.dependencies.matches.add(
        match_fields(guild_id=guild_id, user_id=user_id, **fields)
    )


@pytest.fixture
def guild() -> int:
    return snowflake()


@pytest.fixture
def me() -> int:
    return snowflake()


@pytest.fixture
async def my_headers(sign_in: SignIn, me: int, guild: int) -> dict[str, str]:
    return await sign_in(me, [GuildMembership(guild_id=guild, name="Home")])


async def test_a_listing_defaults_to_my_own_matches_everywhere_newest_first(
    client: httpx.AsyncClient, runtime: Runtime, my_headers: dict[str, str], me: int, guild: int
) -> None:
    elsewhere = snowflake()
    older = await add_match(runtime, guild, me, played_at=T0)
    newer = await add_match(runtime, elsewhere, me, played_at=T0 + timedelta(hours=1))
    await add_match(runtime, guild, snowflake())  # a squadmate's

    response = await client.get("/api/v1/matches", headers=my_headers)

    assert response.status_code == 200
    page = response.json()
    assert [item["id"] for item in page["items"]] == [newer.id, older.id]
    assert page["next_cursor"] is None
    first = page["items"][0]
    assert first["user_id"] == str(me) and first["guild_id"] == str(elsewhere)
    assert first["player"]["kills"] == 31 and first["player"]["kd"] == pytest.approx(31 / 22)
    assert first["weapons"][0]["name"] == "M15 Mod 0"
    assert first["mode"] == "hardpoint" and first["corrected"] is False


async def test_a_server_listing_covers_every_member_and_the_filters_narrow_it(
    client: httpx.AsyncClient, runtime: Runtime, my_headers: dict[str, str], me: int, guild: int
) -> None:
    mate = snowflake()
    mine = await add_match(runtime, guild, me, played_at=T0)
    theirs = await add_match(runtime, guild, mate, played_at=T0 + timedelta(minutes=5))
    sd = await add_match(
        runtime, guild, mate, played_at=T0 + timedelta(days=2), raw_stats=raw_search_and_destroy()
    )

    async def ids(**params: Any) -> list[str]:
        response = await client.get(
            "/api/v1/matches", params={"guild_id": guild, **params}, headers=my_headers
        )
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert await ids() == [sd.id, theirs.id, mine.id]
    assert await ids(user_id=mate) == [sd.id, theirs.id]
    assert await ids(mode="search_and_destroy") == [sd.id]
    assert await ids(map="den") == [theirs.id, mine.id]  # the catalog's spelling
    window = {"played_from": T0.isoformat(), "played_until": (T0 + timedelta(days=1)).isoformat()}
    assert await ids(**window) == [theirs.id, mine.id]


async def test_pages_follow_the_cursor_without_gaps_or_repeats(
    client: httpx.AsyncClient, runtime: Runtime, my_headers: dict[str, str], me: int, guild: int
) -> None:
    # Several matches share a played_at: the cursor must break the tie.
    saved = [
        await add_match(runtime, guild, me, played_at=T0 + timedelta(minutes=i // 3))
        for i in range(11)
    ]
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 4, **({"cursor": cursor} if cursor else {})}
        response = await client.get("/api/v1/matches", params=params, headers=my_headers)
        assert response.status_code == 200
        body = response.json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
        # A match logged meanwhile is newer than the cursor: it never shifts later pages.
        await add_match(runtime, guild, me, played_at=T0 + timedelta(days=1))
    assert pages == 3
    assert sorted(seen) == sorted(m.id for m in saved)
    assert len(set(seen)) == len(seen)


async def test_a_garbled_cursor_is_a_problem_not_a_crash(
    client: httpx.AsyncClient, my_headers: dict[str, str]
) -> None:
    response = await client.get(
        "/api/v1/matches", params={"cursor": "not-a-cursor"}, headers=my_headers
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/invalid-input"


async def test_another_players_matches_need_a_shared_server(
    client: httpx.AsyncClient, runtime: Runtime, my_headers: dict[str, str], guild: int
) -> None:
    stranger_server = snowflake()
    mate = snowflake()
    await add_match(runtime, stranger_server, mate)

    without_server = await client.get(
        "/api/v1/matches", params={"user_id": mate}, headers=my_headers
    )
    not_my_server = await client.get(
        "/api/v1/matches", params={"user_id": mate, "guild_id": stranger_server}, headers=my_headers
    )
    shared = await client.get(
        "/api/v1/matches", params={"user_id": mate, "guild_id": guild}, headers=my_headers
    )

    assert without_server.status_code == 403
    assert not_my_server.status_code == 404
    assert shared.status_code == 200 and shared.json()["items"] == []


async def test_get_one_match(
    client: httpx.AsyncClient, runtime: Runtime, my_headers: dict[str, str], guild: int
) -> None:
    mates = await add_match(runtime, guild, snowflake(), note="clutch")
    response = await client.get(f"/api/v1/matches/{mates.id}", headers=my_headers)
    assert response.status_code == 200
    assert response.json()["note"] == "clutch"
    missing = await client.get(f"/api/v1/matches/{'0' * 24}", headers=my_headers)
    assert missing.status_code == 404


async def test_a_captured_match_says_whose_upload_it_came_from(
    client: httpx.AsyncClient, runtime: Runtime, my_headers: dict[str, str], me: int, guild: int
) -> None:
    uploader = snowflake()
    origin = await add_match(runtime, guild, uploader)
    captured = await add_match(
        runtime,
        guild,
        me,
        source=MatchSource.CAPTURED,
        screenshot_hashes=[],
        captured_from=CapturedFrom(match_id=origin.id, user_id=uploader),
    )

    one = (await client.get(f"/api/v1/matches/{captured.id}", headers=my_headers)).json()
    listed = (await client.get("/api/v1/matches", headers=my_headers)).json()["items"]
    theirs = (await client.get(f"/api/v1/matches/{origin.id}", headers=my_headers)).json()

    assert one["source"] == "captured"
    assert one["captured_from"] == {"match_id": origin.id, "user_id": str(uploader)}
    assert [item["captured_from"] for item in listed] == [one["captured_from"]]
    assert theirs["captured_from"] is None and theirs["source"] == "ai"


def corrected_stats(**player: Any) -> dict[str, Any]:
    raw = raw_hardpoint(**player)
    raw["player"].pop("gamertag")
    return raw


async def test_patch_corrects_the_stats_and_marks_the_match(
    client: httpx.AsyncClient, runtime: Runtime, my_headers: dict[str, str], me: int, guild: int
) -> None:
    match = await add_match(runtime, guild, me)

    response = await client.patch(
        f"/api/v1/matches/{match.id}", json=corrected_stats(kills=40), headers=my_headers
    )

    assert response.status_code == 200, response.text
    assert response.json()["player"]["kills"] == 40
    assert response.json()["corrected"] is True
    stored = await runtime.dependencies.matches.get(match.id)
    assert stored is not None and stored.corrected and stored.stats.player.kills == 40


async def test_patch_with_impossible_stats_lists_every_problem_and_changes_nothing(
    client: httpx.AsyncClient, runtime: Runtime, my_headers: dict[str, str], me: int, guild: int
) -> None:
    match = await add_match(runtime, guild, me)
    bad = corrected_stats(kills=500, captures=90)

    response = await client.patch(f"/api/v1/matches/{match.id}", json=bad, headers=my_headers)

    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "/problems/invalid-match-stats"
    fields = {error["field"] for error in problem["errors"]}
    assert {"player.kills", "player.captures"} <= fields
    assert await runtime.dependencies.matches.get(match.id) == match


async def test_patch_with_a_malformed_body_is_a_validation_problem(
    client: httpx.AsyncClient, runtime: Runtime, my_headers: dict[str, str], me: int, guild: int
) -> None:
    match = await add_match(runtime, guild, me)
    bad = corrected_stats()
    bad["player"]["kills"] = True  # a boolean is never a count

    response = await client.patch(f"/api/v1/matches/{match.id}", json=bad, headers=my_headers)

    assert response.status_code == 422
    assert response.json()["type"] == "/problems/validation"
    assert [e["field"] for e in response.json()["errors"]] == ["body.player.kills"]
    assert await runtime.dependencies.matches.get(match.id) == match


async def test_only_the_player_or_a_server_admin_may_change_a_match(
    client: httpx.AsyncClient, runtime: Runtime, sign_in: SignIn, me: int, guild: int
) -> None:
    match = await add_match(runtime, guild, me)
    member = await sign_in(snowflake(), [GuildMembership(guild_id=guild, name="Home")])
    admin = await sign_in(
        snowflake(), [GuildMembership(guild_id=guild, name="Home", permissions=MANAGE_GUILD)]
    )
    url = f"/api/v1/matches/{match.id}"

    assert (await client.patch(url, json=corrected_stats(), headers=member)).status_code == 403
    assert (await client.delete(url, headers=member)).status_code == 403
    assert (await client.patch(url, json=corrected_stats(), headers=admin)).status_code == 200
    assert (await client.delete(url, headers=admin)).status_code == 204
    assert await runtime.dependencies.matches.get(match.id) is None


async def test_delete_removes_the_match_and_its_debrief(
    client: httpx.AsyncClient, runtime: Runtime, my_headers: dict[str, str], me: int, guild: int
) -> None:
    match = await add_match(runtime, guild, me)
    debriefs = runtime.dependencies.debriefs
    await debriefs.save(
        DebriefFields(
            match_id=match.id,
            guild_id=guild,
            user_id=me,
            headline="Held the hill",
            strengths=["captures"],
            to_work_on=["deaths"],
            source=DebriefSource.TEMPLATE,
            created_at=T0,
        )
    )

    response = await client.delete(f"/api/v1/matches/{match.id}", headers=my_headers)

    assert response.status_code == 204 and response.content == b""
    assert await runtime.dependencies.matches.get(match.id) is None
    assert await debriefs.get_for_match(match.id) is None
    again = await client.delete(f"/api/v1/matches/{match.id}", headers=my_headers)
    assert again.status_code == 404
