"""Embeds for matches and their debriefs."""

from __future__ import annotations

import discord

from app.bot.discord_limits import TITLE, add_field, clip, fit
from app.core.debriefs import Debrief
from app.core.game.checks import CHECKS_TITLE, check_lines
from app.core.game.metrics import kd_ratio
from app.core.game.modes import HardpointStats, OverloadStats, SearchAndDestroyStats
from app.core.game.rules import Result
from app.core.i18n import N_, _
from app.core.matches import Match, MatchSource
from app.core.squad.wording import CAPTURED_FOOTER
from app.core.wording import counted

RESULT_COLOURS = {
    Result.WIN: discord.Colour.green(),
    Result.LOSS: discord.Colour.red(),
    Result.DRAW: discord.Colour.light_grey(),
}
RESULT_WORDS = {Result.WIN: N_("Victory"), Result.LOSS: N_("Defeat"), Result.DRAW: N_("Draw")}


def clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def objective_lines(match: Match) -> list[tuple[str, str]]:
    player = match.stats.player
    if isinstance(player, HardpointStats):
        return [
            (_("Hill time"), clock(player.objective_time_s)),
            (_("Captures"), str(player.captures)),
        ]
    if isinstance(player, SearchAndDestroyStats):
        return [(_("Plants"), str(player.plants)), (_("Defuses"), str(player.defuses))]
    if isinstance(player, OverloadStats):
        return [
            (_("Overloads"), str(player.overloads)),
            (_("Device carry"), clock(player.device_carry_time_s)),
        ]
    return []


def match_title(match: Match) -> str:
    stats = match.stats
    return clip(
        _(
            "{result} {team}–{enemy} · {mode} on {map}",
            result=_(RESULT_WORDS[stats.result]),
            team=stats.team_score,
            enemy=stats.enemy_score,
            # A mode's name is in the catalog as a choice of the slash commands.
            mode=_(stats.mode.display_name),
            map=stats.map,
        ),
        TITLE,
    )


def match_embed(match: Match, debrief: Debrief | None = None) -> discord.Embed:
    player = match.stats.player
    embed = discord.Embed(
        title=match_title(match),
        colour=RESULT_COLOURS[match.stats.result],
        description=clip(debrief.headline, 300) if debrief else None,
        timestamp=match.played_at,
    )
    add_field(embed, "K/D", f"{kd_ratio(player.kills, player.deaths):.2f}")
    add_field(embed, "K / D / A", f"{player.kills} / {player.deaths} / {player.assists}")
    add_field(embed, _("Score"), f"{player.score:,}")
    for name, value in objective_lines(match):
        add_field(embed, name, value)
    if match.reader_flags:
        # Before the debrief: `fit` drops the last fields first, and this one matters most.
        add_field(embed, _(CHECKS_TITLE), check_lines(match.reader_flags), inline=False)
    if match.stats.weapons:
        add_field(embed, _("Weapons"), weapon_lines(match), inline=False)
    if debrief:
        add_debrief(embed, debrief)
    if match.note:
        add_field(embed, _("Note"), match.note, inline=False)
    if match.catalog_flags:
        flagged = ", ".join(sorted({f.raw for f in match.catalog_flags}))
        add_field(embed, _("Not in the catalog (kept as read)"), flagged, inline=False)
    embed.set_footer(text=match_footer(match))
    return fit(embed)


def weapon_lines(match: Match) -> str:
    lines = []
    for weapon in match.stats.weapons[:5]:
        accuracy = (
            _(" · {accuracy:.0f}% acc", accuracy=weapon.accuracy)
            if weapon.accuracy is not None
            else ""
        )
        kills = counted(weapon.kills, "kill")
        line = _(
            "**{weapon}**: {kills}, {headshots} HS",
            weapon=weapon.name,
            kills=kills,
            headshots=weapon.headshots,
        )
        lines.append(line + accuracy)
    return "\n".join(lines)


def add_debrief(embed: discord.Embed, debrief: Debrief) -> None:
    if debrief.records:
        records = "\n".join(f"🏆 {record.text}" for record in debrief.records)
        add_field(embed, _("Records"), records, inline=False)
    if debrief.strengths:
        add_field(embed, _("What went well"), bullets(debrief.strengths), inline=False)
    if debrief.to_work_on:
        add_field(embed, _("Work on"), bullets(debrief.to_work_on), inline=False)
    if debrief.comparison:
        add_field(embed, _("Against your recent matches"), debrief.comparison, inline=False)


def bullets(items: list[str]) -> str:
    return "\n".join(f"• {item}" for item in items)


def match_footer(match: Match) -> str:
    source = _source(match.source)
    corrected = _(" · corrected") if match.corrected else ""
    return _("Match {id} · {source}", id=match.id, source=source) + corrected


def _source(source: MatchSource) -> str:
    if source is MatchSource.CAPTURED:
        return _(CAPTURED_FOOTER)
    return _("read from screenshots") if source is MatchSource.AI else _("logged by hand")
