"""The local planner: a question in one of the common shapes, planned and phrased without an AI.

Its pipeline is a plan like the AI's: the handler guards and scopes it the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.core.ai import AnswerRows
from app.core.ask.local.parse import Asker, parse_question
from app.core.ask.local.phrasing import phrase
from app.core.ask.local.pipelines import build_pipeline
from app.core.ask.local.question import Question, Shape
from app.core.ask.local.wording import context, stat_title
from app.core.game.catalog import Catalog
from app.core.i18n import N_, _


@dataclass(frozen=True, slots=True)
class LocalPlan:
    pipeline: list[dict[str, Any]]
    title: str
    question: Question

    def phrase(self, rows: AnswerRows) -> str:
        return phrase(self.question, rows)


def plan_locally(
    text: str, asker: Asker, now: datetime, maps: Mapping[str, str] | None = None
) -> LocalPlan | None:
    """A plan for the question, or None when it is none of the shapes the parser reads."""
    question = parse_question(text, asker, maps)
    if question is None:
        return None
    return LocalPlan(build_pipeline(question, now), title(question), question)


def map_spellings(catalog: Catalog) -> dict[str, str]:
    """Every name and alias of a known map, and the name matches are stored under."""
    return {spelling: entry.name for entry in catalog.maps for spelling in entry.names}


def title(question: Question) -> str:
    """The answer table's title: what is compared, where and when."""
    return _heading(question) + context(question)


def _heading(question: Question) -> str:
    stat = stat_title(question)
    match question.shape:
        case Shape.BEST_BY:
            return _(_BEST_BY_TITLES[_dimension(question), question.best_first], stat=stat)
        case Shape.LEADER:
            return _("Leaders by {stat}", stat=stat)
        case Shape.TREND:
            return _("Trend of {stat}", stat=_(question.stat.label))
        case Shape.HEAD_TO_HEAD:
            return _("Head to head by {stat}", stat=stat)
        case Shape.RECORD:
            return _("Record games by {stat}", stat=_(question.stat.label))
        case _:
            return stat[0].upper() + stat[1:]


def _dimension(question: Question) -> str:
    return question.dimension.column if question.dimension else "map"


_BEST_BY_TITLES = {
    ("map", True): N_("Best maps by {stat}"),
    ("map", False): N_("Worst maps by {stat}"),
    ("mode", True): N_("Best modes by {stat}"),
    ("mode", False): N_("Worst modes by {stat}"),
}
