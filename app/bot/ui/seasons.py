"""A season as Discord shows it: the one just started, and an ended season's top three."""

from __future__ import annotations

import discord

from app.bot.discord_limits import TITLE, add_field, clip, fit
from app.bot.ui.boards import MEDALS
from app.core.debriefing.formatting import format_stat
from app.core.i18n import _
from app.core.reads.stats import LEADERBOARD_MIN_MATCHES
from app.core.seasons import EndedSeason, Season, StatPodium
from app.core.wording import capitalised, counted


def started_embed(season: Season) -> discord.Embed:
    """The squad hears that a season started, with the final top three of the one it ended."""
    embed = results_embed(season.ended, title=_("Season {name} has started", name=season.name))
    embed.description = _(
        "Leaderboards now count from here. Final top three of {name}, {span}.",
        name=discord.utils.escape_markdown(season.ended.shown_name),
        span=span(season.ended),
    )
    return fit(embed)


def results_embed(ended: EndedSeason, *, title: str | None = None) -> discord.Embed:
    embed = discord.Embed(
        title=clip(title or _("Season results · {name}", name=ended.shown_name), TITLE),
        colour=discord.Colour.gold(),
    )
    embed.description = f"{capitalised(span(ended))}."
    if not ended.podiums:
        embed.description += _(" Nobody played enough matches to make a top three.")
    for podium in ended.podiums:
        add_field(embed, _(podium.stat.label), podium_lines(podium), inline=True)
    embed.set_footer(
        text=_(
            "Top three of each stat, players with at least {matches}, frozen when the season "
            "ended.",
            matches=counted(LEADERBOARD_MIN_MATCHES, "match"),
        )
    )
    return fit(embed)


def span(ended: EndedSeason) -> str:
    start = ended.started_at
    since = discord.utils.format_dt(start, "d") if start else _("the start")
    return _(
        "from {since} to {until}", since=since, until=discord.utils.format_dt(ended.ended_at, "d")
    )


def podium_lines(podium: StatPodium) -> str:
    return "\n".join(
        f"{MEDALS[place.rank - 1]} <@{place.user_id}> {format_stat(podium.stat, place.value)}"
        for place in podium.places
    )
