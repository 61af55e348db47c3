"""Leaderboards, trends, summaries, personal bests and weekly totals.

Leaderboards and summaries add up the day rollups of their period (`app.shared.db.rollups`):
a month of a server is about 30 documents, not every match of it. The other reads are
pipelines, each opening with a `$match` that one index of `matches` serves completely:
equalities on the index's leading fields and at most one range, on `played_at` (the index is
named with a hint where the server benefits, see `app.shared.db.hints`). So the server reads
only the scoped matches of the period; the rest of each pipeline works on those.
A stat's per-match value is computed here exactly as `stat_value` computes it in Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from app.core.analytics import (
    CareerTotals,
    LeaderboardRow,
    PlayerSummary,
    SeriesPoint,
    WeekTotals,
)
from app.core.debriefing.stat_scope import mode_for
from app.core.game.metrics import Stat, stats_for_mode
from app.core.game.rules import Mode, Result
from app.core.ports import AnalyticsRepository
from app.shared.db.documents import MODE_FIELD, MatchDocument, MatchIndex
from app.shared.db.hints import index_hint
from app.shared.db.repositories._base import object_id, played_at_range
from app.shared.db.rollups.reads import guild_totals, player_totals
from app.shared.db.rollups.totals import Totals

Pipeline = list[dict[str, Any]]

_KILLS = "$stats.player.kills"
_DEATHS = "$stats.player.deaths"
_NEWEST_FIRST = {"played_at": -1, "_id": -1}
TOP_PLAYERS = 3


class BeanieAnalyticsRepository(AnalyticsRepository):
    async def leaderboard(
        self,
        guild_id: int,
        stat: Stat,
        *,
        since: datetime | None,
        mode: Mode | None,
        min_matches: int,
        limit: int,
    ) -> list[LeaderboardRow]:
        scoped_mode = mode_for(stat, mode)
        if limit < 1:
            return []
        players = await guild_totals(
            guild_id, _guild_scope(guild_id, scoped_mode), scoped_mode, since, (stat,)
        )
        rows = [
            row
            for user_id, totals in players.items()
            if (row := _leaderboard_row(user_id, stat, totals)) and row.matches >= min_matches
        ]
        direction = -1 if stat.higher_is_better else 1
        rows.sort(key=lambda row: (direction * row.value, -row.matches, row.user_id))
        return rows[:limit]

    async def series(
        self, user_id: int, stat: Stat, *, guild_id: int | None, mode: Mode | None, last: int
    ) -> list[SeriesPoint]:
        query, index = _player_scope(user_id, guild_id, mode_for(stat, mode))
        if last < 1:
            return []
        pipeline: Pipeline = [
            {"$match": query},
            {"$sort": _NEWEST_FIRST},
            {"$limit": last},
            {"$project": {"played_at": 1, "value": stat_expression(stat)}},
        ]
        newest_first = await _aggregate(pipeline, index)
        # A match that does not show the stat (accuracy) is a gap, not a zero.
        return [
            SeriesPoint(match_id=str(raw["_id"]), played_at=raw["played_at"], value=raw["value"])
            for raw in reversed(newest_first)
            if raw["value"] is not None
        ]

    async def summary(
        self, user_id: int, *, guild_id: int | None, mode: Mode | None, since: datetime | None
    ) -> PlayerSummary:
        stats = stats_for_mode(mode)
        scope = _player_scope(user_id, guild_id, mode)
        totals = await player_totals(user_id, guild_id, scope, mode, since, stats)
        return totals.summary(stats)

    async def personal_bests(
        self, user_id: int, mode: Mode, *, excluding_match_id: str | None = None
    ) -> Mapping[Stat, float]:
        """Also takes the match to leave out, so a debrief can ask for the bests *before* the
        match it is about, which is already saved."""
        best = {
            stat.value: {"$max" if stat.higher_is_better else "$min": stat_expression(stat)}
            for stat in stats_for_mode(mode)
        }
        # The exclusion is a stage of its own: the first $match stays an equality prefix of
        # the index, which SecantusDB's planner needs to bound its scan.
        excluded = (
            [{"$match": {"_id": {"$ne": object_id(excluding_match_id)}}}]
            if excluding_match_id is not None
            else []
        )
        pipeline: Pipeline = [
            {"$match": {"user_id": user_id, MODE_FIELD: mode.value}},
            *excluded,
            {"$group": {"_id": None, **best}},
        ]
        found = await _aggregate(pipeline, MatchIndex.BY_USER_MODE)
        if not found:
            return {}
        return {
            Stat(name): float(v) for name, v in found[0].items() if name in best and v is not None
        }

    async def career_totals(self, user_id: int, guild_id: int) -> CareerTotals:
        """Read through the server's index of its players: one player's history there, never
        the collection."""
        pipeline: Pipeline = [
            {"$match": {"guild_id": guild_id, "user_id": user_id}},
            {
                "$group": {
                    "_id": None,
                    "matches": {"$sum": 1},
                    "wins": _count_if_result(Result.WIN),
                    "kills": {"$sum": _KILLS},
                }
            },
        ]
        found = await _aggregate(pipeline, MatchIndex.BY_GUILD_USER)
        totals = found[0] if found else {}
        return CareerTotals(
            matches=totals.get("matches", 0),
            wins=totals.get("wins", 0),
            kills=totals.get("kills", 0),
        )

    async def week_totals(self, guild_id: int, since: datetime, until: datetime) -> WeekTotals:
        pipeline: Pipeline = [
            {"$match": {"guild_id": guild_id, **played_at_range(since, until)}},
            {
                "$group": {
                    "_id": "$user_id",
                    "matches": {"$sum": 1},
                    "wins": _count_if_result(Result.WIN),
                    "losses": _count_if_result(Result.LOSS),
                    "kills": {"$sum": _KILLS},
                    "deaths": {"$sum": _DEATHS},
                }
            },
            {
                "$facet": {
                    "totals": [
                        {"$group": {"_id": None, "players": {"$sum": 1}, **_sums_of_sums()}}
                    ],
                    "top": [
                        {"$set": {"value": _pooled_kd()}},
                        {"$sort": {"value": -1, "matches": -1, "_id": 1}},
                        {"$limit": TOP_PLAYERS},
                    ],
                }
            },
        ]
        (week,) = await _aggregate(pipeline, MatchIndex.BY_GUILD)
        totals = week["totals"][0] if week["totals"] else {}
        return WeekTotals(
            matches=totals.get("matches", 0),
            players=totals.get("players", 0),
            wins=totals.get("wins", 0),
            losses=totals.get("losses", 0),
            kills=totals.get("kills", 0),
            deaths=totals.get("deaths", 0),
            top_players=[_row(raw) for raw in week["top"]],
        )


def stat_expression(stat: Stat) -> Any:
    """The aggregation expression of a stat's value in one match, like `stat_value`."""
    if stat is Stat.KD:
        # kd_ratio: a deathless match counts its kills.
        return {"$cond": [{"$gt": [_DEATHS, 0]}, {"$divide": [_KILLS, _DEATHS]}, _KILLS]}
    if stat is Stat.ACCURACY:
        # "$stats.weapons.accuracy" does not reach into arrays inside expressions on every
        # server; $map does. $avg skips the weapons that show no accuracy, and yields null
        # when none does, like `mean_accuracy`.
        weapons = {"$map": {"input": "$stats.weapons", "as": "weapon", "in": "$$weapon.accuracy"}}
        return {"$avg": weapons}
    return f"$stats.player.{stat.value}"


