"""/ask through the real bot without Gemini: the local planner answers.

This module runs its own stack (the sandbox's `open_sandbox`) twice: with GEMINI_API_KEY
empty, as a Debrief without a key runs, and as the sandbox runs (a key for the Gemini
stand-in, which cannot plan, and ASK_PLANNER=local). Either way a common question is answered
with a table and a templated sentence, and any other question is told which questions work,
never to "try again".
"""

from __future__ import annotations

import re
import signal
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.core.ask.local import QuestionOutsideShapes
from app.shared.db.connection import Database, connect_database
from app.shared.embedded_db import free_port
from app.shared.settings import load_settings
from devtools.discord_emulator import Member
from devtools.sandbox.orchestrator import Sandbox, SandboxOptions, open_sandbox
from tests.e2e.bot.support import (
    hardpoint,
    hours_ago,
    invoke,
    only_embed,
    private_outcome,
    profiled,
    seed_matches,
)

pytestmark = pytest.mark.e2e

ACK = "Thinking about it…"


@pytest.fixture(scope="module")
def database_name() -> str:
    return f"debrief_e2e_no_ai_{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
async def database(mongodb_uri: str, database_name: str) -> AsyncIterator[Database]:
    async with connect_database(mongodb_uri, database_name, app_name="debrief-e2e") as opened:
        yield opened
        await opened.client.drop_database(database_name)


WITHOUT_GEMINI = {
    # No key at all (an empty value is unset), and /ask not set to the local planner: the
    # missing key alone makes the local planner answer.
    "no key": {"GEMINI_API_KEY": "", "ASK_PLANNER": "gemini"},
    # The sandbox's own settings, unchanged.
    "the sandbox": {},
}


@pytest.fixture(scope="module", params=WITHOUT_GEMINI.values(), ids=WITHOUT_GEMINI.keys())
async def stack(
    mongodb_uri: str,
    database: Database,
    discord_spec: Path | None,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> AsyncIterator[Sandbox]:
    settings = load_settings(
        debrief_env="sandbox", debrief_data_dir=tmp_path_factory.mktemp("no-ai-e2e")
    )
    options = SandboxOptions(
        api_port=free_port(),
        database_uri=mongodb_uri,
        database_name=database.db.name,
        require_spec=discord_spec is not None,
        extra_env=request.param,
    )
    async with open_sandbox(settings, options) as sandbox:
        yield sandbox
        sandbox.emulator.assert_no_spec_violations()
    for child in sandbox.children:
        assert child.process.returncode in (0, -signal.SIGTERM), f"the {child.name} did not stop"


async def test_a_common_question_is_answered_without_an_ai(
    stack: Sandbox, database: Database, member: Member
) -> None:
    kills = [30, 20, 12]
    await seed_matches(
        stack,
        member,
        [hardpoint(name, kills=k) for name, k in zip(["Den", "Den", "Scar"], kills, strict=True)],
        hours_ago(3),
    )

    async with profiled(database) as profile:
        handle = invoke(stack, "ask", member, question="what's my best map by kills?")
        private = await private_outcome(handle, ACK)
        ran = await profile.aggregations("matches")

    assert private.content == "Answer posted."
    embed = only_embed(stack, await handle.wait_for_followup())
    assert embed["title"] == "Best maps by average kills overall"
    sentence, table = embed["description"].split("\n", 1)
    assert (
        sentence
        == "Your best map by average kills overall is Den (25 over 2 matches); next is Scar (12)."
    )
    lines = table.strip("`\n").splitlines()
    assert re.split(r"\s+", lines[0]) == ["map", "avg_kills", "total_kills", "matches"]
    assert [re.split(r"\s+", line) for line in lines[2:]] == [
        ["Den", "25.00", "50", "2"],
        ["Scar", "12.00", "12", "1"],
    ]
    [aggregation] = ran
    assert aggregation["pipeline"][0] == {
        "$match": {"guild_id": stack.world.guild.id, "user_id": member.user.id}
    }, "a question about one player reads only their matches"
    assert not stack.stub.requests, "no AI was asked"


async def test_another_question_is_told_which_questions_work(
    stack: Sandbox, database: Database, member: Member
) -> None:
    async with profiled(database) as profile:
        handle = invoke(stack, "ask", member, question="write a poem about my squad")
        private = await private_outcome(handle, ACK)
        ran = await profile.aggregations("matches")

    assert private.content == QuestionOutsideShapes().user_message
    assert "my best map by K/D this month" in private.content
    assert "try again" not in private.content
    assert not private.embeds and not handle.followups
    assert ran == []
