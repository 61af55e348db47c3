"""/debrief read by two readers through the real bot: Gemini (the stub) and the development
tools' scripted reader as the check (DEVELOPMENT_CHECK_READER=scripted).

The stub reads the sample's 31 kills; the scripted reader reads 34: the match is saved with
31, and its embed asks "check: kills 31 or 34?" above a highlighted Fix. Fixing the kills
settles the question. This module runs a stack of its own, since only it has the check.
"""

from __future__ import annotations

import copy
import hashlib
import json
import signal
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from bson import ObjectId

from app.core.game.checks import CHECKS_TITLE
from app.shared.db.connection import Database, connect_database
from app.shared.embedded_db import free_port
from app.shared.settings import load_settings
from devtools.discord_emulator import Member, Message
from devtools.sandbox.orchestrator import Sandbox, SandboxOptions, open_sandbox
from devtools.scripted_reader import READINGS_FILE
from tests.e2e.bot.support import (
    HARDPOINT_SCOREBOARD,
    MANIFEST,
    OVERLOAD_SCOREBOARD,
    fields,
    filled,
    only_embed,
    posted_debrief,
    sample_bytes,
)
from tests.support.log_guard import remember_secret

PRIMARY, SECONDARY = 1, 2


@pytest.fixture(scope="module")
async def database(mongodb_uri: str) -> AsyncIterator[Database]:
    name = f"debrief_e2e_check_{uuid.uuid4().hex[:8]}"
    async with connect_database(mongodb_uri, name, app_name="debrief-e2e") as opened:
        yield opened
        await opened.client.drop_database(name)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bot-e2e-check")


@pytest.fixture(scope="module")
async def stack(
    mongodb_uri: str, database: Database, discord_spec: Path | None, data_dir: Path
) -> AsyncIterator[Sandbox]:
    settings = load_settings(debrief_env="sandbox", debrief_data_dir=data_dir)
    options = SandboxOptions(
        api_port=free_port(),
        database_uri=mongodb_uri,
        database_name=database.db.name,
        require_spec=discord_spec is not None,
        # The stub is the primary reader here: it reads what the sample's manifest says.
        reader="gemini",
        extra_env={"DEVELOPMENT_CHECK_READER": "scripted"},
    )
    async with open_sandbox(settings, options) as sandbox:
        remember_secret("bot token", sandbox.emulator.token)
        remember_secret("Gemini API key", sandbox.stub.api_key)
        yield sandbox
        sandbox.emulator.assert_no_spec_violations()
    for child in sandbox.children:
        assert child.process.returncode in (0, -signal.SIGTERM), f"the {child.name} did not stop"


@pytest.fixture
def readings(data_dir: Path) -> Path:
    """The scripted reader's file, in the bot's data directory (the sandbox's own)."""
    path = data_dir / "sandbox" / READINGS_FILE
    path.parent.mkdir(exist_ok=True)
    path.unlink(missing_ok=True)
    return path


def script_reading(readings: Path, sample_file: str, **player: Any) -> None:
    """The scripted reader reads the sample as its manifest says, but with these stats."""
    answer = copy.deepcopy(MANIFEST.by_file(sample_file).answer)
    answer["player"].update(player)
    sha256 = hashlib.sha256(sample_bytes(sample_file)).hexdigest()
    readings.write_text(json.dumps({sha256: answer}))


def fix_style(message: Message, match_id: str) -> int:
    for row in message.components:
        for component in row.get("components", []):
            if component.get("custom_id") == f"debrief:fix:{match_id}":
                style: int = component["style"]
                return style
    raise AssertionError(f"no Fix button under match {match_id}")


async def stored_flags(database: Database, match_id: str) -> list[dict[str, Any]]:
    document = await database.db["matches"].find_one({"_id": ObjectId(match_id)})
    assert document is not None
    flags: list[dict[str, Any]] = document["reader_flags"]
    return flags


async def test_a_disagreement_is_asked_about_under_a_highlighted_fix_until_fixed(
    stack: Sandbox, database: Database, member: Member, readings: Path
) -> None:
    script_reading(readings, HARDPOINT_SCOREBOARD, kills=34)

    posted, match_id = await posted_debrief(stack, member, HARDPOINT_SCOREBOARD)

    embed = only_embed(stack, posted)
    assert fields(embed)["K / D / A"] == "31 / 22 / 9", "Gemini's reading is the one saved"
    assert fields(embed)[CHECKS_TITLE] == "check: kills 31 or 34?"
    assert fix_style(posted, match_id) == PRIMARY
    assert await stored_flags(database, match_id) == [
        {"kind": "reader_disagreement", "field": "player.kills", "used": 31, "other": 34}
    ]

    clicked = stack.emulator.driver.click_button(
        posted.id, f"debrief:fix:{match_id}", member=member
    )
    modal = await clicked.wait_for_modal()
    submitted = stack.emulator.driver.submit_modal(
        clicked, filled(modal, {"Kills / deaths / assists": "34/22/9"})
    )
    await submitted.wait_for_response("edit")

    updated = stack.emulator.state.messages[posted.id]
    assert fields(only_embed(stack, updated))["K / D / A"] == "34 / 22 / 9"
    assert CHECKS_TITLE not in fields(only_embed(stack, updated))
    assert fix_style(updated, match_id) == SECONDARY
    assert await stored_flags(database, match_id) == []


async def test_without_a_reading_from_the_check_the_match_is_saved_as_read(
    stack: Sandbox, database: Database, member: Member, readings: Path
) -> None:
    script_reading(readings, HARDPOINT_SCOREBOARD, kills=34)  # not the screenshot sent

    posted, match_id = await posted_debrief(stack, member, OVERLOAD_SCOREBOARD)

    assert CHECKS_TITLE not in fields(only_embed(stack, posted))
    assert fix_style(posted, match_id) == SECONDARY
    assert await stored_flags(database, match_id) == []
