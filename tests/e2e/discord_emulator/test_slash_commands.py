"""Slash commands, attachments, follow-ups, ephemeral replies, modals and buttons."""

from __future__ import annotations

import asyncio
import io

import discord
import httpx

from devtools.discord_emulator import DiscordEmulator

from .bots import EmulatedBot
from .conftest import Launch, World

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"scoreboard" * 100
REALISTIC_FIELDS = {
    "id",
    "application_id",
    "type",
    "token",
    "version",
    "guild_id",
    "channel_id",
    "channel",
    "member",
    "app_permissions",
    "locale",
    "guild_locale",
    "entitlements",
    "authorizing_integration_owners",
    "context",
    "attachment_size_limit",
    "data",
}


async def test_bot_reads_the_attachment_of_a_command(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    received: dict[str, object] = {}

    @bot.tree.command(description="Post a match")
    async def debrief(
        interaction: discord.Interaction, scoreboard: discord.Attachment, note: str | None = None
    ) -> None:
        received.update(
            data=await scoreboard.read(),
            type=scoreboard.content_type,
            name=scoreboard.filename,
            note=note,
            user=interaction.user.id,
        )
        await interaction.response.send_message("Reading your screenshots…")

    await launch(bot)
    await bot.tree.sync()
    attachment = emulator.driver.register_attachment(PNG_BYTES, "scoreboard.png", "image/png")

    handle = emulator.driver.invoke_command(
        "debrief",
        member=world.member,
        channel_id=world.channel.id,
        options={"scoreboard": attachment, "note": "gg"},
    )
    reply = await handle.wait_for_original()

    assert received == {
        "data": PNG_BYTES,
        "type": "image/png",
        "name": "scoreboard.png",
        "note": "gg",
        "user": world.member.user.id,
    }
    assert reply.content == "Reading your screenshots…"
    payload = handle.payload
    assert payload.keys() >= REALISTIC_FIELDS and payload["version"] == 1
    assert {"user", "roles", "permissions"} <= payload["member"].keys()
    assert {"id", "name", "type", "options", "resolved"} <= payload["data"].keys()
    assert payload["data"]["resolved"]["attachments"][attachment["id"]]["size"] == len(PNG_BYTES)
    assert payload["data"]["options"][0] == {
        "type": 11,
        "name": "scoreboard",
        "value": attachment["id"],
    }


async def test_defer_then_follow_up_with_embed_and_file(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    @bot.tree.command(description="Chart a stat")
    async def trend(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        embed = discord.Embed(title="K/D trend", description="Last 10 matches")
        embed.add_field(name="Average", value="1.21")
        chart = discord.File(io.BytesIO(b"chart-png"), filename="trend.png")
        await interaction.followup.send(embed=embed, file=chart)
        await interaction.followup.send("second follow-up")

    await launch(bot)
    await bot.tree.sync()
    handle = emulator.driver.invoke_command(
        "trend", member=world.member, channel_id=world.channel.id
    )

    ack = await handle.wait_for_ack()
    first = await handle.wait_for_followup(1)
    second = await handle.wait_for_followup(2)

    assert ack.callback_type == 5
    # After a "thinking" defer, Discord turns the first follow-up into that message.
    assert first.id == handle.record.original_message_id
    assert first.embeds[0]["title"] == "K/D trend"
    assert first.embeds[0]["fields"][0]["value"] == "1.21"
    assert [a.filename for a in first.attachments] == ["trend.png"]
    assert second.content == "second follow-up" and second.id != first.id
    async with httpx.AsyncClient() as client:
        download = await client.get(emulator.base_url + first.attachments[0].url_path)
    assert download.content == b"chart-png"
    assert [m.id for m in emulator.driver.channel_messages(world.channel.id)] == [
        first.id,
        second.id,
    ]


async def test_edit_original_after_defer(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    fetched: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    @bot.tree.command(description="Ping")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.defer()
        await interaction.edit_original_response(content="pong")
        fetched.set_result((await interaction.original_response()).content)

    await launch(bot)
    await bot.tree.sync()
    handle = emulator.driver.invoke_command(
        "ping", member=world.member, channel_id=world.channel.id
    )

    original = await handle.wait_for_original()
    assert original.content == "pong" and original.edited_at is not None
    assert [r.kind for r in handle.responses] == ["callback", "edit"]
    assert await asyncio.wait_for(fetched, 5) == "pong"
    assert emulator.request_log.count("GET", "/webhooks/*/messages/@original") == 1


async def test_ephemeral_reply_is_flagged_and_hidden_from_the_channel(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    @bot.tree.command(description="Show a cooldown")
    async def cooldown(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Cooldown active: 30 s left", ephemeral=True)

    await launch(bot)
    await bot.tree.sync()
    handle = emulator.driver.invoke_command(
        "cooldown", member=world.member, channel_id=world.channel.id
    )

    reply = await handle.wait_for_original()
    assert reply.flags & 64 and reply.ephemeral
    assert handle.responses[0].payload["data"]["flags"] == 64
    assert emulator.driver.channel_messages(world.channel.id) == []
    assert emulator.driver.channel_messages(world.channel.id, include_ephemeral=True) == [reply]


class FixModal(discord.ui.Modal, title="Fix match"):
    kills: discord.ui.TextInput[FixModal] = discord.ui.TextInput(label="Kills", custom_id="kills")
    note: discord.ui.TextInput[FixModal] = discord.ui.TextInput(
        label="Note", custom_id="note", required=False, style=discord.TextStyle.paragraph
    )

    def __init__(self) -> None:
        super().__init__()
        self.submitted: dict[str, str] = {}

    async def on_submit(self, interaction: discord.Interaction) -> None:
        self.submitted = {"kills": self.kills.value, "note": self.note.value}
        await interaction.response.send_message(f"Saved {self.kills.value} kills", ephemeral=True)


async def test_modal_round_trip(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    modal = FixModal()

    @bot.tree.command(description="Manual entry")
    async def log(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(modal)

    await launch(bot)
    await bot.tree.sync()
    handle = emulator.driver.invoke_command("log", member=world.member, channel_id=world.channel.id)
    shown = await handle.wait_for_modal()
    assert shown["title"] == "Fix match"

    submit = emulator.driver.submit_modal(handle, {"kills": "27", "note": "lag spike"})
    reply = await submit.wait_for_original()

    assert modal.submitted == {"kills": "27", "note": "lag spike"}
    assert reply.content == "Saved 27 kills"
    assert submit.payload["type"] == 5
    assert submit.payload["data"]["custom_id"] == shown["custom_id"]


class MatchButtons(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.clicked_by: list[int] = []

    @discord.ui.button(label="Delete", style=discord.ButtonStyle.danger, custom_id="match:delete")
    async def delete(
        self, interaction: discord.Interaction, button: discord.ui.Button[MatchButtons]
    ) -> None:
        self.clicked_by.append(interaction.user.id)
        await interaction.response.edit_message(content="Match deleted", view=None)


async def test_button_click_updates_the_message(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    view = MatchButtons()

    @bot.tree.command(description="Show a match")
    async def match(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Match #1", view=view)

    await launch(bot)
    await bot.tree.sync()
    shown = await emulator.driver.invoke_command(
        "match", member=world.member, channel_id=world.channel.id
    ).wait_for_original()
    assert shown.custom_ids() == ["match:delete"]

    click = emulator.driver.click_button(shown.id, "match:delete", member=world.member)
    ack = await click.wait_for_ack()

    assert ack.callback_type == 7
    assert view.clicked_by == [world.member.user.id]
    assert click.payload["message"]["id"] == str(shown.id)
    assert click.payload["data"] == {"custom_id": "match:delete", "component_type": 2}
    updated = emulator.state.message(shown.id)
    assert updated.content == "Match deleted" and updated.components == []
