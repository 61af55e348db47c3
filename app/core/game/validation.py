"""The single entry point from raw extracted stats (AI or manual) to `MatchStats`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from app.core.game.errors import InvalidMatchStats
from app.core.game.modes import MatchStats
from app.core.game.problems import describe, expand, format_path, problem_line
from app.core.game.rules import Mode
from app.core.i18n import _

_MODE_CHOICES = ", ".join(mode.value for mode in Mode)
_MODE_VALUES = frozenset(mode.value for mode in Mode)


def validate_extraction(raw: Mapping[str, object]) -> MatchStats:
    """Validate raw match stats into `MatchStats`.

    Raises `InvalidMatchStats` listing every problem found, one ``"<path>: <message>"`` line
    each, e.g. ``"player.deaths: 47 is more than possible in Search and Destroy (max 11)"``.
    """
    if not isinstance(raw, Mapping):
        raise InvalidMatchStats([_("expected an object with the match stats")])
    try:
        return MatchStats.model_validate(raw)
    except ValidationError as exc:
        problems = [line for error in exc.errors() for line in _lines(error)]
        raise InvalidMatchStats(problems) from exc


def _lines(error: ErrorDetails) -> list[str]:
    loc = error["loc"]
    if error["type"] == "union_tag_invalid":
        tag = error.get("ctx", {}).get("tag")
        return [
            problem_line(
                "mode",
                _("{tag} is not a ranked mode ({modes})", tag=repr(tag), modes=_MODE_CHOICES),
            )
        ]
    if error["type"] == "union_tag_not_found":
        return [problem_line("mode", _("missing"))]
    mode = _union_tag(loc)
    path = format_path(_without_union_tag(loc))
    expanded = expand(error, path)
    if expanded is not None:
        return expanded
    if error["type"] == "extra_forbidden" and mode is not None and len(loc) == 3:
        return [problem_line(path, _("not a stat in {mode}", mode=_(mode.display_name)))]
    return [problem_line(path, describe(error))]


def _union_tag(loc: Sequence[int | str]) -> Mode | None:
    # Pydantic puts the discriminator's value in the path: ("player", "hardpoint", "kills").
    if len(loc) >= 2 and loc[0] == "player" and loc[1] in _MODE_VALUES:
        return Mode(loc[1])
    return None


def _without_union_tag(loc: Sequence[int | str]) -> Sequence[int | str]:
    if _union_tag(loc) is None:
        return loc
    return (loc[0], *loc[2:])
