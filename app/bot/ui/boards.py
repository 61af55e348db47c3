"""/leaderboard and /trend as Discord shows them: titles, ranked lines, what the numbers mean."""

from __future__ import annotations

import discord

from app.bot.discord_limits import TITLE, clip, fit
from app.core.debriefing.formatting import format_stat, in_sentence
from app.core.game.metrics import Stat
from app.core.game.rules import Mode
from app.core.reads.stats import Leaderboard
from app.core.wording import Person, capitalised, counted, plural

MEDALS = ("🥇", "🥈", "🥉")


def mode_name(mode: Mode | None) -> str:
    return mode.display_name if mode else "All modes"


def leaderboard_title(board: Leaderboard) -> str:
    parts = ["Leaderboard", board.stat.label, mode_name(board.mode), board.period_name]
    return clip(" · ".join(parts), TITLE)


def what_it_ranks(board: Leaderboard) -> str:
    """The footer: how the value is computed, and who is left out."""
    stat = board.stat
    if stat is Stat.KD:
        how = "K/D over all their matches (total kills ÷ total deaths)"
    else:
        how = f"Average {in_sentence(stat)} per match"
    return f"{how} · players with at least {counted(board.min_matches, 'match')}"


def leaderboard_line(
    board: Leaderboard, rank: int, user_id: int, value: float, matches: int
) -> str:
    badge = MEDALS[rank - 1] if rank <= len(MEDALS) else f"`{rank:>2}`"
    shown = format_stat(board.stat, value)
    average = "" if board.stat is Stat.KD else " avg"
    return f"{badge} <@{user_id}> — **{shown}**{average} · {counted(matches, 'match')}"


def leaderboard_embed(board: Leaderboard) -> discord.Embed:
    embed = discord.Embed(title=leaderboard_title(board), colour=discord.Colour.gold())
    embed.set_footer(text=what_it_ranks(board))
    if not board.entries:
        embed.description = (
            f"No one has {counted(board.min_matches, 'match')} in "
            f"{mode_name(board.mode) if board.mode else 'any mode'} over this period yet."
        )
        return embed
    embed.description = "\n".join(
        leaderboard_line(board, e.rank, e.row.user_id, e.row.value, e.row.matches)
        for e in board.entries
    )
    return fit(embed)


def trend_title(stat: Stat, person: Person, count: int, mode: Mode | None) -> str:
    """ "K/D · your last 12 Hardpoint matches", "Score · Alex's last 5 matches"."""
    kind = f"{mode.display_name} " if mode else ""
    return f"{stat.label} · {person.possessive} last {count} {kind}{plural('match', count)}"


def too_few_for_a_trend(stat: Stat, person: Person, count: int, mode: Mode | None) -> str:
    where = f" in {mode.display_name}" if mode else ""
    return (
        f"A trend needs at least two matches with {in_sentence(stat)}{where}; "
        f"{person.has()} {counted(count, 'match')}."
    )


def trend_embed(title: str) -> discord.Embed:
    embed = discord.Embed(title=clip(capitalised(title), TITLE), colour=discord.Colour.blurple())
    embed.set_image(url="attachment://trend.png")
    embed.set_footer(text="Dates and times on the chart are in UTC.")
    return fit(embed)
