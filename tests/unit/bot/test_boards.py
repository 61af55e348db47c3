"""/leaderboard and /trend texts: what the numbers mean, in the stat's units, with plurals."""

from __future__ import annotations

from app.bot.ui.boards import leaderboard_embed, too_few_for_a_trend, trend_title
from app.core.analytics import LeaderboardRow
from app.core.game.metrics import Stat
from app.core.game.rules import Mode
from app.core.reads.options import Period
from app.core.reads.stats import Leaderboard, RankedRow
from app.core.wording import Person


def board(stat: Stat, mode: Mode | None, *rows: tuple[int, float, int]) -> Leaderboard:
    return Leaderboard(
        guild_id=1,
        stat=stat,
        period=Period.WEEK,
        mode=mode,
        min_matches=3,
        entries=tuple(
            RankedRow(rank, LeaderboardRow(user_id=user, value=value, matches=matches))
            for rank, (user, value, matches) in enumerate(rows, start=1)
        ),
    )


def test_an_empty_board_says_who_would_be_on_it() -> None:
    embed = leaderboard_embed(board(Stat.KD, None))

    assert embed.title == "Leaderboard · K/D · All modes · Last 7 days"
    assert embed.description == "No one has 3 matches in any mode over this period yet."


def test_averages_are_marked_and_shown_in_the_stats_units() -> None:
    embed = leaderboard_embed(
        board(Stat.ACCURACY, Mode.OVERLOAD, (7, 27.25, 4), (8, 19.0, 3), (9, 18.0, 5), (6, 9.5, 3))
    )

    assert embed.description is not None
    assert embed.description.splitlines() == [
        "🥇 <@7> — **27.2%** avg · 4 matches",
        "🥈 <@8> — **19.0%** avg · 3 matches",
        "🥉 <@9> — **18.0%** avg · 5 matches",
        "` 4` <@6> — **9.5%** avg · 3 matches",
    ]
    assert embed.footer.text == "Average accuracy per match · players with at least 3 matches"


def test_trend_texts_name_whose_matches_and_count_them() -> None:
    you, alex = Person("Ghost", is_reader=True), Person("Alex")

    assert trend_title(Stat.KD, you, 12, Mode.HARDPOINT) == "K/D · your last 12 Hardpoint matches"
    assert trend_title(Stat.SCORE, alex, 5, None) == "Score · Alex's last 5 matches"
    assert too_few_for_a_trend(Stat.KD, alex, 1, None) == (
        "A trend needs at least two matches with K/D; Alex has 1 match."
    )
