"""Two readers' disagreements under a posted match: the lines, the highlighted Fix, the form."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from app.bot.ui.embeds import match_embed
from app.bot.ui.forms import form_fields, parse
from app.bot.ui.match_actions import FixButton, match_actions
from app.core.game.checks import CHECKS_TITLE, MAX_CHECK_LINES, check_line
from app.core.game.disagreements import ReaderFlag
from app.core.game.rules import Mode
from app.core.i18n import Language, _, speaking
from app.core.matches import Match
from tests.support.factories import match_fields

KILLS = ReaderFlag(field="player.kills", used=31, other=34)
HILL_TIME = ReaderFlag(field="player.objective_time_s", used=112, other=85)


def saved(*flags: ReaderFlag) -> Match:
    return Match(id="a" * 24, **match_fields(reader_flags=list(flags)).model_dump())


@pytest.mark.parametrize(
    ("flag", "line"),
    [
        (KILLS, "check: kills 31 or 34?"),
        (ReaderFlag(field="player.score", used=7350, other=7850), "check: score 7,350 or 7,850?"),
        (
            ReaderFlag(field="player.objective_time_s", used=112, other=85),
            "check: hill time 1:52 or 1:25?",
        ),
        (ReaderFlag(field="map", used="Den", other="Raid"), "check: map Den or Raid?"),
        (
            ReaderFlag(field="mode", used="hardpoint", other="search_and_destroy"),
            "check: mode Hardpoint or Search and Destroy?",
        ),
        (
            ReaderFlag(field="weapons", used="M15 Mod 0, MK.78", other="M15 Mod 0"),
            "check: weapons M15 Mod 0, MK.78 or M15 Mod 0?",
        ),
        (ReaderFlag(field="weapons.MK.78.kills", used=7, other=9), "check: MK.78 kills 7 or 9?"),
        (
            ReaderFlag(field="weapons.M15 Mod 0.accuracy", used=23.5, other=30.0),
            "check: M15 Mod 0 accuracy 23.5% or 30.0%?",
        ),
    ],
)
def test_each_disagreement_reads_as_a_question(flag: ReaderFlag, line: str) -> None:
    assert check_line(flag) == line


def test_the_embed_asks_about_each_disagreement_and_sums_up_a_long_list() -> None:
    assert CHECKS_TITLE not in _fields(match_embed(saved()))
    assert _fields(match_embed(saved(KILLS)))[CHECKS_TITLE] == "check: kills 31 or 34?"

    many = [ReaderFlag(field=f"weapons.Gun {n}.kills", used=n, other=n + 1) for n in range(9)]
    lines = _fields(match_embed(saved(*many)))[CHECKS_TITLE].splitlines()
    assert len(lines) == MAX_CHECK_LINES + 1
    assert lines[-1] == f"…and {9 - MAX_CHECK_LINES} more"


async def test_fix_is_highlighted_while_the_readers_disagree() -> None:
    assert _fix_style(match_actions(saved(KILLS))) is discord.ButtonStyle.primary
    assert _fix_style(match_actions(saved())) is discord.ButtonStyle.secondary


@pytest.mark.parametrize("mode", list(Mode))
def test_the_fix_form_reviews_every_stat_it_shows_and_nothing_it_keeps(mode: Mode) -> None:
    kept = saved()
    boxes = {
        "map": "Den",
        "result": "win 250-201",
        "score": "1",
        "kda": "1/1/1",
        "objective": "1 1",
    }

    shown = _paths(parse(mode, boxes, keep=kept))

    assert form_fields(mode) == shown - {"mode", "weapons", "player.gamertag"}


def test_a_stored_match_without_flags_loads_with_none() -> None:
    stored = saved().model_dump()
    del stored["reader_flags"]

    assert Match.model_validate(stored).reader_flags == []


def _fields(embed: discord.Embed) -> dict[str, str]:
    return {str(field.name): str(field.value) for field in embed.fields}


def _fix_style(view: discord.ui.View) -> discord.ButtonStyle:
    fix = next(item for item in view.children if isinstance(item, FixButton))
    return fix.item.style


def _paths(raw: dict[str, Any], prefix: str = "") -> set[str]:
    paths: set[str] = set()
    for key, value in raw.items():
        if isinstance(value, dict):
            paths |= _paths(value, f"{prefix}{key}.")
        else:
            paths.add(f"{prefix}{key}")
    return paths


def test_the_checks_read_in_the_servers_language() -> None:
    with speaking(Language.SPANISH):
        fields = _fields(match_embed(saved(KILLS, HILL_TIME)))
        title = _(CHECKS_TITLE)
        weapon = check_line(ReaderFlag(field="weapons.MK.78.kills", used=7, other=9))

    assert fields[title].splitlines() == [
        "comprueba: ¿bajas 31 o 34?",
        "comprueba: ¿tiempo en zona 1:52 o 1:25?",
    ]
    assert weapon == "comprueba: ¿bajas con MK.78 7 o 9?"
