"""A real discord.py bot whose commands use every widget the console must render.

The product's own commands arrive over time; this bot pins down that the console handles
them generically: typed options, attachments, thinking, files shown through embeds, buttons
of every style, select menus and modals.
"""

from __future__ import annotations

import asyncio
import io
from typing import Literal

import discord
from discord import app_commands

from tests.e2e.discord_emulator.bots import EmulatedBot

EMBED_COLOUR = 0xE67E22


class Showcase:
    """The bot plus the switch the test flips to let /upload finish "thinking"."""

    def __init__(self) -> None:
        self.bot = EmulatedBot()
        self.release_upload = asyncio.Event()
        self.modal_answers: list[dict[str, str]] = []
        self._add_commands()

    def _add_commands(self) -> None:
        tree = self.bot.tree

        @tree.command(description="Repeat a line, with every kind of option")
        @app_commands.describe(text="What to say", times="How many times (1 to 3)")
        async def echo(
            interaction: discord.Interaction,
            text: str,
            times: app_commands.Range[int, 1, 3] = 1,
            loud: bool = False,
            colour: Literal["orange", "blue"] | None = None,
        ) -> None:
            line = text.upper() if loud else text
            embed = discord.Embed(title="Echo", description="**" + line + "**", colour=EMBED_COLOUR)
            embed.set_author(name="Echo chamber")
            embed.add_field(name="Times", value=str(times))
            embed.add_field(name="Colour", value=colour or "none")
            embed.add_field(name="Said", value=" / ".join([line] * times), inline=False)
            # Discord markup the console must render: a mention and a timestamp.
            embed.add_field(name="By", value=f"{interaction.user.mention} <t:0:D>", inline=False)
            embed.set_footer(text="echoed")
            await interaction.response.send_message(embed=embed)

        @tree.command(description="Send a screenshot back")
        async def upload(interaction: discord.Interaction, shot: discord.Attachment) -> None:
            await interaction.response.defer(thinking=True)
            data = await shot.read()
            await self.release_upload.wait()
            embed = discord.Embed(title="Your screenshot", colour=EMBED_COLOUR)
            embed.set_image(url="attachment://shot.png")
            files = [
                discord.File(io.BytesIO(data), filename="shot.png"),
                discord.File(io.BytesIO(b"a,b\n1,2\n"), filename="numbers.csv"),
            ]
            await interaction.followup.send(embed=embed, files=files)

        @tree.command(description="Buttons and a menu")
        async def panel(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("Pick something", view=self._panel_view())

    def _panel_view(self) -> discord.ui.View:
        view = discord.ui.View(timeout=None)
        form = discord.ui.Button[discord.ui.View](
            label="Open form", custom_id="open-form", style=discord.ButtonStyle.primary
        )
        form.callback = self._open_form  # type: ignore[method-assign]
        view.add_item(form)
        view.add_item(
            discord.ui.Button[discord.ui.View](
                label="Locked", custom_id="locked", style=discord.ButtonStyle.danger, disabled=True
            )
        )
        view.add_item(
            discord.ui.Button[discord.ui.View](label="Docs", url="https://example.com/docs")
        )
        menu = discord.ui.Select[discord.ui.View](
            custom_id="map",
            placeholder="Choose a map",
            options=[
                discord.SelectOption(label="Den", value="den"),
                discord.SelectOption(label="Scar", value="scar"),
            ],
        )

        async def picked(interaction: discord.Interaction) -> None:
            await interaction.response.edit_message(content=f"Map: {menu.values[0]}")

        menu.callback = picked  # type: ignore[method-assign]
        view.add_item(menu)
        return view

    async def _open_form(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(Form(self.modal_answers))


class Form(discord.ui.Modal, title="Tell us"):
    name: discord.ui.TextInput[Form] = discord.ui.TextInput(
        label="Your name", custom_id="name", min_length=2, max_length=20
    )
    story: discord.ui.TextInput[Form] = discord.ui.TextInput(
        label="What happened",
        custom_id="story",
        style=discord.TextStyle.paragraph,
        required=False,
        max_length=200,
    )

    def __init__(self, answers: list[dict[str, str]]) -> None:
        super().__init__()
        self._answers = answers

    async def on_submit(self, interaction: discord.Interaction) -> None:
        self._answers.append({"name": self.name.value, "story": self.story.value})
        await interaction.response.send_message(f"Thanks, {self.name.value}!", ephemeral=True)
