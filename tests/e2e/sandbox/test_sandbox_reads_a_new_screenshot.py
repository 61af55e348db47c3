"""`debrief sandbox` reads a screenshot the user made themselves, not one of the samples.

The screenshot is generated fresh (`devtools.samples.scoreboards`), uploaded from the console
in Chromium like a file from disk, and read by the on-device reader in the bot's worker
process: the bot itself never loads the model.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from app.core.game.rules import Mode
from app.shared.local_reader import local_reader_installed
from devtools.samples import load_manifest
from devtools.samples.scoreboards import generate_one

from .console_page import choose_command, message, open_console, option_input
from .sandbox_process import descendants, start_sandbox

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not local_reader_installed(), reason="the local-ai extra is not installed"),
]

# An Overload scoreboard at 1280x720, JPEG quality 94, with a player none of the samples has.
SEED, INDEX = 13, 1
RESULT_WORDS = {"win": "Victory", "loss": "Defeat", "draw": "Draw"}
# The first screenshot starts the reader's worker and loads its model.
READ_TIMEOUT_MS = 120_000
SCREENSHOT = Path("/tmp/sandbox-local-reader.png")


async def test_a_screenshot_the_samples_do_not_include_is_read_and_saved(
    tmp_path: Path, page: Page
) -> None:
    generated = generate_one(SEED, INDEX)
    scoreboard = generated.screens[0]
    assert scoreboard.kind == "scoreboard"
    samples = {sample.sha256 for sample in load_manifest().samples}
    assert hashlib.sha256(scoreboard.data).hexdigest() not in samples
    answer, player = generated.answer, generated.answer["player"]

    sandbox = await start_sandbox(tmp_path)
    try:
        await open_console(page, sandbox.console_url)
        await choose_command(page, "debrief")
        await option_input(page, "scoreboard").set_input_files(
            {"name": "my-match.jpg", "mimeType": "image/jpeg", "buffer": scoreboard.data}
        )
        await page.get_by_role("button", name="Run").click()

        title = (
            f"{RESULT_WORDS[answer['result']]} {answer['team_score']}–{answer['enemy_score']}"
            f" · {Mode(answer['mode']).display_name} on {answer['map']}"
        )
        debriefed = message(page, title)
        await expect(debriefed).to_have_count(1, timeout=READ_TIMEOUT_MS)
        kda = f"{player['kills']} / {player['deaths']} / {player['assists']}"
        await expect(debriefed).to_contain_text(kda)
        await expect(message(page, "Saved as match")).to_have_count(1)
        await page.screenshot(path=SCREENSHOT, full_page=True)

        bot = next(
            pid for pid, role in descendants(sandbox.process.pid).items() if "app.cli bot" in role
        )
        assert not _loaded_onnxruntime(bot), "the bot process loaded the model itself"
        workers = descendants(bot)
        assert any(_loaded_onnxruntime(pid) for pid in workers), workers
    finally:
        status = await sandbox.stop()

    assert status == 0, sandbox.log()


def _loaded_onnxruntime(pid: int) -> bool:
    try:
        return "onnxruntime" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False
