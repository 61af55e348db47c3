"""Each reply of issue 15 as the sandbox console shows it, in a real browser: the pictures in
docs/commands.md.

The real bot answers real commands (sent through the emulator as the sandbox's player); the
console renders the channel; each reply is checked on the page and photographed. The pictures
go to a temporary directory, or to `DEBRIEF_REPLY_SCREENSHOTS` when it is set:

    DEBRIEF_REPLY_SCREENSHOTS=docs/images/replies python -m pytest \\
        tests/e2e/sandbox/test_reply_screenshots.py
"""

from __future__ import annotations

import io
import os
import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from beanie import init_beanie
from PIL import Image
from playwright.async_api import Browser, Locator, Page, expect

from app.shared.db.connection import connect_database
from app.shared.db.documents import DOCUMENT_MODELS
from app.shared.embedded_db import free_port
from app.shared.settings import load_settings
from devtools.discord_emulator import InteractionHandle, Message
from devtools.sandbox.orchestrator import Sandbox, SandboxOptions, open_sandbox
from tests.e2e.bot.support import (
    DEBRIEF_ACK,
    OVERLOAD_SCOREBOARD,
    attach_sample,
    buttons,
    debrief,
    filled,
    hardpoint,
    hours_ago,
    invoke,
    private_outcome,
    program_stub,
    seed_matches,
)

from .console_page import loaded_width, open_console

pytestmark = pytest.mark.e2e

# Narrower than the other console tests: the pictures are of one message each, as wide as a
# Discord chat column, and stay small.
SHOT_VIEWPORT = {"width": 900, "height": 1400}
# The player's last eight Hardpoint matches, newest first: a rising hill time.
KILLS = (26, 29, 20, 27, 22, 16, 24, 18)
HILL_TIMES_S = (151, 160, 104, 142, 117, 88, 130, 95)
# Pictures are stored with a small palette: a few tens of kB each, no visible banding.
PALETTE_COLOURS = 96


