"""/debrief read by Gemini (the stub) and checked by the real on-device reader, as a bot with
a Gemini key and the `local-ai` extra runs by default (READER_CROSS_CHECK).

The on-device reader reads the sample's pixels (31 kills); the stub is made to misread them
as 34: the match is saved with Gemini's 34, and its embed asks "check: kills 34 or 31?".
When both read the same, nothing is asked. This module runs a stack of its own: the other
bot tests turn the check off, since their stub answers what they program, not the pixels.
"""

from __future__ import annotations

import copy
import signal
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from bson import ObjectId

from app.core.game.checks import CHECKS_TITLE
from app.shared.db.connection import Database, connect_database
from app.shared.embedded_db import free_port
from app.shared.local_reader import local_reader_installed
from app.shared.settings import load_settings
from devtools.discord_emulator import Member
from devtools.gemini_stub import JsonAnswer, Match, Rule
from devtools.sandbox.orchestrator import Sandbox, SandboxOptions, open_sandbox
from tests.e2e.bot.support import (
    HARDPOINT_SCOREBOARD,
    MANIFEST,
    fields,
    only_embed,
    posted_debrief,
    prepared_sha256,
)
from tests.support.log_guard import remember_secret

pytestmark = pytest.mark.skipif(
    not local_reader_installed(), reason="needs the local-ai extra (make installs it)"
)
# Gemini answers after the on-device reader is done even on a busy machine, so that the check
# is never dropped for coming too late (it may trail Gemini by at most 2 s).
GEMINI_LATENCY_S = 8.0


@pytest.fixture(scope="module")
async def database(mongodb_uri: str) -> AsyncIterator[Database]:
    name = f"debrief_e2e_local_check_{uuid.uuid4().hex[:8]}"
    async with connect_database(mongodb_uri, name, app_name="debrief-e2e") as opened:
        yield opened
        await opened.client.drop_database(name)


@pytest.fixture(scope="module")
async def stack(
    mongodb_uri: str, database: Database, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Sandbox]:
    data_dir = tmp_path_factory.mktemp("bot-e2e-local-check")
    settings = load_settings(debrief_env="sandbox", debrief_data_dir=data_dir)
    options = SandboxOptions(
        api_port=free_port(),
        database_uri=mongodb_uri,
        database_name=database.db.name,
        reader="gemini",
        cross_check=True,
    )
    async with open_sandbox(settings, options) as sandbox:
        remember_secret("bot token", sandbox.emulator.token)
        remember_secret("Gemini API key", sandbox.stub.api_key)
        yield sandbox
    for child in sandbox.children:
        assert child.process.returncode in (0, -signal.SIGTERM), f"the {child.name} did not stop"


def gemini_reads_the_hardpoint_sample(stack: Sandbox, **player: Any) -> None:
    """The stub answers the sample as its manifest says, with these player stats, slowly."""
    answer = copy.deepcopy(MANIFEST.by_file(HARDPOINT_SCOREBOARD).answer)
    answer["player"].update(player)
    stack.stub.add_rule(
        Rule.always(
            Match(image_sha256=(prepared_sha256(HARDPOINT_SCOREBOARD),)),
            JsonAnswer({**answer, "readable": True}, latency_s=GEMINI_LATENCY_S),
        )
    )


async def stored_flags(database: Database, match_id: str) -> list[dict[str, Any]]:
    document = await database.db["matches"].find_one({"_id": ObjectId(match_id)})
    assert document is not None
    flags: list[dict[str, Any]] = document["reader_flags"]
    return flags


@pytest.mark.timeout(300)
async def test_the_on_device_reader_contests_what_gemini_misread(
    stack: Sandbox, database: Database, member: Member
) -> None:
    gemini_reads_the_hardpoint_sample(stack, kills=34)

    posted, match_id = await posted_debrief(stack, member, HARDPOINT_SCOREBOARD)

    embed = only_embed(stack, posted)
    assert fields(embed)["K / D / A"] == "34 / 22 / 9", "Gemini's reading is the one saved"
    assert fields(embed)[CHECKS_TITLE] == "check: kills 34 or 31?"
    assert await stored_flags(database, match_id) == [
        {"kind": "reader_disagreement", "field": "player.kills", "used": 34, "other": 31}
    ]


@pytest.mark.timeout(300)
async def test_when_both_read_the_same_nothing_is_asked(
    stack: Sandbox, database: Database, member: Member
) -> None:
    gemini_reads_the_hardpoint_sample(stack)

    posted, match_id = await posted_debrief(stack, member, HARDPOINT_SCOREBOARD)

    assert CHECKS_TITLE not in fields(only_embed(stack, posted))
    assert await stored_flags(database, match_id) == []
