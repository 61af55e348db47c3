"""What a person does on the console page, as Playwright steps."""

from __future__ import annotations

import re

from playwright.async_api import Locator, Page


async def open_console(page: Page, url: str) -> None:
    """Load the console and wait until it knows the bot's commands."""
    await page.goto(url)
    await page.wait_for_selector("body[data-ready]")


async def choose_command(page: Page, name: str) -> None:
    await page.get_by_label("Command", exact=True).select_option(name)


def option_input(page: Page, name: str) -> Locator:
    """The input of a command option, found by its label ("text *(required)", "times optional")."""
    return page.locator("#options").get_by_label(re.compile(rf"^{re.escape(name)}\b")).first


def message(page: Page, text: str) -> Locator:
    return page.locator("#message-list > li").filter(has_text=text)


async def loaded_width(image: Locator) -> int:
    """The natural width of an <img> once loaded (0 if it failed to load)."""
    width: int = await image.evaluate(
        """img => img.complete ? img.naturalWidth : new Promise(resolve => {
               img.addEventListener('load', () => resolve(img.naturalWidth));
               img.addEventListener('error', () => resolve(0));
           })"""
    )
    return width
