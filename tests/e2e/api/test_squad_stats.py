"""/api/v1/stats/compare and /api/v1/stats/session through the real app: a squadmate only in a
server the caller shares, nothing of another server; your own session only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from app.core.accounts import GuildMembership
from app.core.guilds import GuildConfig
from app.core.outbox import RECORD_KIND, OutboxStatus
from app.shared.runtime import Runtime
from tests.e2e.api.conftest import SignIn
from tests.e2e.api.test_stats import NOW, Player, hardpoint, snowflake

PROBLEM = "application/problem+json"


@pytest.fixture
def home() -> int:
    return snowflake()


@pytest.fixture
async def squad(runtime: Runtime, home: int) -> tuple[Player, Player]:
    """Two players of `home`: you (kills 10, 20, 30) and a mate (kills 25, 35); you also
    played 60 kills in another server, and the mate 90."""
    you, mate = Player(runtime, snowflake()), Player(runtime, snowflake())
    elsewhere = snowflake()
    for days, kills in ((3, 10), (2, 20), (1, 30)):
        await you.played(home, days, hardpoint(kills=kills))
    for days, kills in ((2, 25), (1, 35)):
        await mate.played(home, days, hardpoint(kills=kills))
    await you.played(elsewhere, 0.5, hardpoint(kills=60))
    await mate.played(elsewhere, 0.5, hardpoint(kills=90))
    return you, mate


async def signed_in(sign_in: SignIn, player: Player, *guilds: int) -> dict[str, str]:
    return await sign_in(
        player.user_id, [GuildMembership(guild_id=g, name="Squad") for g in guilds]
    )


def compare_query(home: int, mate: Player, **extra: Any) -> dict[str, Any]:
    return {"guild_id": str(home), "player_id": str(mate.user_id), **extra}


async def test_compare_shows_both_players_in_the_shared_server_only(
    client: httpx.AsyncClient, sign_in: SignIn, squad: tuple[Player, Player], home: int
) -> None:
    you, mate = squad
    headers = await signed_in(sign_in, you, home)

    response = await client.get(
        "/api/v1/stats/compare", params=compare_query(home, mate, stat="kills"), headers=headers
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["you"]["user_id"], body["them"]["user_id"]) == (
        str(you.user_id),
        str(mate.user_id),
    )
    assert [p["value"] for p in body["you"]["points"]] == [10, 20, 30]
    assert [p["value"] for p in body["them"]["points"]] == [25, 35]
    assert (body["you"]["stat_best"], body["them"]["stat_best"]) == (30, 35)  # not 60 or 90
    assert (body["you"]["summary"]["matches"], body["them"]["summary"]["matches"]) == (3, 2)
    best = next(line for line in body["table"] if line["label"] == "Best Kills")
    assert best == {"label": "Best Kills", "you": "30", "them": "35", "leader": "them"}


async def test_compare_in_a_server_you_are_not_in_is_not_found(
    client: httpx.AsyncClient, sign_in: SignIn, squad: tuple[Player, Player], home: int
) -> None:
    you, mate = squad
    headers = await signed_in(sign_in, you, snowflake())  # a member elsewhere only

    response = await client.get(
        "/api/v1/stats/compare", params=compare_query(home, mate), headers=headers
    )

    assert response.status_code == 404
    assert response.headers["content-type"].startswith(PROBLEM)
    assert "mate" not in response.text.lower() and str(mate.user_id) not in response.text


async def test_compare_with_someone_who_never_played_in_the_server_is_not_found(
    client: httpx.AsyncClient, sign_in: SignIn, squad: tuple[Player, Player], home: int
) -> None:
    you, _ = squad
    stranger = Player(you.runtime, snowflake())
    await stranger.played(snowflake(), 1, hardpoint())
    headers = await signed_in(sign_in, you, home)

    response = await client.get(
        "/api/v1/stats/compare", params=compare_query(home, stranger), headers=headers
    )

    assert response.status_code == 404
    assert response.json()["detail"] == "That player has no matches in this server."


@pytest.mark.parametrize(
    ("extra", "status"), [({"last": "1"}, 422), ({"stat": "nonsense"}, 422), ({}, 400)]
)
async def test_compare_refuses_bad_input_clearly(
    client: httpx.AsyncClient,
    sign_in: SignIn,
    squad: tuple[Player, Player],
    home: int,
    extra: dict[str, Any],
    status: int,
) -> None:
    you, _ = squad
    headers = await signed_in(sign_in, you, home)
    # With nothing else wrong, comparing with yourself is the bad input.
    params = compare_query(home, you, **extra)

    response = await client.get("/api/v1/stats/compare", params=params, headers=headers)

    assert response.status_code == status
    assert response.headers["content-type"].startswith(PROBLEM)


async def test_the_session_is_your_latest_run_of_matches(
    client: httpx.AsyncClient, sign_in: SignIn, runtime: Runtime, home: int
) -> None:
    you = Player(runtime, snowflake())
    for hours, kills in ((0.2, 30), (1.0, 20), (1.5, 10), (9, 50)):
        await you.played(home, hours / 24, hardpoint(kills=kills))
    headers = await signed_in(sign_in, you, home)

    response = await client.get(
        "/api/v1/stats/session", params={"guild_id": str(home)}, headers=headers
    )

    assert response.status_code == 200, response.text
    session = response.json()
    assert (session["matches"], session["kills"], session["ongoing"]) == (3, 60, True)
    assert session["best_match"]["kills"] == 30
    started = datetime.fromisoformat(session["started_at"].replace("Z", "+00:00"))
    assert abs(NOW - timedelta(hours=1.5) - started) < timedelta(seconds=1)


async def test_the_session_of_a_server_you_are_not_in_is_not_found(
    client: httpx.AsyncClient, sign_in: SignIn, runtime: Runtime, home: int
) -> None:
    headers = await sign_in(snowflake())

    response = await client.get(
        "/api/v1/stats/session", params={"guild_id": str(home)}, headers=headers
    )

    assert response.status_code == 404
    assert response.headers["content-type"].startswith(PROBLEM)


async def test_a_gap_out_of_range_is_refused(
    client: httpx.AsyncClient, sign_in: SignIn, runtime: Runtime
) -> None:
    headers = await sign_in(snowflake())

    response = await client.get("/api/v1/stats/session", params={"gap_minutes": 5}, headers=headers)

    assert response.status_code == 422


async def test_a_best_set_by_a_correction_is_in_the_debrief_and_queued_for_the_bot(
    client: httpx.AsyncClient, sign_in: SignIn, runtime: Runtime, home: int
) -> None:
    deps = runtime.dependencies
    await deps.guild_configs.save(
        GuildConfig(guild_id=home, digest_channel_id=snowflake(), announce_bests=True)
    )
    you = Player(runtime, snowflake())
    for days in (3, 2, 1):
        await you.played(home, days, hardpoint(kills=20))
    match = await you.played(home, 0.5, hardpoint(kills=20))
    headers = await signed_in(sign_in, you, home)
    corrected = hardpoint(kills=34)
    corrected["player"].pop("gamertag")

    response = await client.patch(f"/api/v1/matches/{match.id}", json=corrected, headers=headers)
    assert response.status_code == 200, response.text
    debrief = await client.get(f"/api/v1/matches/{match.id}/debrief", headers=headers)

    best = "New personal best: 34 kills in Hardpoint"
    assert best in debrief.json()["records"]
    key = f"{RECORD_KIND}:best:{you.user_id}:hardpoint:kills:34"
    queued = await deps.outbox.find(key)
    assert queued is not None and queued.status is OutboxStatus.PENDING
    assert queued.payload["text"] == best and queued.available_at <= datetime.now(UTC)


async def test_a_correction_asked_in_english_rewrites_a_spanish_servers_debrief_in_spanish(
    client: httpx.AsyncClient, sign_in: SignIn, runtime: Runtime, home: int
) -> None:
    deps = runtime.dependencies
    # No setting: the server's language in Discord, as the bot stores it when it sees it.
    await deps.guild_configs.remember_discord_locale(home, "es-ES")
    you = Player(runtime, snowflake())
    for days in (3, 2, 1):
        await you.played(home, days, hardpoint(kills=20))
    match = await you.played(home, 0.5, hardpoint(kills=20))
    headers = {**await signed_in(sign_in, you, home), "Accept-Language": "en"}
    corrected = hardpoint(kills=34)
    corrected["player"].pop("gamertag")

    response = await client.patch(f"/api/v1/matches/{match.id}", json=corrected, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-language"] == "en"  # the visitor's own answer
    debrief = await client.get(f"/api/v1/matches/{match.id}/debrief", headers=headers)

    # The server's debrief, in the server's language.
    assert "Nuevo récord personal: 34 bajas en Punto caliente" in debrief.json()["records"]
