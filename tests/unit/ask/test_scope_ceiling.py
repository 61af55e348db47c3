"""The server's /ask scope is a ceiling, through bootstrap() as the bot and the API build it."""

from __future__ import annotations

import pytest

from app.core.ask.answer import Answer
from app.core.commands import AskQuestion
from app.core.guilds import AskScope, GuildConfig
from app.core.handlers.ask import ONLY_YOUR_MATCHES
from tests.unit.fakes_ask import FakeQueryRunner
from tests.unit.wiring import fake_bus, fake_dependencies

GUILD, MEMBER = 5, 7


async def ask(server: AskScope, asked: AskScope | None) -> tuple[Answer, dict[str, int]]:
    deps = fake_dependencies()
    await deps.guild_configs.save(GuildConfig(guild_id=GUILD, ask_scope=server, ask_cooldown_s=0))
    bus = fake_bus(deps)

    answer = await bus.handle(
        AskQuestion(guild_id=GUILD, user_id=MEMBER, question="how many matches?", scope=asked)
    )

    assert isinstance(deps.guarded_queries, FakeQueryRunner)
    (pipeline, _), *_ = deps.guarded_queries.runs
    return answer, dict(pipeline[0]["$match"])


async def test_a_member_cannot_widen_a_me_server_to_the_whole_server() -> None:
    answer, scope = await ask(AskScope.ME, AskScope.SERVER)

    assert scope == {"guild_id": GUILD, "user_id": MEMBER}
    assert answer.note == ONLY_YOUR_MATCHES


@pytest.mark.parametrize(
    ("server", "asked", "user_id", "noted"),
    [
        (AskScope.ME, None, MEMBER, False),
        (AskScope.ME, AskScope.ME, MEMBER, False),
        (AskScope.SERVER, None, None, False),
        (AskScope.SERVER, AskScope.SERVER, None, False),
        (AskScope.SERVER, AskScope.ME, MEMBER, False),
    ],
)
async def test_within_the_ceiling_the_members_choice_holds(
    server: AskScope, asked: AskScope | None, user_id: int | None, noted: bool
) -> None:
    answer, scope = await ask(server, asked)

    assert scope.get("user_id") == user_id
    assert scope["guild_id"] == GUILD
    assert (answer.note is not None) is noted
