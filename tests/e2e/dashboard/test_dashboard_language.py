"""The dashboard in a Spanish browser (Chromium's locale sets its Accept-Language): the
landing page in Spanish, then the language picker switching it to English and back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.async_api import Browser, Page, expect

from tests.e2e.sandbox.conftest import UI_TIMEOUT_MS, VIEWPORT

pytestmark = pytest.mark.e2e


@pytest.fixture
async def spanish_page(browser: Browser, app: FastAPI) -> AsyncIterator[Page]:
    context = await browser.new_context(viewport=VIEWPORT, locale="es-ES", timezone_id="UTC")
    context.set_default_timeout(UI_TIMEOUT_MS)
    yield await context.new_page()
    await context.close()


async def test_a_spanish_browser_reads_spanish_and_may_pick_english(
    spanish_page: Page, base_url: str, artifacts: Path
) -> None:
    page = spanish_page
    await page.goto(f"{base_url}/")
    await expect(page.locator("html")).to_have_attribute("lang", "es")
    await expect(page.get_by_role("link", name="Iniciar sesión con Discord")).to_be_visible()
    await expect(page.get_by_role("link", name="Ir al contenido")).to_be_attached()
    await page.screenshot(path=artifacts / "20-landing-es.png", full_page=True)

    await page.get_by_label("Idioma").select_option("en")
    await page.get_by_role("button", name="Cambiar").click()
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page.get_by_role("link", name="Login with Discord")).to_be_visible()

    await page.get_by_label("Language").select_option("")
    await page.get_by_role("button", name="Change").click()
    await expect(page.locator("html")).to_have_attribute("lang", "es")
