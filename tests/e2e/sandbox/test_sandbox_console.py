"""`debrief sandbox` end to end: the real entrypoint, bot, API and console, in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from .console_page import choose_command, message, open_console
from .sandbox_process import descendants, is_running, start_sandbox

pytestmark = pytest.mark.e2e

SCREENSHOT = Path("/tmp/sandbox-console.png")


async def test_ping_from_the_console_of_the_real_sandbox(tmp_path: Path, page: Page) -> None:
    sandbox = await start_sandbox(tmp_path)
    try:
        started = descendants(sandbox.process.pid)
        roles = " | ".join(started.values())
        assert "app.cli api" in roles and "app.cli bot" in roles, roles

        await open_console(page, sandbox.console_url)
        await expect(page.get_by_role("heading", level=1)).to_have_text(
            "Debrief sandbox — emulated Discord · emulated AI"
        )
        await expect(page.get_by_role("link", name="API docs")).to_have_attribute(
            "href", f"{sandbox.api_url}/docs"
        )

        await choose_command(page, "ping")
        await page.get_by_role("button", name="Run").click()

        pong = message(page, "Pong")
        database = pong.locator(".embed-field").filter(has=page.locator("dt", has_text="Database"))
        await expect(database.locator("dd")).to_have_text("ok")
        await expect(pong.locator(".command-use")).to_have_text("↳ you used /ping")
        await expect(pong.locator(".ephemeral-note")).to_contain_text("Only you can see this")
        await page.screenshot(path=SCREENSHOT)

        violations = await page.request.get(f"{sandbox.console_url}console/api/violations")
        assert await violations.json() == [], "the bot sent bodies Discord would refuse"
    finally:
        status = await sandbox.stop()

    assert status == 0, sandbox.log()
    left = {pid: command for pid, command in started.items() if is_running(pid)}
    assert not left, f"the sandbox left processes behind: {left}"
