"""A refused form's problems as its user reads them: each under the input it is about, named
as the bot names it ("Digest hour", "Weapon 2 kills"), in the bot's words, never pydantic's.

A problem's `field` stays the input's name (``weapons.1.kills``), so the page can put it next
to that input and link to it from the summary; `field_label` gives the name a person reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import ValidationError

from app.api.errors import stat_problems
from app.api.schemas.problems import FieldProblem
from app.core.game.field_names import readable_field
from app.core.game.problems import describe_input
from app.core.guilds import SETTING_NAMES, setting_name
from app.core.handlers.guilds import InvalidConfig
from app.core.wording import capitalised

# The stats' validation writes a weapon row as "weapons[1]"; the form's inputs as "weapons.1".
_INDEX = re.compile(r"\[(\d+)\]")


def field_label(field: str) -> str:
    """An input's name for a person: "digest_hour_utc" → "Digest hour",
    "player.kills" → "Kills", "weapons.1.kills" → "Weapon 2 kills"."""
    return capitalised(setting_name(field) if field in SETTING_NAMES else readable_field(field))


def field_problems(error: ValidationError) -> list[FieldProblem]:
    """A form's body refused by its model: where, and what in plain words."""
    return [
        FieldProblem(field=".".join(str(part) for part in e["loc"]), message=describe_input(e))
        for e in error.errors()
    ]


def stat_form_problems(lines: Sequence[str]) -> list[FieldProblem]:
    """The stats' problems (``"weapons[1].kills: ..."``) under the form's inputs."""
    return [
        FieldProblem(field=_INDEX.sub(r".\1", problem.field), message=problem.message)
        for problem in stat_problems(lines)
    ]


def settings_problems(error: InvalidConfig) -> list[FieldProblem]:
    """Settings the handler refused, each under its input; the whole form when it named none."""
    if not error.problems:
        return [FieldProblem(field="settings", message=error.user_message)]
    return [FieldProblem(field=field, message=message) for field, message in error.problems]
