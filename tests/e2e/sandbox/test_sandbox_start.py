"""`debrief start` (what `make run` runs) on ports of the newcomer's choosing, and the API's
docs in a real browser that may not reach any other site."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Page, Route, expect

from app.shared.embedded_db import free_port

from .sandbox_process import start_debrief

pytestmark = pytest.mark.e2e

SCREENSHOT = Path("/tmp/sandbox-api-docs.png")
DIGEST_PATH = "/api/v1/guilds/{guild_id}/digest"


async def offline(page: Page) -> list[str]:
    """Let the page reach this machine only; what it tried to fetch elsewhere is listed."""
    elsewhere: list[str] = []

    async def loopback_only(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            await route.continue_()
        else:
            elsewhere.append(route.request.url)
            await route.abort("internetdisconnected")

    await page.context.route("**/*", loopback_only)
    return elsewhere


async def test_start_takes_the_ports_and_the_docs_render_offline(
    tmp_path: Path, page: Page
) -> None:
    console_port, api_port = free_port(), free_port()
    # As `make run ARGS="--port N --api-port M"` runs it.
    sandbox = await start_debrief(
        tmp_path,
        ["start", "--port", str(console_port), "--api-port", str(api_port)],
        api_port,
        DEBRIEF_ENV="development",
    )
    try:
        assert sandbox.console_url == f"http://127.0.0.1:{console_port}/"
        elsewhere = await offline(page)

        await page.goto(f"{sandbox.api_url}/docs")
        digest = page.locator(".opblock-summary-path", has_text=DIGEST_PATH)
        await expect(digest.first).to_be_visible()
        assert await page.locator(".opblock").count() > 10
        await page.screenshot(path=SCREENSHOT)

        await page.goto(f"{sandbox.api_url}/redoc")
        await expect(page.get_by_role("heading", name="Debrief API").first).to_be_visible()
        await expect(page.get_by_text("Post Guild Digest").first).to_be_attached()

        assert elsewhere == [], "the docs pages needed another site"
    finally:
        status = await sandbox.stop()
    assert status == 0, sandbox.log()
