"""/api/v1/stats: a player's summary and trend through the real app."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from app.core.matches import Match
from app.shared.runtime import Runtime
from tests.e2e.api.conftest import SignIn
from tests.support.factories import match_fields, raw_hardpoint, raw_search_and_destroy

NOW = datetime.now(UTC)


def snowflake() -> int:
    return uuid.uuid4().int >> 66


def by_stat(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {entry["stat"]: entry for entry in entries}


class Player:
    def __init__(self, runtime: Runtime, user_id: int) -> None:
        self.runtime = runtime
        self.user_id = user_id

    async def played(self, guild: int, days_ago: float, raw: dict[str, Any]) -> Match:
        return await self.runtime.dependencies.matches.add(
            match_fields(
                guild_id=guild,
                user_id=self.user_id,
                raw_stats=raw,
                played_at=NOW - timedelta(days=days_ago),
            )
        )


@pytest.fixture
async def player(runtime: Runtime) -> Player:
    return Player(runtime, snowflake())


@pytest.fixture
async def headers(sign_in: SignIn, player: Player) -> dict[str, str]:
    return await sign_in(player.user_id)


def hardpoint(**player: Any) -> dict[str, Any]:
    raw = raw_hardpoint(**player)
    kills = raw["player"]["kills"]
    raw["weapons"] = [{"name": "M15 Mod 0", "kills": kills, "headshots": 0, "accuracy": 23.5}]
    return raw


def hardpoint_loss(**player: Any) -> dict[str, Any]:
    raw = hardpoint(**player)
    raw.update(result="loss", team_score=200, enemy_score=250)
    return raw


async def test_the_summary_counts_results_pooled_kd_averages_and_bests(
    client: httpx.AsyncClient, player: Player, headers: dict[str, str]
) -> None:
    home, away = snowflake(), snowflake()
    best_score = await player.played(home, 1, hardpoint(kills=30, deaths=10, score=7000))
    await player.played(home, 2, hardpoint_loss(kills=10, deaths=20, score=3000))
    sd = await player.played(away, 3, raw_search_and_destroy(kills=8, deaths=2, score=2000))

    response = await client.get("/api/v1/stats/summary", headers=headers)

    assert response.status_code == 200
    summary = response.json()
    assert summary["user_id"] == str(player.user_id)
    assert (summary["matches"], summary["wins"], summary["losses"]) == (3, 1, 2)
    assert summary["win_rate"] == pytest.approx(1 / 3)
    assert (summary["kills"], summary["deaths"]) == (48, 32)
    assert summary["kd"] == pytest.approx(48 / 32)
    averages, bests = by_stat(summary["averages"]), by_stat(summary["bests"])
    assert averages["kills"]["value"] == pytest.approx(16)
    assert averages["accuracy"]["matches"] == 2  # the S&D match shows no accuracy
    assert bests["score"]["match_id"] == best_score.id and bests["score"]["value"] == 7000
    assert bests["kd"]["match_id"] == sd.id and bests["kd"]["value"] == 4
    assert bests["deaths"]["value"] == 2  # fewer is better
    assert "captures" not in bests  # only stats every mode has, without a mode


async def test_the_summary_narrows_to_a_server_a_mode_and_a_period(
    client: httpx.AsyncClient, player: Player, headers: dict[str, str]
) -> None:
    home, away = snowflake(), snowflake()
    await player.played(home, 1, raw_hardpoint(captures=7))
    await player.played(home, 45, raw_hardpoint())
    await player.played(away, 1, raw_search_and_destroy())

    async def summary(**params: Any) -> dict[str, Any]:
        response = await client.get("/api/v1/stats/summary", params=params, headers=headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    assert (await summary(guild_id=home))["matches"] == 2
    assert (await summary(period="month"))["matches"] == 2
    hardpoint_month = await summary(mode="hardpoint", period="month")
    assert hardpoint_month["matches"] == 1
    assert by_stat(hardpoint_month["bests"])["captures"]["value"] == 7
    empty = await summary(guild_id=snowflake())
    assert (empty["matches"], empty["kd"], empty["win_rate"], empty["bests"]) == (0, None, None, [])


async def test_the_trend_is_the_last_matches_oldest_first_with_a_rolling_average(
    client: httpx.AsyncClient, player: Player, headers: dict[str, str]
) -> None:
    home = snowflake()
    kills = [10, 20, 30, 40, 50, 60, 70]
    for days_ago, count in zip(range(len(kills), 0, -1), kills, strict=True):
        await player.played(home, days_ago, hardpoint(kills=count, deaths=10))
    await player.played(snowflake(), 0.5, raw_search_and_destroy(kills=5))

    response = await client.get(
        "/api/v1/stats/trend",
        params={"stat": "kills", "last": 6, "guild_id": home},
        headers=headers,
    )

    assert response.status_code == 200
    trend = response.json()
    assert (trend["stat"], trend["label"], trend["guild_id"]) == ("kills", "Kills", str(home))
    assert [p["value"] for p in trend["points"]] == [20, 30, 40, 50, 60, 70]
    assert [p["rolling_average"] for p in trend["points"]] == [20, 25, 30, 35, 40, 50]


async def test_a_stat_the_mode_does_not_have_is_an_invalid_input_problem(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    response = await client.get(
        "/api/v1/stats/trend", params={"stat": "plants", "mode": "hardpoint"}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["type"] == "/problems/invalid-input"


async def test_stats_are_only_ever_the_callers_own(
    client: httpx.AsyncClient, runtime: Runtime, sign_in: SignIn, player: Player
) -> None:
    await player.played(snowflake(), 1, raw_hardpoint())
    someone_else = await sign_in(snowflake())

    summary = await client.get("/api/v1/stats/summary", headers=someone_else)
    trend = await client.get("/api/v1/stats/trend", params={"stat": "kd"}, headers=someone_else)

    assert summary.json()["matches"] == 0
    assert trend.json()["points"] == []
