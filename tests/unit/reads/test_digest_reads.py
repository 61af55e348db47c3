"""A server's week so far: the digest's numbers for its members, this ISO week only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.core.actors import NotAMember
from app.core.reads.digests import week_so_far
from tests.support.factories import match_fields
from tests.unit.fakes import FakeMatches
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
