"""Channel messages, subcommands and typed options, select menus and deferred updates."""

from __future__ import annotations

import io

import discord
import httpx
import pytest
from discord import app_commands

from devtools.discord_emulator import DiscordEmulator, InvocationError, NotConnectedError
from devtools.discord_emulator.models import VIEW_CHANNEL

from .bots import TOKEN, EmulatedBot
from .conftest import Launch, World


async def test_bot_sends_reads_edits_and_deletes_channel_messages(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    await launch(bot)
    channel = await bot.fetch_channel(world.channel.id)
    assert isinstance(channel, discord.TextChannel)

    first = await channel.send("weekly digest")
    second = await channel.send("with a file", file=discord.File(io.BytesIO(b"csv"), "week.csv"))
    await first.edit(content="weekly digest (edited)")
    history = [m.content async for m in channel.history(limit=10)]
    await second.delete()

    assert history == ["with a file", "weekly digest (edited)"]
    assert [m.content for m in emulator.driver.channel_messages(world.channel.id)] == [
        "weekly digest (edited)"
    ]
    assert emulator.state.message(first.id).edited_at is not None


async def test_missing_send_permission_is_403(
    emulator: DiscordEmulator, launch: Launch, bot: EmulatedBot
) -> None:
    guild = emulator.driver.create_guild("Read only", bot_permissions=VIEW_CHANNEL)
    # @everyone may send in a fresh guild; take that away too.
    guild.roles[guild.id].permissions = VIEW_CHANNEL
    channel = emulator.driver.create_channel(guild.id, "announcements")
    await launch(bot)
    target = bot.get_channel(channel.id)
    assert isinstance(target, discord.TextChannel)

    with pytest.raises(discord.Forbidden) as raised:
        await target.send("not allowed")
    assert raised.value.code == 50013


async def test_rate_limit_headers_describe_the_route_bucket(
    emulator: DiscordEmulator, world: World
) -> None:
    async with httpx.AsyncClient(
        base_url=emulator.api_base_url, headers={"Authorization": f"Bot {TOKEN}"}
    ) as client:
        answer = await client.get(f"/channels/{world.channel.id}")

    assert answer.headers["X-RateLimit-Limit"] == "50"
    assert answer.headers["X-RateLimit-Remaining"] == "49"
    assert 0 < float(answer.headers["X-RateLimit-Reset-After"]) <= 1
    assert answer.headers["X-RateLimit-Bucket"]


async def test_subcommands_and_typed_options_reach_the_bot(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    seen: dict[str, object] = {}
    match = app_commands.Group(name="match", description="Manage matches")

    @match.command(description="Show a match")
    @app_commands.choices(
        mode=[
            app_commands.Choice(name="Hardpoint", value="hp"),
            app_commands.Choice(name="Search and Destroy", value="snd"),
        ]
    )
    async def show(
        interaction: discord.Interaction,
        id: int,
        mode: str,
        player: discord.Member,
        channel: discord.TextChannel,
        ratio: float = 1.0,
        public: bool = False,
    ) -> None:
        seen.update(
            id=id,
            mode=mode,
            player=player.id,
            roles=len(player.roles),
            channel=channel.id,
            ratio=ratio,
            public=public,
        )
        await interaction.response.send_message("shown", ephemeral=not public)

    bot.tree.add_command(match)
    await launch(bot)
    await bot.tree.sync()
    role = emulator.driver.create_role(world.guild.id, "Captain", 0)
    captain = emulator.driver.create_member(world.guild.id, "captain", role_ids=[role.id])

    handle = emulator.driver.invoke_command(
        "match",
        subcommand="show",
        member=world.member,
        channel_id=world.channel.id,
        options={
            "id": 42,
            "mode": "snd",
            "player": captain,
            "channel": world.channel,
            "ratio": 1.5,
        },
    )
    await handle.wait_for_original()

    assert seen == {
        "id": 42,
        "mode": "snd",
        "player": captain.user.id,
        "roles": 2,
        "channel": world.channel.id,
        "ratio": 1.5,
        "public": False,
    }
    with pytest.raises(InvocationError, match="choices"):
        emulator.driver.invoke_command(
            "match",
            subcommand="show",
            member=world.member,
            channel_id=world.channel.id,
            options={"id": 1, "mode": "ffa", "player": captain, "channel": world.channel},
        )
    with pytest.raises(InvocationError, match="required"):
        emulator.driver.invoke_command(
            "match",
            subcommand="show",
            member=world.member,
            channel_id=world.channel.id,
            options={"id": 1},
        )
    with pytest.raises(InvocationError, match="subcommands"):
        emulator.driver.invoke_command("match", member=world.member, channel_id=world.channel.id)
    with pytest.raises(InvocationError, match="no slash command"):
        emulator.driver.invoke_command("nope", member=world.member, channel_id=world.channel.id)


async def test_invoking_without_a_connected_bot_is_an_error(
    emulator: DiscordEmulator, world: World
) -> None:
    emulator.state.overwrite_commands(None, [{"name": "ping", "description": "Ping"}])

    with pytest.raises(NotConnectedError):
        emulator.driver.invoke_command("ping", member=world.member, channel_id=world.channel.id)


class ModeSelect(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.chosen: list[str] = []

    @discord.ui.select(
        custom_id="history:mode",
        options=[
            discord.SelectOption(label="Hardpoint", value="hp"),
            discord.SelectOption(label="Overload", value="ovl"),
        ],
    )
    async def mode(
        self, interaction: discord.Interaction, select: discord.ui.Select[ModeSelect]
    ) -> None:
        self.chosen = list(select.values)
        await interaction.response.defer()
        await interaction.edit_original_response(content=f"History: {self.chosen[0]}")


async def test_select_menu_with_deferred_update(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    view = ModeSelect()

    @bot.tree.command(description="Match history")
    async def history(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("History: all", view=view)

    await launch(bot)
    await bot.tree.sync()
    shown = await emulator.driver.invoke_command(
        "history", member=world.member, channel_id=world.channel.id
    ).wait_for_original()

    chosen = emulator.driver.choose_options(shown.id, "history:mode", ["ovl"], member=world.member)
    edited = await chosen.wait_for_response("edit")

    assert view.chosen == ["ovl"]
    assert chosen.callback_type == 6 and edited.message is not None
    assert edited.message.id == shown.id and edited.message.content == "History: ovl"
    with pytest.raises(InvocationError, match="not a button"):
        emulator.driver.click_button(shown.id, "history:mode", member=world.member)


async def test_reply_with_a_file_and_delete_the_original(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    @bot.tree.command(description="Export CSV")
    async def export(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            "export", file=discord.File(io.BytesIO(b"a,b\n1,2\n"), filename="matches.csv")
        )
        await interaction.delete_original_response()

    await launch(bot)
    await bot.tree.sync()
    handle = emulator.driver.invoke_command(
        "export", member=world.member, channel_id=world.channel.id
    )

    deleted = await handle.wait_for_response("delete")
    assert deleted.message is not None and deleted.message.deleted
    assert [a.data for a in deleted.message.attachments] == [b"a,b\n1,2\n"]
    assert emulator.driver.channel_messages(world.channel.id) == []


class Receipt(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.pressed_by: list[tuple[int, int | None]] = []

    @discord.ui.button(label="Not me", custom_id="receipt:not-me")
    async def not_me(
        self, interaction: discord.Interaction, button: discord.ui.Button[Receipt]
    ) -> None:
        self.pressed_by.append((interaction.user.id, interaction.guild_id))
        await interaction.response.defer()
        await interaction.edit_original_response(content="Removed.", view=None)


async def test_a_button_under_a_dm_is_pressed_by_its_recipient_only(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    view = Receipt()
    await launch(bot)
    user = await bot.fetch_user(world.member.user.id)
    sent = await user.send("Recorded for you.", view=view)
    other = emulator.driver.create_member(world.guild.id, "someone-else")

    with pytest.raises(InvocationError, match="cannot see the DM"):
        emulator.driver.click_button(sent.id, "receipt:not-me", member=other)
    pressed = emulator.driver.click_button(sent.id, "receipt:not-me", member=world.member)
    edited = await pressed.wait_for_response("edit")

    # A DM interaction has the user, and no server.
    assert view.pressed_by == [(world.member.user.id, None)]
    assert edited.message is not None and edited.message.content == "Removed."
    [dm] = emulator.driver.direct_messages(world.member.user.id)
    assert dm.content == "Removed." and dm.components == []
