"""/ask: plan a pipeline with the AI, guard and scope it, run it, tabulate, phrase.

Nothing is written except the cooldown.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta

from app.core.ai import AnswerRows, PlannedQuery, QueryPlanner
from app.core.ask.answer import Answer, answer_rows, fallback_sentence
from app.core.ask.errors import PipelineRefused
from app.core.ask.fields import FIELDS
from app.core.ask.guard import GuardedPipeline, Scope, guard_pipeline
from app.core.ask.text import clean_question, clean_sentence, clean_title
from app.core.bus import Emit
from app.core.clock import Clock
from app.core.commands import AskQuestion
from app.core.errors import AIUnavailable, CooldownActive
from app.core.events import QuestionAnswered
from app.core.guilds import AskScope
from app.core.ports import CooldownRepository, GuardedQueryRunner, GuildConfigRepository

logger = logging.getLogger(__name__)


async def answer_question(
    cmd: AskQuestion,
    *,
    emit: Emit,
    planner: QueryPlanner,
    guarded_queries: GuardedQueryRunner,
    guild_configs: GuildConfigRepository,
    cooldowns: CooldownRepository,
    clock: Clock,
) -> Answer:
    question = clean_question(cmd.question)
    config = await guild_configs.get(cmd.guild_id)
    await _start_cooldown(cooldowns, cmd, clock(), config.ask_cooldown_s)
    planned = await planner.plan(question, FIELDS)
    guarded = _guard(planned, _scope(cmd, cmd.scope or config.ask_scope))
    documents = await guarded_queries.run_guarded(guarded.stages, max_time_ms=guarded.max_time_ms)
    title = clean_title(planned.title, question)
    rows = answer_rows(question, title, documents, id_label=guarded.id_label)
    answer = Answer(
        rows=rows,
        sentence=await _phrase(planner, rows),
        omitted=max(0, len(documents) - len(rows.rows)),
    )
    emit(QuestionAnswered(guild_id=cmd.guild_id, user_id=cmd.user_id, rows=len(rows.rows)))
    return answer


async def _start_cooldown(
    cooldowns: CooldownRepository, cmd: AskQuestion, now: datetime, seconds: int
) -> None:
    if seconds <= 0:
        return
    key = f"ask:{cmd.guild_id}:{cmd.user_id}"
    left = await cooldowns.start(key, now, timedelta(seconds=seconds))
    if left is not None:
        raise CooldownActive(max(1, math.ceil(left.total_seconds())))


def _scope(cmd: AskQuestion, scope: AskScope) -> Scope:
    return Scope(cmd.guild_id, cmd.user_id if scope is AskScope.ME else None)


def _guard(planned: PlannedQuery, scope: Scope) -> GuardedPipeline:
    try:
        return guard_pipeline(planned.pipeline, scope)
    except PipelineRefused as refused:
        # The rule, not the pipeline: plans can be long and quote the user's question.
        logger.info("refused an /ask pipeline in guild %s: %s", scope.guild_id, refused.rule)
        raise


async def _phrase(planner: QueryPlanner, rows: AnswerRows) -> str:
    if not rows.rows:
        return fallback_sentence(rows)  # nothing for the AI to say that this does not
    try:
        sentence = clean_sentence(await planner.phrase(rows))
    except AIUnavailable:
        logger.warning("the AI could not phrase an /ask answer; using the plain sentence")
        return fallback_sentence(rows)
    return sentence or fallback_sentence(rows)