@pytest.fixture(scope="module")
def shots_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("DEBRIEF_REPLY_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("reply-shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
async def sandbox(
    mongodb_uri: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Sandbox]:
    name = f"debrief_shots_{uuid.uuid4().hex[:8]}"
    settings = load_settings(
        debrief_env="sandbox", debrief_data_dir=tmp_path_factory.mktemp("shots")
    )
    options = SandboxOptions(
        api_port=free_port(),
        console_port=free_port(),
        database_uri=mongodb_uri,
        database_name=name,
    )
    async with connect_database(mongodb_uri, name, app_name="debrief-shots") as database:
        await init_beanie(database=database.db, document_models=DOCUMENT_MODELS)
        async with open_sandbox(settings, options) as opened:
            program_stub(opened.stub)
            yield opened
            opened.emulator.assert_no_spec_violations()
        await database.client.drop_database(name)


@pytest.fixture
async def console(browser: Browser, sandbox: Sandbox) -> AsyncIterator[Page]:
    """The console, acting as the sandbox's player, in UTC."""
    context = await browser.new_context(
        viewport=SHOT_VIEWPORT,  # type: ignore[arg-type]
        locale="en-US",
        timezone_id="UTC",
    )
    page = await context.new_page()
    assert sandbox.console_url is not None
    await open_console(page, sandbox.console_url)
    yield page
    await context.close()


async def photograph(page: Page, shots: Path, name: str, text: str) -> Locator:
    """The one message showing `text`, checked visible and saved as `<name>.png`."""
    shown = page.locator("#message-list > li").filter(has_text=text).last
    await expect(shown).to_be_visible()
    raw = await shown.screenshot(animations="disabled")
    picture = Image.open(io.BytesIO(raw)).convert("RGB").quantize(colors=PALETTE_COLOURS)
    picture.save(shots / f"{name}.png", optimize=True)
    return shown


async def test_the_replies_as_the_console_shows_them(
    sandbox: Sandbox, console: Page, shots_dir: Path
) -> None:
    player, teammate = sandbox.world.player, sandbox.world.teammate

    # /debrief with a note: the match, the note under it, Fix and Delete.
    handle = debrief(
        sandbox, player, attach_sample(sandbox, OVERLOAD_SCOREBOARD), note="Lag spike in round 2"
    )
    await private_outcome(handle, DEBRIEF_ACK)
    posted = await handle.wait_for_followup()
    shown = await photograph(console, shots_dir, "debrief", "Lag spike in round 2")
    await expect(shown.locator(".embed-field").filter(has_text="Note")).to_be_visible()

    # Fix: what the correction changed, privately.
    match_id = next(iter(buttons(posted))).rsplit(":", 1)[1]
    fix = sandbox.emulator.driver.click_button(posted.id, f"debrief:fix:{match_id}", member=player)
    fixed = sandbox.emulator.driver.submit_modal(
        fix, filled(await fix.wait_for_modal(), {"Kills / deaths / assists": "26/18/8"})
    )
    await fixed.wait_for_followup()
    await photograph(console, shots_dir, "fix-saved", "Saved: kills 24 → 26")

    # Delete: asked first.
    asked = sandbox.emulator.driver.click_button(
        posted.id, f"debrief:delete:{match_id}", member=player
    )
    await asked.wait_for_ack()
    question = await photograph(console, shots_dir, "delete-question", "Delete this match (")
    await expect(question.get_by_role("button", name="Cancel")).to_be_visible()

    # /log refused: every box named, and the way back into the form.
    refused = await log_refusal(sandbox)
    shown = await photograph(console, shots_dir, "log-refused", "Some boxes can't be read")
    await expect(shown.get_by_role("button", name="Edit again")).to_be_visible()
    assert "Edit again" in buttons(refused).values()

    # /history, /trend and /leaderboard over seeded matches.
    await seed_matches(
        sandbox,
        player,
        [
            hardpoint(kills=kills, deaths=20, objective_time_s=seconds)
            for kills, seconds in zip(KILLS, HILL_TIMES_S, strict=True)
        ],
        hours_ago(8),
    )
    await seed_matches(sandbox, teammate, [hardpoint(kills=25, deaths=22)] * 3, hours_ago(3))
    await answered(invoke(sandbox, "history", player, mode="hardpoint"), "Fetching matches…")
    await photograph(console, shots_dir, "history", "Your matches · Hardpoint")

    chart = invoke(sandbox, "trend", player, stat="objective_time_s", last=20)
    await answered(chart, "Drawing your chart…")
    shown = await photograph_chart(console, shots_dir)
    assert re.search(r"Hill time · your last \d+ Hardpoint matches", await shown.inner_text())

    await answered(invoke(sandbox, "leaderboard", player, stat="kd"), "Ranking…")
    await photograph(console, shots_dir, "leaderboard", "Leaderboard · K/D · All modes")

    clash = invoke(sandbox, "leaderboard", player, stat="defuses", mode="hardpoint")
    await private_outcome(clash, "Ranking…")
    await photograph(console, shots_dir, "stat-mode-clash", "Defuses only exist in Search")

    for name in (
        "debrief",
        "fix-saved",
        "delete-question",
        "log-refused",
        "history",
        "trend",
        "leaderboard",
        "stat-mode-clash",
    ):
        assert (shots_dir / f"{name}.png").stat().st_size < 150_000, name


async def log_refusal(sandbox: Sandbox) -> Message:
    handle = invoke(sandbox, "log", sandbox.world.player, mode="overload")
    modal = await handle.wait_for_modal()
    submitted = sandbox.emulator.driver.submit_modal(
        handle,
        filled(
            modal,
            {
                "Map": "Scar",
                "Result and score (yours first)": "won by a lot",
                "Your score": "5200",
                "Kills / deaths / assists": "24-18",
                "Overloads and device carry time": "3 2:21",
            },
        ),
    )
    return await private_outcome(submitted, "Saving your match…")


async def answered(handle: InteractionHandle, ack: str) -> Message:
    await private_outcome(handle, ack)
    return await handle.wait_for_followup()


async def photograph_chart(page: Page, shots: Path) -> Locator:
    """The trend's message once its chart has loaded."""
    shown = page.locator("#message-list > li").filter(has_text="Hill time · your last").last
    image = shown.locator(".embed-image img")
    await expect(image).to_be_visible()
    assert await loaded_width(image) == 800
    return await photograph(page, shots, "trend", "Hill time · your last")
