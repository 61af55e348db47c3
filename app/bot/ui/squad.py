"""Embeds of /compare and /session."""

from __future__ import annotations

import discord

from app.bot.discord_limits import add_field, fit
from app.core.debriefing.formatting import format_stat, versus
from app.core.game.metrics import Stat, kd_ratio
from app.core.game.rules import Result
from app.core.i18n import _
from app.core.reads.compare import Comparison, table
from app.core.reads.sessions import Session


def compare_embed(comparison: Comparison, you: str, them: str) -> discord.Embed:
    """A table in three columns (what, you, them), the better value in bold; the overlay chart
    goes under it as the embed's image."""
    stat = comparison.stat
    scope = _(comparison.mode.display_name) if comparison.mode else _("all modes")
    embed = discord.Embed(
        title=f"{you} vs {them} · {_(stat.label)}",
        description=_("Both players' matches in this server, {scope}.", scope=scope),
        colour=discord.Colour.blurple(),
    )
    rows = table(comparison)
    add_field(embed, "\u200b", "\n".join(row.label for row in rows))
    add_field(embed, you, "\n".join(_bold(row.you, row.leader == "you") for row in rows))
    add_field(embed, them, "\n".join(_bold(row.them, row.leader == "them") for row in rows))
    return fit(embed)


def _bold(text: str, ahead: bool) -> str:
    return f"**{text}**" if ahead else text


def session_embed(session: Session, name: str) -> discord.Embed:
    state = _("Current session") if session.ongoing else _("Last session")
    embed = discord.Embed(title=f"{state} · {name}", colour=discord.Colour.green())
    if not session.matches:
        embed.title = _("Session · {name}", name=name)
        embed.description = _("No matches logged in this server yet.")
        return embed
    embed.description = _span(session)
    wins, losses, draws = (session.count(r) for r in (Result.WIN, Result.LOSS, Result.DRAW))
    add_field(embed, _("Matches"), str(len(session.matches)))
    add_field(embed, _("W / L / D"), f"{wins} / {losses} / {draws}")
    add_field(embed, "K/D", format_stat(Stat.KD, session.kd or 0.0))
    add_field(embed, _("Kills"), str(session.kills))
    add_field(embed, _("Deaths"), str(session.deaths))
    add_field(embed, _("Assists"), str(session.assists))
    best = session.best_match
    if best is not None:
        player = best.stats.player
        kd = format_stat(Stat.KD, kd_ratio(player.kills, player.deaths))
        add_field(
            embed,
            _("Best match"),
            _(
                "{mode} on {map}, {score} (K/D {kd}) · `{id}`",
                mode=_(best.stats.mode.display_name),
                map=best.stats.map,
                score=versus(player.kills, player.deaths),
                kd=kd,
                id=best.id,
            ),
            inline=False,
        )
    return fit(embed)


def _span(session: Session) -> str:
    assert session.started_at is not None and session.ended_at is not None
    start = discord.utils.format_dt(session.started_at, "t")
    end = discord.utils.format_dt(session.ended_at, "t")
    hours = session.gap.total_seconds() / 3600
    text = _(
        "{start} – {end}; a break of over {hours:g} h starts a new session.",
        start=start,
        end=end,
        hours=hours,
    )
    if session.cut_short:
        text += _(" Only its newest matches are counted.")
    return text
