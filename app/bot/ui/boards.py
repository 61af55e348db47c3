"""/leaderboard and /trend as Discord shows them: titles, ranked lines, what the numbers mean."""

from __future__ import annotations

import discord

from app.bot.discord_limits import TITLE, clip, fit
from app.core.debriefing.formatting import format_stat, in_sentence
from app.core.game.metrics import Stat
from app.core.game.rules import Mode
from app.core.i18n import _, ngettext
from app.core.reads.stats import Leaderboard
from app.core.wording import Person, capitalised, counted

MEDALS = ("🥇", "🥈", "🥉")


def mode_name(mode: Mode | None) -> str:
    return _(mode.display_name) if mode else _("All modes")


def leaderboard_title(board: Leaderboard) -> str:
    parts = [_("Leaderboard"), _(board.stat.label), mode_name(board.mode), board.period_name]
    return clip(" · ".join(parts), TITLE)


def what_it_ranks(board: Leaderboard) -> str:
    """The footer: how the value is computed, and who is left out."""
    stat = board.stat
    if stat is Stat.KD:
        how = _("K/D over all their matches (total kills ÷ total deaths)")
    else:
        how = _("Average {stat} per match", stat=in_sentence(stat))
    return _(
        "{how} · players with at least {matches}",
        how=how,
        matches=counted(board.min_matches, "match"),
    )


def leaderboard_line(
    board: Leaderboard, rank: int, user_id: int, value: float, matches: int
) -> str:
    badge = MEDALS[rank - 1] if rank <= len(MEDALS) else f"`{rank:>2}`"
    shown = format_stat(board.stat, value)
    average = "" if board.stat is Stat.KD else _(" avg")
    return f"{badge} <@{user_id}> — **{shown}**{average} · {counted(matches, 'match')}"


def leaderboard_embed(board: Leaderboard) -> discord.Embed:
    embed = discord.Embed(title=leaderboard_title(board), colour=discord.Colour.gold())
    embed.set_footer(text=what_it_ranks(board))
    if not board.entries:
        embed.description = _(
            "No one has {matches} in {mode} over this period yet.",
            matches=counted(board.min_matches, "match"),
            mode=mode_name(board.mode) if board.mode else _("any mode"),
        )
        return embed
    embed.description = "\n".join(
        leaderboard_line(board, e.rank, e.row.user_id, e.row.value, e.row.matches)
        for e in board.entries
    )
    return fit(embed)


def trend_title(stat: Stat, person: Person, count: int, mode: Mode | None) -> str:
    """ "K/D · your last 12 Hardpoint matches", "Score · Alex's last 5 matches"."""
    # The reader and a named player apart: not every language puts "your" and "Alex's" in
    # the same place.
    label, whose = _(stat.label), person.possessive
    if mode is None and person.is_reader:
        return ngettext(
            "{stat} · your last {count} match",
            "{stat} · your last {count} matches",
            count,
            stat=label,
        )
    if mode is None:
        return ngettext(
            "{stat} · {whose} last {count} match",
            "{stat} · {whose} last {count} matches",
            count,
            stat=label,
            whose=whose,
        )
    if person.is_reader:
        return ngettext(
            "{stat} · your last {count} {mode} match",
            "{stat} · your last {count} {mode} matches",
            count,
            stat=label,
            mode=_(mode.display_name),
        )
    return ngettext(
        "{stat} · {whose} last {count} {mode} match",
        "{stat} · {whose} last {count} {mode} matches",
        count,
        stat=label,
        whose=whose,
        mode=_(mode.display_name),
    )


def too_few_for_a_trend(stat: Stat, person: Person, count: int, mode: Mode | None) -> str:
    where = _(" in {mode}", mode=_(mode.display_name)) if mode else ""
    return _(
        "A trend needs at least two matches with {stat}{where}; {has} {matches}.",
        stat=in_sentence(stat),
        where=where,
        has=person.has(),
        matches=counted(count, "match"),
    )


def trend_embed(title: str) -> discord.Embed:
    embed = discord.Embed(title=clip(capitalised(title), TITLE), colour=discord.Colour.blurple())
    embed.set_image(url="attachment://trend.png")
    embed.set_footer(text=_("Dates and times on the chart are in UTC."))
    return fit(embed)
