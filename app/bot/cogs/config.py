"""/config: per-server settings. Manage Server only, checked by Discord and again here."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from app.bot.actors import actor_of
from app.bot.choices import ASK_SCOPE_SETTING_CHOICES
from app.bot.client import DebriefBot
from app.bot.discord_limits import add_field
from app.bot.replies import Reply
from app.core.commands import UpdateGuildConfig
from app.core.guilds import GuildConfig
from app.core.reads.guilds import guild_settings

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAY_CHOICES = [app_commands.Choice(name=d, value=i) for i, d in enumerate(WEEKDAYS, start=1)]


def config_embed(config: GuildConfig) -> discord.Embed:
    embed = discord.Embed(title="Debrief settings", colour=discord.Colour.blurple())
    channel = f"<#{config.digest_channel_id}>" if config.digest_channel_id else "off"
    add_field(embed, "Weekly digest", channel)
    if config.digest_problem:
        add_field(embed, "Digest problem", config.digest_problem, inline=False)
    add_field(
        embed,
        "Digest time",
        f"{WEEKDAYS[config.digest_weekday - 1]} {config.digest_hour_utc:02d}:00 UTC",
    )
    add_field(embed, "/ask answers about", config.ask_scope.value)
    add_field(embed, "/debrief and /log cooldown", f"{config.debrief_cooldown_s} s each")
    add_field(embed, "/ask cooldown", f"{config.ask_cooldown_s} s")
    add_field(embed, "Announce bests", _announce_bests(config))
    return embed


def _announce_bests(config: GuildConfig) -> str:
    if not config.announce_bests:
        return "off"
    # Announcements go where the digest goes: without a channel there is nowhere to post.
    return "on" if config.digest_channel_id else "on (choose a channel with /config digest)"


@app_commands.guild_only()
# Discord hides the group from members without Manage Server; admins can change that per
# server, so every subcommand checks the permission again at run time.
@app_commands.default_permissions(manage_guild=True)
class Config(
    commands.GroupCog, group_name="config", group_description="Debrief settings for this server."
):
    def __init__(self, bot: DebriefBot) -> None:
        self.bot = bot
        super().__init__()

    async def _update(self, interaction: discord.Interaction, **changes: object) -> None:
        reply = Reply(interaction)
        await reply.ack("Saving…")
        # The handler checks Manage Server again, from this interaction's permissions.
        saved = await self.bot.bus.handle(
            UpdateGuildConfig(
                guild_id=interaction.guild_id or 0, actor=actor_of(interaction), changes=changes
            )
        )
        await reply.private("Saved.", embed=config_embed(saved))

    @app_commands.command(name="show")
    async def show(self, interaction: discord.Interaction) -> None:
        """Show this server's Debrief settings."""
        reply = Reply(interaction)
        await reply.ack("Loading…")
        config = await guild_settings(
            self.bot.runtime.dependencies.guild_configs,
            actor_of(interaction),
            interaction.guild_id or 0,
        )
        await reply.private(embed=config_embed(config))

    @app_commands.command(name="digest")
    @app_commands.describe(
        channel="Where to post the weekly digest",
        weekday="On which day",
        hour="At which hour (UTC)",
    )
    @app_commands.choices(weekday=WEEKDAY_CHOICES)
    async def digest(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        weekday: app_commands.Choice[int],
        hour: app_commands.Range[int, 0, 23] = 18,
    ) -> None:
        """Post a weekly squad digest in a channel."""
        await self._update(
            interaction,
            digest_channel_id=channel.id,
            digest_weekday=weekday.value,
            digest_hour_utc=hour,
        )

    @app_commands.command(name="digest-off")
    async def digest_off(self, interaction: discord.Interaction) -> None:
        """Stop the weekly digest."""
        await self._update(interaction, digest_channel_id=None)

    @app_commands.command(name="ask-scope")
    @app_commands.describe(scope="What /ask answers about by default")
    @app_commands.choices(scope=ASK_SCOPE_SETTING_CHOICES)
    async def ask_scope(
        self, interaction: discord.Interaction, scope: app_commands.Choice[str]
    ) -> None:
        """Choose whether /ask looks at the whole server or only the asker."""
        await self._update(interaction, ask_scope=scope.value)

    @app_commands.command(name="cooldowns")
    @app_commands.describe(
        debrief="Seconds between two /debrief, and between two /log, per player",
        ask="Seconds between two /ask per player",
    )
    async def cooldowns(
        self,
        interaction: discord.Interaction,
        debrief: app_commands.Range[int, 0, 3600],
        ask: app_commands.Range[int, 0, 3600],
    ) -> None:
        """Set the per-player cooldowns."""
        await self._update(interaction, debrief_cooldown_s=debrief, ask_cooldown_s=ask)

    @app_commands.command(name="announce-bests")
    @app_commands.describe(on="Post new personal bests and milestones in the digest's channel")
    async def announce_bests(self, interaction: discord.Interaction, on: bool) -> None:
        """Call out players' new personal bests and milestones in the squad channel."""
        await self._update(interaction, announce_bests=on)


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Config(bot))
