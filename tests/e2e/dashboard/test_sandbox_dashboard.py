"""The sandbox's console links to the dashboard, whose "Login with Discord" goes through the
emulator: a newcomer reaches their dashboard as the sandbox player without any setup."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from tests.e2e.sandbox.console_page import open_console
from tests.e2e.sandbox.sandbox_process import start_sandbox

pytestmark = pytest.mark.e2e


async def test_the_console_leads_to_the_dashboard_and_login_works(
    tmp_path: Path, page: Page, artifacts: Path
) -> None:
    sandbox = await start_sandbox(tmp_path)
    try:
        await open_console(page, sandbox.console_url)
        link = page.get_by_role("link", name="Dashboard")
        await expect(link).to_have_attribute("href", f"{sandbox.api_url}/")
        async with page.context.expect_page() as opened:
            await link.click()
        dashboard = await opened.value
        await dashboard.get_by_role("link", name="Login with Discord").click()
        await expect(dashboard.get_by_role("heading", level=1)).to_have_text("My matches")
        await expect(dashboard.locator(".who")).to_have_text("you")
        await (
            dashboard.get_by_role("navigation", name="Dashboard")
            .get_by_role("link", name="My servers")
            .click()
        )
        await expect(dashboard.get_by_role("link", name="Debrief Sandbox")).to_be_visible()
        await dashboard.screenshot(path=artifacts / "sandbox-my-servers.png", full_page=True)
    finally:
        status = await sandbox.stop()
    assert status == 0, sandbox.log()
