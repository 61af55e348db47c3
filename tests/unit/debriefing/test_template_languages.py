"""The template debrief and digest in Spanish: every line translated, nothing left in English,
whatever the match says; the structure (how many lines, which topics) is the same."""

from __future__ import annotations

import re

from hypothesis import given, settings

from app.core.analytics import WeekTotals
from app.core.debriefing import template_digest
from app.core.i18n import Language, speaking
from app.core.matches import Match
from tests.unit.debriefing.test_template import debrief_of, lines, matches_with_history

# Words of the English phrasing that no Spanish line has (map and player names aside).
ENGLISH = re.compile(r"\b(the|your|you|kills?|deaths?|win|won|loss|lost|average|match)\b", re.I)


def all_lines(new: Match, previous: list[Match]) -> list[str]:
    debrief = debrief_of(new, previous)
    return [debrief.headline, *lines(debrief)]


@settings(max_examples=60, deadline=None)
@given(matches_with_history())
def test_every_line_of_a_spanish_debrief_is_spanish(case: tuple[Match, list[Match]]) -> None:
    new, previous = case
    english = all_lines(new, previous)

    with speaking(Language.SPANISH):
        spanish = all_lines(new, previous)

    assert len(spanish) == len(english)
    for line in spanish:
        assert not ENGLISH.search(line.replace(new.stats.map, "")), line


def test_a_spanish_digest_without_matches_says_so_in_spanish() -> None:
    empty = WeekTotals(matches=0, players=0, wins=0, losses=0, kills=0, deaths=0, top_players=[])

    with speaking(Language.SPANISH):
        text = template_digest(empty)

    assert text.startswith("**Esta semana**: no se ha registrado ninguna partida.")
