"""The console against a real discord.py bot whose commands use every widget.

The emulator, the bot and the console run in the test's event loop; Chromium drives the page.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from playwright.async_api import Page, expect

from devtools.discord_emulator import DiscordEmulator
from devtools.discord_emulator.discord_py import discord_py_pointed_at
from devtools.samples import load_manifest
from devtools.sandbox.console import ConsoleServer
from devtools.sandbox.world import SandboxWorld, seed_sandbox
from tests.e2e.discord_emulator.bots import TOKEN, start_bot, stop_bot
from tests.support.discord_spec import emulator_config

from .console_page import choose_command, loaded_width, message, open_console, option_input
from .showcase_bot import Showcase

pytestmark = pytest.mark.e2e

API_URL = "http://127.0.0.1:9"  # only linked to, never called here
ORANGE = "rgb(230, 126, 34)"


@dataclass(frozen=True)
class Setup:
    emulator: DiscordEmulator
    world: SandboxWorld
    showcase: Showcase
    url: str


@pytest.fixture
async def setup() -> AsyncIterator[Setup]:
    config = emulator_config(token=TOKEN)
    async with DiscordEmulator(config) as emulator:
        world = seed_sandbox(emulator.driver)
        showcase = Showcase()
        with discord_py_pointed_at(emulator.api_base_url, emulator.gateway_url):
            runner = await start_bot(showcase.bot)
            try:
                await showcase.bot.tree.sync()  # global commands: the console merges both scopes
                async with ConsoleServer(emulator, world, api_url=API_URL, port=0) as console:
                    yield Setup(emulator, world, showcase, console.url)
            finally:
                showcase.release_upload.set()
                await stop_bot(showcase.bot, runner)
        emulator.assert_no_spec_violations()


async def test_options_become_inputs_and_a_missing_required_one_is_explained(
    setup: Setup, page: Page
) -> None:
    await open_console(page, setup.url)
    await choose_command(page, "echo")

    await expect(page.locator("#command-help")).to_have_text(
        "Repeat a line, with every kind of option"
    )
    await expect(option_input(page, "times")).to_have_attribute("type", "number")
    await expect(option_input(page, "times")).to_have_attribute("max", "3")
    await expect(option_input(page, "loud").locator("option")).to_have_text(["—", "True", "False"])
    await expect(option_input(page, "colour").locator("option")).to_have_text(
        ["—", "orange", "blue"]
    )

    await page.get_by_role("button", name="Run").click()
    await expect(page.get_by_role("alert")).to_contain_text("“text” is required")
    await expect(option_input(page, "text")).to_have_attribute("aria-invalid", "true")
    assert setup.emulator.core.interactions.all == []

    await option_input(page, "text").fill("gg")
    await option_input(page, "times").fill("2")
    await option_input(page, "loud").select_option("True")
    await option_input(page, "colour").select_option("blue")
    await page.get_by_role("button", name="Run").click()

    reply = message(page, "Echo chamber")
    await expect(reply.locator(".command-use")).to_have_text("↳ you used /echo")
    embed = reply.get_by_role("region", name="Echo")
    await expect(embed.locator(".embed-description strong")).to_have_text("GG")
    await expect(embed.locator(".embed-field.inline dt")).to_have_text(["Times", "Colour"])
    await expect(embed.locator(".embed-field.inline dd")).to_have_text(["2", "blue"])
    await expect(embed.locator(".embed-field:not(.inline) dd")).to_have_text(
        ["GG / GG", "@you January 1, 1970"]
    )
    await expect(embed.locator(".mention")).to_have_text("@you")
    await expect(embed.locator(".embed-footer")).to_have_text("echoed")
    await expect(embed).to_have_css("border-left-color", ORANGE)
    await expect(page.get_by_role("alert")).to_be_hidden()
    sent = setup.emulator.core.interactions.all[0].payload["data"]["options"]
    assert {option["name"]: option["value"] for option in sent} == {
        "text": "gg",
        "times": 2,
        "loud": True,
        "colour": "blue",
    }


async def test_a_sample_is_attached_the_bot_thinks_then_its_image_is_shown(
    setup: Setup, page: Page
) -> None:
    await open_console(page, setup.url)
    await choose_command(page, "upload")
    first_sample = page.locator("#samples li").first
    await first_sample.get_by_role("button", name="Attach").click()
    await expect(page.get_by_label("shot: or a sample screenshot")).to_have_value(
        "hardpoint_den_scoreboard.png"
    )

    await page.get_by_role("button", name="Run").click()

    reply = message(page, "used /upload")
    await expect(reply.locator(".thinking")).to_have_text("Debrief is thinking")
    setup.showcase.release_upload.set()
    image = reply.get_by_role("region", name="Your screenshot").locator("img")
    await expect(image).to_have_attribute("src", re.compile(r"^/console/cdn/attachments/"))
    assert await loaded_width(image) == 1920
    # The embed shows shot.png; only the other file is listed, as a download.
    await expect(reply.locator(".attachments .file-name")).to_have_text(["numbers.csv"])
    await expect(reply.locator(".thinking")).to_have_count(0)


async def test_a_file_from_disk_is_uploaded_as_the_attachment(setup: Setup, page: Page) -> None:
    setup.showcase.release_upload.set()
    await open_console(page, setup.url)
    await choose_command(page, "upload")
    png = load_manifest().samples[0].read_bytes()
    await option_input(page, "shot").set_input_files(
        {"name": "mine.png", "mimeType": "image/png", "buffer": png}
    )

    await page.get_by_role("button", name="Run").click()

    reply = message(page, "used /upload")
    image = reply.get_by_role("region", name="Your screenshot").locator("img")
    assert await loaded_width(image) == 1920
    record = setup.emulator.core.interactions.all[0]
    attachment = next(iter(record.payload["data"]["resolved"]["attachments"].values()))
    assert (attachment["filename"], attachment["size"]) == ("mine.png", len(png))


async def test_buttons_menus_and_a_modal_act_as_the_chosen_member(setup: Setup, page: Page) -> None:
    await open_console(page, setup.url)
    await choose_command(page, "panel")
    await page.get_by_role("button", name="Run").click()

    panel = message(page, "Pick something")
    await expect(panel.get_by_role("button", name="Locked")).to_be_disabled()
    await expect(panel.get_by_role("button", name="Locked")).to_have_class("button danger")
    docs = panel.get_by_role("link", name="Docs")
    await expect(docs).to_have_attribute("href", "https://example.com/docs")
    await expect(docs).to_have_attribute("target", "_blank")

    await panel.get_by_label("Choose a map").select_option("scar")
    await expect(message(page, "Map: scar")).to_have_count(1)

    await message(page, "Map: scar").get_by_role("button", name="Open form").click()
    dialog = page.get_by_role("dialog", name="Tell us")
    await expect(dialog).to_be_visible()
    name = dialog.get_by_label("Your name")
    await expect(name).to_have_attribute("maxlength", "20")
    await expect(dialog.locator("textarea")).to_have_attribute("aria-required", "false")
    await name.fill("A")
    await dialog.get_by_role("button", name="Submit").click()
    await expect(dialog.get_by_role("alert")).to_have_text(
        "“Your name” needs at least 2 characters."
    )

    await name.fill("Ana")
    await dialog.get_by_role("button", name="Submit").click()
    await expect(dialog).to_be_hidden()
    thanks = message(page, "Thanks, Ana!")
    await expect(thanks.locator(".ephemeral-note")).to_contain_text("Only you can see this")
    assert setup.showcase.modal_answers == [{"name": "Ana", "story": ""}]

    await page.get_by_label("Act as").select_option(label="teammate")
    await expect(thanks).to_have_count(0)
    await expect(message(page, "Map: scar")).to_have_count(1)
