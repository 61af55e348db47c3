"""The match form's forgiving formats, and their clear errors."""

from __future__ import annotations

import pytest

from app.bot.ui.forms import parse, prefill
from app.core.game.errors import InvalidMatchStats
from app.core.game.rules import Mode
from app.core.game.validation import validate_extraction
from app.core.matches import Match, MatchSource
from tests.support.factories import T0, raw_hardpoint

HARDPOINT = {
    "map": "Den",
    "result": "W 250–187",
    "score": "7350",
    "kda": "31 / 22 / 9",
    "objective": "1:52 4",
}


def test_parses_a_hardpoint_form_into_valid_raw_stats() -> None:
    raw = parse(Mode.HARDPOINT, HARDPOINT)

    stats = validate_extraction(raw)
    assert stats.result.value == "win"
    assert (stats.team_score, stats.enemy_score) == (250, 187)
    assert stats.player.kills == 31 and stats.player.assists == 9
    assert stats.player.objective_time_s == 112


def test_score_with_thousands_separator_is_refused_clearly() -> None:
    # "7,350" reads as two numbers: better to ask than to guess.
    with pytest.raises(InvalidMatchStats, match="Your score"):
        parse(Mode.HARDPOINT, {**HARDPOINT, "score": "7,350"})


def test_every_unreadable_box_is_named_at_once() -> None:
    with pytest.raises(InvalidMatchStats) as raised:
        parse(
            Mode.SEARCH_AND_DESTROY,
            {"map": "Scar", "result": "won", "score": "", "kda": "9/8", "objective": "1"},
        )

    assert len(raised.value.problems) == 4


def test_prefill_round_trips_a_saved_match() -> None:
    stats = validate_extraction(raw_hardpoint())
    match = Match(
        id="a" * 24,
        guild_id=1,
        channel_id=2,
        user_id=3,
        interaction_id=4,
        stats=stats,
        source=MatchSource.AI,
        played_at=T0,
        created_at=T0,
        updated_at=T0,
    )

    raw = parse(Mode.HARDPOINT, prefill(match), keep=match)

    assert validate_extraction(raw) == stats
