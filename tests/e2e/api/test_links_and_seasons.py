"""/api/v1/guilds/{id}/links and /seasons through the real API app: a member's own names, a
name owned by someone else refused as problem+json, a season started once per key."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx

from app.core.accounts import GuildMembership
from app.shared.runtime import Runtime
from tests.e2e.api.conftest import SignIn
from tests.support.factories import match_fields, raw_hardpoint

MANAGE_GUILD = 1 << 5
PROBLEM = "application/problem+json"


def snowflake() -> int:
    return uuid.uuid4().int >> 66


async def test_a_member_links_and_unlinks_names_and_a_taken_one_is_a_conflict(
    client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    guild, me, mate = snowflake(), snowflake(), snowflake()
    mine = await sign_in(me, [GuildMembership(guild_id=guild, name="Squad")])
    theirs = await sign_in(mate, [GuildMembership(guild_id=guild, name="Squad")])
    links = f"/api/v1/guilds/{guild}/links"

    linked = await client.put(links, json={"gamertag": " Ghost "}, headers=mine)
    again = await client.put(links, json={"gamertag": "ghost"}, headers=mine)
    taken = await client.put(links, json={"gamertag": "GHOST"}, headers=theirs)
    blank = await client.put(links, json={"gamertag": "\u200b"}, headers=mine)
    listed = await client.get(links, headers=mine)
    removed = await client.delete(links, params={"gamertag": "GHOST"}, headers=mine)
    gone = await client.delete(links, params={"gamertag": "ghost"}, headers=mine)

    assert linked.status_code == 200 and linked.json()["gamertag"] == "Ghost"
    assert again.json() == linked.json()
    assert taken.status_code == 409 and taken.headers["content-type"] == PROBLEM
    assert taken.json()["detail"].startswith(f"That name is linked to <@{me}>")
    assert blank.status_code == 422 and blank.headers["content-type"] == PROBLEM
    assert [link["gamertag"] for link in listed.json()["links"]] == ["Ghost"]
    assert removed.status_code == 204
    assert gone.status_code == 404 and gone.headers["content-type"] == PROBLEM


async def test_a_member_turns_auto_record_on_and_off_for_their_own_name_only(
    client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    guild, me, admin = snowflake(), snowflake(), snowflake()
    mine = await sign_in(me, [GuildMembership(guild_id=guild, name="Squad")])
    admins = await sign_in(
        admin, [GuildMembership(guild_id=guild, name="Squad", permissions=MANAGE_GUILD)]
    )
    links = f"/api/v1/guilds/{guild}/links"

    new = await client.put(links, json={"gamertag": "Ghost"}, headers=mine)
    on = await client.put(links, json={"gamertag": "ghost", "auto_record": True}, headers=mine)
    kept = await client.put(links, json={"gamertag": "Ghost"}, headers=mine)
    for_me = {"gamertag": "Ghost", "member_id": str(me), "auto_record": True}
    refused = await client.put(links, json=for_me, headers=admins)
    off = await client.put(links, json={"gamertag": "Ghost", "auto_record": False}, headers=mine)

    assert new.json()["auto_record"] is False
    assert on.json()["auto_record"] is True and on.json()["linked_at"] == new.json()["linked_at"]
    assert kept.json()["auto_record"] is True
    assert refused.status_code == 400 and refused.headers["content-type"] == PROBLEM
    assert off.json()["auto_record"] is False


async def test_an_admin_starts_a_season_once_per_key_and_the_leaderboard_counts_from_it(
    client: httpx.AsyncClient, sign_in: SignIn, runtime: Runtime
) -> None:
    guild, admin = snowflake(), snowflake()
    headers = await sign_in(
        admin, [GuildMembership(guild_id=guild, name="Squad", permissions=MANAGE_GUILD)]
    )
    earlier = datetime.now(UTC) - timedelta(days=2)
    for i in range(3):
        await runtime.dependencies.matches.add(
            match_fields(
                guild_id=guild,
                user_id=admin,
                raw_stats=raw_hardpoint(kills=30, deaths=10),
                played_at=earlier - timedelta(minutes=i),
            )
        )
    seasons = f"/api/v1/guilds/{guild}/seasons"
    keyed = {**headers, "Idempotency-Key": "spring-1"}

    before = await client.get(f"/api/v1/guilds/{guild}/leaderboard?stat=kd", headers=headers)
    started = await client.post(seasons, json={"name": "Spring"}, headers=keyed)
    retried = await client.post(seasons, json={"name": "Spring"}, headers=keyed)
    after = await client.get(f"/api/v1/guilds/{guild}/leaderboard?stat=kd", headers=headers)
    listed = await client.get(seasons, headers=headers)

    assert (before.json()["period"], before.json()["season"]) == ("season", None)
    assert [e["user_id"] for e in before.json()["entries"]] == [str(admin)]
    assert started.status_code == 201 and retried.json() == started.json()
    kd = next(p for p in started.json()["ended"]["podiums"] if p["stat"] == "kd")
    assert [(p["user_id"], p["value"]) for p in kd["places"]] == [(str(admin), 3.0)]
    assert (after.json()["season"], after.json()["entries"]) == ("Spring", [])
    assert [s["name"] for s in listed.json()["seasons"]] == ["Spring"]
