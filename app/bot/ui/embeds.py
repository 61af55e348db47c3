"""Embeds for matches and their debriefs."""

from __future__ import annotations

import discord

from app.bot.discord_limits import TITLE, add_field, clip, fit
from app.core.debriefs import Debrief
from app.core.game.checks import CHECKS_TITLE, check_lines
from app.core.game.metrics import kd_ratio
from app.core.game.modes import HardpointStats, OverloadStats, SearchAndDestroyStats
from app.core.game.rules import Result
from app.core.matches import Match, MatchSource
from app.core.squad.wording import CAPTURED_FOOTER
from app.core.wording import counted

RESULT_COLOURS = {
    Result.WIN: discord.Colour.green(),
    Result.LOSS: discord.Colour.red(),
    Result.DRAW: discord.Colour.light_grey(),
}
RESULT_WORDS = {Result.WIN: "Victory", Result.LOSS: "Defeat", Result.DRAW: "Draw"}


def clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def objective_lines(match: Match) -> list[tuple[str, str]]:
    player = match.stats.player
    if isinstance(player, HardpointStats):
        return [("Hill time", clock(player.objective_time_s)), ("Captures", str(player.captures))]
    if isinstance(player, SearchAndDestroyStats):
        return [("Plants", str(player.plants)), ("Defuses", str(player.defuses))]
    if isinstance(player, OverloadStats):
        return [
            ("Overloads", str(player.overloads)),
            ("Device carry", clock(player.device_carry_time_s)),
        ]
    return []


def match_title(match: Match) -> str:
    stats = match.stats
    return clip(
        f"{RESULT_WORDS[stats.result]} {stats.team_score}–{stats.enemy_score} · "
        f"{stats.mode.display_name} on {stats.map}",
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
    add_field(embed, "Score", f"{player.score:,}")
    for name, value in objective_lines(match):
        add_field(embed, name, value)
    if match.reader_flags:
        # Before the debrief: `fit` drops the last fields first, and this one matters most.
        add_field(embed, CHECKS_TITLE, check_lines(match.reader_flags), inline=False)
    if match.stats.weapons:
        add_field(embed, "Weapons", weapon_lines(match), inline=False)
    if debrief:
        add_debrief(embed, debrief)
    if match.note:
        add_field(embed, "Note", match.note, inline=False)
    if match.catalog_flags:
        flagged = ", ".join(sorted({f.raw for f in match.catalog_flags}))
        add_field(embed, "Not in the catalog (kept as read)", flagged, inline=False)
    embed.set_footer(text=match_footer(match))
    return fit(embed)


def weapon_lines(match: Match) -> str:
    lines = []
    for weapon in match.stats.weapons[:5]:
        accuracy = f" · {weapon.accuracy:.0f}% acc" if weapon.accuracy is not None else ""
        kills = counted(weapon.kills, "kill")
        lines.append(f"**{weapon.name}**: {kills}, {weapon.headshots} HS{accuracy}")
    return "\n".join(lines)


def add_debrief(embed: discord.Embed, debrief: Debrief) -> None:
    if debrief.records:
        records = "\n".join(f"🏆 {record.text}" for record in debrief.records)
        add_field(embed, "Records", records, inline=False)
    if debrief.strengths:
        add_field(embed, "What went well", bullets(debrief.strengths), inline=False)
    if debrief.to_work_on:
        add_field(embed, "Work on", bullets(debrief.to_work_on), inline=False)
    if debrief.comparison:
        add_field(embed, "Against your recent matches", debrief.comparison, inline=False)


def bullets(items: list[str]) -> str:
    return "\n".join(f"• {item}" for item in items)


_SOURCES = {
    MatchSource.AI: "read from screenshots",
    MatchSource.MANUAL: "logged by hand",
    MatchSource.CAPTURED: CAPTURED_FOOTER,
}


def match_footer(match: Match) -> str:
    source = _SOURCES[match.source]
    corrected = " · corrected" if match.corrected else ""
    return f"Match {match.id} · {source}{corrected}"
