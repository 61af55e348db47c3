"""Commands the API handed to the bot, and how far they got."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from app.api.auth.dependencies import CurrentPrincipal
from app.api.deps import RuntimeDep
from app.api.ratelimit import ReadRateLimit
from app.api.schemas.commands import CommandStatus
from app.api.schemas.problems import problem_responses
from app.core.reads.guilds import visible_command

router = APIRouter(
    prefix="/api/v1/commands", tags=["commands"], responses=problem_responses(401, 404, 422)
)


@router.get(
    "/{command_id}",
    name="command_status",
    responses=problem_responses(429),
    dependencies=[ReadRateLimit],
)
async def command_status(
    command_id: Annotated[str, Path(pattern=r"^[0-9a-f]{24}$")],
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
) -> CommandStatus:
    """A command you asked for, or one of a server you manage: pending, delivered, expired."""
    message = await visible_command(runtime.dependencies.outbox, principal.actor, command_id)
    return CommandStatus.of(message)
