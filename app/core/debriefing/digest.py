"""The weekly squad digest: which days it covers, its facts for the AI, and a plain fallback.

A digest covers the seven days up to its post: posted on Friday evening, it is the week the
squad just played, today's matches included. Scheduled posts cover from the scheduled hour
of one week to the same hour of the next, so consecutive digests meet without a gap. Each is
named by the ISO week in UTC its last day falls in, like "2026-W47": at most one digest per
server and name, so that every shard and every restart agrees on which digest is which.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from app.core.analytics import LeaderboardRow, WeekTotals
from app.core.errors import DomainError
from app.core.game.metrics import kd_ratio
from app.core.i18n import N_, _
from app.core.wording import counted

_LABEL = re.compile(r"(\d{4})-W(\d{2})")
_WEEK = timedelta(days=7)
_LAST_MOMENT = timedelta(microseconds=1)


class InvalidWeek(DomainError):
    user_message = N_("Weeks are written like 2026-W47 (ISO year, W, week number).")


@dataclass(frozen=True, slots=True)
class IsoWeek:
    """A week named by its ISO week in UTC, with its [since, until) bounds: the whole ISO
    week (Monday 00:00 to Monday 00:00), or a digest's seven days (`digest_period`)."""

    label: str
    since: datetime
    until: datetime

    @classmethod
    def containing(cls, moment: datetime) -> IsoWeek:
        if moment.tzinfo is None:
            raise ValueError("an aware datetime is required: a naive one has no week in UTC")
        day = moment.astimezone(UTC).date()
        monday = datetime.combine(day - timedelta(days=day.weekday()), datetime.min.time(), UTC)
        year, week, _ = day.isocalendar()
        return cls(label=f"{year}-W{week:02d}", since=monday, until=monday + _WEEK)

    @classmethod
    def parse(cls, label: str) -> IsoWeek:
        """The week named ``label``; `InvalidWeek` if there is no such week."""
        found = _LABEL.fullmatch(label.strip())
        if found is None:
            raise InvalidWeek
        try:
            monday = datetime.fromisocalendar(int(found[1]), int(found[2]), 1)
        except ValueError:  # e.g. W53 of a year that has 52 weeks
            raise InvalidWeek from None
        return cls.containing(monday.replace(tzinfo=UTC))


def iso_week(moment: datetime) -> str:
    """The ISO week of an aware datetime, in UTC, e.g. "2026-W47"."""
    return IsoWeek.containing(moment).label


def digest_period(until: datetime) -> IsoWeek:
    """What a digest posted at ``until`` covers: the seven days before it, named by the ISO
    week of their last moment (so a post at Monday 00:00 is the week that just ended)."""
    last_moment = until - _LAST_MOMENT
    return IsoWeek(label=iso_week(last_moment), since=until - _WEEK, until=until)


def scheduled_period(now: datetime) -> IsoWeek:
    """A scheduled digest's period: up to the start of the hour it is scheduled for, however
    late in that hour the schedule gets to it, so that consecutive digests meet exactly."""
    return digest_period(now.replace(minute=0, second=0, microsecond=0))


def weekly_facts(
    totals: WeekTotals, *, week: IsoWeek, names: Mapping[int, str] | None = None
) -> dict[str, Any]:
    """Plain numbers for the AI to write the digest from; it must add none of its own."""
    return {
        "week": week.label,
        "first_day": week.since.date().isoformat(),
        "last_day": (week.until - _LAST_MOMENT).date().isoformat(),
        "matches": totals.matches,
        "players": totals.players,
        "wins": totals.wins,
        "losses": totals.losses,
        "draws": totals.matches - totals.wins - totals.losses,
        "win_rate_pct": _win_rate(totals),
        "kills": totals.kills,
        "deaths": totals.deaths,
        "squad_kd": round(kd_ratio(totals.kills, totals.deaths), 2),
        "top_players_by_kd": [
            {"player": _name(row, names), "kd": round(row.value, 2), "matches": row.matches}
            for row in totals.top_players
        ],
    }


def template_digest(
    totals: WeekTotals, *, week: IsoWeek | None = None, names: Mapping[int, str] | None = None
) -> str:
    """The digest without the AI: the same facts in a few short lines of Discord markdown."""
    title = _("**Week {week}**", week=week.label) if week else _("**This week**")
    if totals.matches == 0:
        return _(
            "{title}: no matches logged. Post your scoreboards with /debrief to be in "
            "next week's digest.",
            title=title,
        )
    lines = [
        _(
            "{title}: {matches} by {players}, {wins} won and {losses} lost ({rate}% won).",
            title=title,
            matches=counted(totals.matches, "match"),
            players=counted(totals.players, "player"),
            wins=totals.wins,
            losses=totals.losses,
            rate=_win_rate(totals),
        ),
        _(
            "Squad K/D {kd:.2f} ({kills}, {deaths}).",
            kd=kd_ratio(totals.kills, totals.deaths),
            kills=counted(totals.kills, "kill"),
            deaths=counted(totals.deaths, "death"),
        ),
    ]
    if totals.top_players:
        podium = " · ".join(
            f"{rank}. {_name(row, names)} {row.value:.2f} ({counted(row.matches, 'match')})"
            for rank, row in enumerate(totals.top_players, start=1)
        )
        lines.append(_("Top K/D: {podium}", podium=podium))
    return "\n".join(lines)


def _win_rate(totals: WeekTotals) -> int:
    return round(totals.wins / totals.matches * 100) if totals.matches else 0


def _name(row: LeaderboardRow, names: Mapping[int, str] | None) -> str:
    # A mention renders as the member's name in Discord; send it without pinging anyone.
    return (names or {}).get(row.user_id) or f"<@{row.user_id}>"
