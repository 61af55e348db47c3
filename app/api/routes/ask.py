"""/ask: a question about a server's matches in plain language."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.auth.dependencies import CurrentPrincipal
from app.api.deps import BusDep
from app.api.ratelimit import AskRateLimit
from app.api.schemas.ask import AskAnswer, AskRequest
from app.api.schemas.problems import problem_responses
from app.core.actors import ensure_member
from app.core.commands import AskQuestion

router = APIRouter(
    prefix="/api/v1/ask",
    tags=["ask"],
    responses=problem_responses(401, 404, 422, 429, 503),
)


@router.post("", dependencies=[AskRateLimit])
async def ask(question: AskRequest, principal: CurrentPrincipal, bus: BusDep) -> AskAnswer:
    """Answer a question about a server's matches with a table and one sentence."""
    ensure_member(principal.actor, question.guild_id)
    answer = await bus.handle(
        AskQuestion(
            guild_id=question.guild_id,
            user_id=principal.discord_id,
            question=question.question,
            scope=question.scope,
        )
    )
    return AskAnswer.of(answer)
