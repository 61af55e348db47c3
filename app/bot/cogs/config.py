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
from app.core.i18n import N_, Language, _, speaking
from app.core.reads.guilds import guild_settings
from app.core.reads.options import ask_scope_setting_options

WEEKDAYS = [
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
]
WEEKDAY_CHOICES = [app_commands.Choice(name=d, value=i) for i, d in enumerate(WEEKDAYS, start=1)]
# The labels of /config ask-scope's choices: already in the catalog, through the command.
ASK_SCOPE_LABELS = {option.value: option.label for option in ask_scope_setting_options()}
# Follow the server's language in Discord, or one Debrief speaks; each named in itself.
FOLLOW_DISCORD = "discord"
LANGUAGE_CHOICES = [
    app_commands.Choice(name=N_("The server's language in Discord"), value=FOLLOW_DISCORD),
    *(
        app_commands.Choice(name=language.native_name, value=language.value)
        for language in Language
    ),
]


def config_embed(config: GuildConfig) -> discord.Embed:
    embed = discord.Embed(title=_("Debrief settings"), colour=discord.Colour.blurple())
    channel = f"<#{config.digest_channel_id}>" if config.digest_channel_id else _("off")
    add_field(embed, _("Weekly digest"), channel)
    if config.digest_problem:
        # Saved in English, the catalog's language: shown in the reader's.
        add_field(embed, _("Digest problem"), _(config.digest_problem), inline=False)
    add_field(
        embed,
        _("Digest time"),
        f"{_(WEEKDAYS[config.digest_weekday - 1])} {config.digest_hour_utc:02d}:00 UTC",
    )
    add_field(embed, _("/ask answers about"), _(ASK_SCOPE_LABELS[config.ask_scope]))
    add_field(
        embed,
        _("/debrief and /log cooldown"),
        _("{seconds} s each", seconds=config.debrief_cooldown_s),
    )
    add_field(embed, _("/ask cooldown"), _("{seconds} s", seconds=config.ask_cooldown_s))
    add_field(embed, _("Announce bests"), _announce_bests(config))
    add_field(embed, _("Language"), _language(config))
    return embed


def _announce_bests(config: GuildConfig) -> str:
    if not config.announce_bests:
        return _("off")
    # Announcements go where the digest goes: without a channel there is nowhere to post.
    return _("on") if config.digest_channel_id else _("on (choose a channel with /config digest)")


def _language(config: GuildConfig) -> str:
    if config.language is None:
        return _("the server's language in Discord")
    return config.language.native_name


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
        await reply.ack(_("Saving…"))
        # The handler checks Manage Server again, from this interaction's permissions.
        saved = await self.bot.bus.handle(
            UpdateGuildConfig(
                guild_id=interaction.guild_id or 0, actor=actor_of(interaction), changes=changes
            )
        )
        # The reply speaks the language just chosen, if that is what changed.
        with speaking(await self.bot.languages.of_interaction(interaction)):
            await reply.private(_("Saved."), embed=config_embed(saved))

    @app_commands.command(name="show")
    async def show(self, interaction: discord.Interaction) -> None:
        """Show this server's Debrief settings."""
        reply = Reply(interaction)
        await reply.ack(_("Loading…"))
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

    @app_commands.command(name="language")
    @app_commands.describe(language="The language of Debrief's replies in this server")
    @app_commands.choices(language=LANGUAGE_CHOICES)
    async def language(
        self, interaction: discord.Interaction, language: app_commands.Choice[str]
    ) -> None:
        """Choose the language Debrief replies in here."""
        chosen = None if language.value == FOLLOW_DISCORD else language.value
        await self._update(interaction, language=chosen)

    @app_commands.command(name="announce-bests")
    @app_commands.describe(on="Post new personal bests and milestones in the digest's channel")
    async def announce_bests(self, interaction: discord.Interaction, on: bool) -> None:
        """Call out players' new personal bests and milestones in the squad channel."""
        await self._update(interaction, announce_bests=on)


async def setup(bot: DebriefBot) -> None:
    await bot.add_cog(Config(bot))
