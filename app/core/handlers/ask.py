"""/ask: plan a pipeline (the AI's or the local planner's), guard and scope it, run it,
tabulate, phrase.

Nothing is written except the cooldown. The server's /ask scope is a ceiling: when it is
"me", every member's question covers their own matches only, whatever scope they asked for,
and the answer says so.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta

from app.core.ai import AnswerRows, QueryPlanner
from app.core.ask.answer import Answer, answer_rows, fallback_sentence
from app.core.ask.errors import PipelineRefused
from app.core.ask.guard import GuardedPipeline, Scope, guard_pipeline
from app.core.ask.local import Asker, map_spellings
from app.core.ask.planning import Plan, plan_question
from app.core.ask.text import clean_question, clean_sentence, clean_title
from app.core.bus import Emit
from app.core.clock import Clock
from app.core.commands import AskQuestion
from app.core.errors import AIUnavailable, CooldownActive
from app.core.game.catalog import Catalog
from app.core.guilds import AskScope
from app.core.i18n import N_, _
from app.core.ports import CooldownRepository, GuardedQueryRunner, GuildConfigRepository

logger = logging.getLogger(__name__)

ONLY_YOUR_MATCHES = N_("This server answers /ask about your own matches only.")


async def answer_question(
    cmd: AskQuestion,
    *,
    emit: Emit,
    planner: QueryPlanner | None,
    guarded_queries: GuardedQueryRunner,
    guild_configs: GuildConfigRepository,
    cooldowns: CooldownRepository,
    catalog: Catalog,
    clock: Clock,
) -> Answer:
    """`planner`: the AI's, or None where /ask has no AI (the local planner answers)."""
    question = clean_question(cmd.question)
    config = await guild_configs.get(cmd.guild_id)
    now = clock()
    await _start_cooldown(cooldowns, cmd, now, config.ask_cooldown_s)
    scope = allowed_scope(cmd.scope, config.ask_scope)
    asker = Asker(cmd.user_id, only_own_matches=scope is AskScope.ME)
    planned = await plan_question(
        question, planner=planner, asker=asker, now=now, maps=map_spellings(catalog)
    )
    guarded = _guard(planned, question_scope(cmd.guild_id, cmd.user_id, scope, planned.player))
    documents = await guarded_queries.run_guarded(guarded.stages, max_time_ms=guarded.max_time_ms)
    title = clean_title(planned.title, question)
    rows = answer_rows(question, title, documents, id_label=guarded.id_label)
    return Answer(
        rows=rows,
        sentence=await _sentence(planned, rows),
        omitted=max(0, len(documents) - len(rows.rows)),
        note=_narrowed(cmd.scope, scope),
    )


async def _start_cooldown(
    cooldowns: CooldownRepository, cmd: AskQuestion, now: datetime, seconds: int
) -> None:
    if seconds <= 0:
        return
    key = f"ask:{cmd.guild_id}:{cmd.user_id}"
    left = await cooldowns.start(key, now, timedelta(seconds=seconds))
    if left is not None:
        raise CooldownActive(max(1, math.ceil(left.total_seconds())))


def allowed_scope(asked: AskScope | None, server: AskScope) -> AskScope:
    """The member's choice of scope, never wider than the server's setting."""
    if server is AskScope.ME:
        return AskScope.ME
    return asked or server


def _narrowed(asked: AskScope | None, used: AskScope) -> str | None:
    # Said in the asker's language: the note is shown as it is, by the bot and the API.
    return _(ONLY_YOUR_MATCHES) if asked is AskScope.SERVER and used is AskScope.ME else None


def question_scope(guild_id: int, asker: int, scope: AskScope, player: int | None) -> Scope:
    """The matches a question runs over: the asker's with the "me" scope, else the server's,
    or only `player`'s when the plan is about that one player (a local plan that says so):
    narrower, so that the scope's index reads only their matches; never wider."""
    if scope is AskScope.ME:
        return Scope(guild_id, asker)
    return Scope(guild_id, player)


def _guard(planned: Plan, scope: Scope) -> GuardedPipeline:
    try:
        return guard_pipeline(planned.pipeline, scope)
    except PipelineRefused as refused:
        # The rule, not the pipeline: plans can be long and quote the user's question.
        logger.info("refused an /ask pipeline in guild %s: %s", scope.guild_id, refused.rule)
        raise


async def _sentence(planned: Plan, rows: AnswerRows) -> str:
    if isinstance(planned.phrased_by, QueryPlanner):
        return await _phrase(planned.phrased_by, rows)
    return clean_sentence(planned.phrased_by(rows))


async def _phrase(planner: QueryPlanner, rows: AnswerRows) -> str:
    if not rows.rows:
        return fallback_sentence(rows)  # nothing for the AI to say that this does not
    try:
        sentence = clean_sentence(await planner.phrase(rows))
    except AIUnavailable:
        logger.warning("the AI could not phrase an /ask answer; using the plain sentence")
        return fallback_sentence(rows)
    return sentence or fallback_sentence(rows)
