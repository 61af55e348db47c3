"""A server's digests for its members: the running week's numbers, last week's as written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.core.actors import NotAMember
from app.core.analytics import WeekTotals
from app.core.debriefing.digest import IsoWeek
from app.core.deliveries import WeeklyDigest
from app.core.reads.digests import latest_digest, week_so_far
from tests.support.factories import match_fields
from tests.unit.fakes import FakeMatches, FakeOutbox
from tests.unit.fakes_analytics import FakeAnalytics
from tests.unit.reads.world import HOME, MATE, MATE_ID, OWNER_ID, STRANGER

WEDNESDAY = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


async def test_counts_the_running_week_for_members_only() -> None:
    matches = FakeMatches()
    for user_id, played_at in (
        (OWNER_ID, WEDNESDAY - timedelta(days=1)),  # this week
        (MATE_ID, WEDNESDAY - timedelta(days=2)),  # Monday: this week
        (MATE_ID, WEDNESDAY - timedelta(days=3)),  # last Sunday: the week before
    ):
        await matches.add(match_fields(guild_id=HOME, user_id=user_id, played_at=played_at))

    week = await week_so_far(FakeAnalytics(matches), lambda: WEDNESDAY, MATE, HOME)

    assert week.week.label == "2026-W48"
    assert (week.totals.matches, week.totals.players) == (2, 2)
    with pytest.raises(NotAMember):
        await week_so_far(FakeAnalytics(matches), lambda: WEDNESDAY, STRANGER, HOME)


def digest_of(week: str) -> WeeklyDigest:
    totals = WeekTotals(matches=0, players=0, wins=0, losses=0, kills=0, deaths=0, top_players=[])
    return WeeklyDigest(guild_id=HOME, channel_id=9, week=week, text=f"**{week}**", totals=totals)


async def test_latest_digest_as_written_for_members_only() -> None:
    outbox = FakeOutbox()
    for week in ("2026-W46", "2026-W47"):  # the week before last, and last week
        await outbox.enqueue(digest_of(week).outbox_message(WEDNESDAY))

    written = await latest_digest(outbox, lambda: WEDNESDAY, MATE, HOME)

    assert written is not None and written.digest.text == "**2026-W47**"
    assert not written.posted
    assert await latest_digest(FakeOutbox(), lambda: WEDNESDAY, MATE, HOME) is None
    with pytest.raises(NotAMember):
        await latest_digest(outbox, lambda: WEDNESDAY, STRANGER, HOME)


async def test_this_weeks_digest_is_newer_than_last_weeks() -> None:
    """A digest posted on Friday evening is named by its own week: it is the newest."""
    outbox = FakeOutbox()
    this_week = IsoWeek.containing(WEDNESDAY).label
    for week in ("2026-W47", this_week):
        await outbox.enqueue(digest_of(week).outbox_message(WEDNESDAY))

    written = await latest_digest(outbox, lambda: WEDNESDAY, MATE, HOME)

    assert written is not None and written.digest.week == this_week
