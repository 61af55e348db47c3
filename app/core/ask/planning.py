"""Who plans an /ask question: the AI when there is one, the local planner when there is not.

Without an AI (no key, or /ask set to the local planner) the local planner answers the common
shapes and says which shapes exist for anything else. With one, the AI plans every question;
when it is unavailable, the local planner answers what it can read, and anything else gets
"try again in a minute", which is honest only there. Both plans then go through the guard.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.core.ai import AnswerRows, QueryPlanner
from app.core.ask.fields import FIELDS
from app.core.ask.local import (
    AIUnavailableForQuestion,
    Asker,
    QuestionOutsideShapes,
    plan_locally,
)
from app.core.errors import AIUnavailable

logger = logging.getLogger(__name__)


Template = Callable[[AnswerRows], str]


@dataclass(frozen=True, slots=True)
class Plan:
    pipeline: Sequence[Mapping[str, Any]]
    title: str
    # Who says the answer: the AI that planned it, or the local plan's template.
    phrased_by: QueryPlanner | Template
    # The one player a local plan is about; the handler may narrow the scope to them.
    player: int | None = None


async def plan_question(
    question: str,
    *,
    planner: QueryPlanner | None,
    asker: Asker,
    now: datetime,
    maps: Mapping[str, str],
) -> Plan:
    if planner is None:
        return _local(question, asker, now, maps, unreadable=QuestionOutsideShapes)
    try:
        planned = await planner.plan(question, FIELDS)
    except AIUnavailable:
        logger.warning("the AI could not plan an /ask question; trying the local planner")
        return _local(question, asker, now, maps, unreadable=AIUnavailableForQuestion)
    return Plan(planned.pipeline, planned.title, phrased_by=planner)


def _local(
    question: str,
    asker: Asker,
    now: datetime,
    maps: Mapping[str, str],
    *,
    unreadable: type[Exception],
) -> Plan:
    local = plan_locally(question, asker, now, maps)
    if local is None:
        raise unreadable
    players = local.question.players
    player = players[0] if len(players) == 1 else None
    return Plan(local.pipeline, local.title, phrased_by=local.phrase, player=player)