def _leaderboard_row(user_id: int, stat: Stat, totals: Totals) -> LeaderboardRow | None:
    """A player's row: K/D pooled over their matches (total kills over total deaths, at least
    one, like `kd_ratio`), any other stat averaged over the matches that show it."""
    if stat is Stat.KD:
        if not totals.matches:
            return None
        value = totals.kills / max(totals.deaths, 1)
        return LeaderboardRow(user_id=user_id, value=value, matches=totals.matches)
    average = totals.average(stat)
    if average is None:
        return None
    return LeaderboardRow(user_id=user_id, value=average, matches=totals.shown[stat.value])


def _pooled_kd() -> dict[str, Any]:
    # Total kills over total deaths, and over one death when there were none (as kd_ratio).
    return {"$divide": ["$kills", {"$max": ["$deaths", 1]}]}


def _count_if_result(result: Result) -> dict[str, Any]:
    return {"$sum": {"$cond": [{"$eq": ["$stats.result", result.value]}, 1, 0]}}


def _sums_of_sums() -> dict[str, Any]:
    return {
        field: {"$sum": f"${field}"} for field in ("matches", "wins", "losses", "kills", "deaths")
    }


def _row(raw: Mapping[str, Any]) -> LeaderboardRow:
    return LeaderboardRow(user_id=raw["_id"], value=float(raw["value"]), matches=raw["matches"])


def _guild_scope(guild_id: int, mode: Mode | None) -> tuple[dict[str, Any], str]:
    if mode is None:
        return {"guild_id": guild_id}, MatchIndex.BY_GUILD
    return {"guild_id": guild_id, MODE_FIELD: mode.value}, MatchIndex.BY_GUILD_MODE


def _player_scope(
    user_id: int, guild_id: int | None, mode: Mode | None
) -> tuple[dict[str, Any], str]:
    query: dict[str, Any] = {"user_id": user_id}
    if guild_id is not None:
        query["guild_id"] = guild_id
    if mode is not None:
        query[MODE_FIELD] = mode.value
    index = {
        (False, False): MatchIndex.BY_USER,
        (False, True): MatchIndex.BY_USER_MODE,
        (True, False): MatchIndex.BY_GUILD_USER,
        (True, True): MatchIndex.BY_GUILD_USER_MODE,
    }[(guild_id is not None, mode is not None)]
    return query, index


async def _aggregate(pipeline: Pipeline, index: str) -> list[dict[str, Any]]:
    cursor = await MatchDocument.get_pymongo_collection().aggregate(pipeline, **index_hint(index))
    return await cursor.to_list()
