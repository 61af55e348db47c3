"""Seasons as Discord shows them: the board names its season, a kept podium reads in medals."""

from __future__ import annotations

from dataclasses import replace

from app.bot.ui.boards import leaderboard_title
from app.bot.ui.seasons import results_embed, started_embed
from app.core.game.metrics import Stat
from app.core.i18n import Language, speaking
from app.core.reads.options import Period
from app.core.reads.stats import Leaderboard
from app.core.seasons import EndedSeason, PodiumPlace, Season, StatPodium
from tests.support.factories import T0

ENDED = EndedSeason(
    number=0,
    name="Before seasons",
    started_at=None,
    ended_at=T0,
    podiums=(
        StatPodium(
            stat=Stat.KD,
            places=(
                PodiumPlace(rank=1, user_id=7, value=2.5, matches=4),
                PodiumPlace(rank=2, user_id=8, value=1.25, matches=3),
            ),
        ),
    ),
)
SPRING = Season(
    id="s1",
    guild_id=1,
    number=1,
    name="Spring",
    started_at=T0,
    started_by=9,
    idempotency_key="interaction:1",
    ended=ENDED,
)
BOARD = Leaderboard(
    guild_id=1, stat=Stat.KD, period=Period.SEASON, mode=None, min_matches=3, entries=()
)


def test_a_season_board_is_named_by_its_season_or_all_time_without_one() -> None:
    assert leaderboard_title(replace(BOARD, season=SPRING)).endswith("· Season Spring")
    assert leaderboard_title(BOARD).endswith("· All time")
    assert leaderboard_title(replace(BOARD, period=Period.WEEK)).endswith("· Last 7 days")


def test_an_ended_seasons_podium_reads_in_medals_with_the_stats_units() -> None:
    embed = results_embed(ENDED)

    assert embed.title == "Season results · Before seasons"
    [kd] = embed.fields
    assert (kd.name, kd.value) == ("K/D", "🥇 <@7> 2.50\n🥈 <@8> 1.25")
    assert embed.description is not None and embed.description.startswith("From the start to")


def test_a_started_season_announces_itself_with_the_results_it_kept() -> None:
    embed = started_embed(SPRING)

    assert embed.title == "Season Spring has started"
    assert embed.description is not None
    assert embed.description.startswith("Leaderboards now count from here. Final top three of")
    assert [field.name for field in embed.fields] == ["K/D"]


def test_a_season_without_enough_matches_says_so() -> None:
    embed = results_embed(ENDED.model_copy(update={"podiums": ()}))

    assert embed.description is not None and "Nobody played enough" in embed.description


def test_the_time_before_seasons_is_named_in_the_readers_language_and_found_by_either_name() -> (
    None
):
    with speaking(Language.SPANISH):
        assert results_embed(ENDED).title == "Resultados de la temporada · Antes de las temporadas"
        assert ENDED.is_called("antes de las  temporadas")
    assert ENDED.is_called("Before seasons")
    # A season the admins named keeps their name in every language.
    spring = replace_ended(number=1, name="Before seasons")
    with speaking(Language.SPANISH):
        assert spring.shown_name == "Before seasons"
        assert not spring.is_called("Antes de las temporadas")


def replace_ended(**changes: object) -> EndedSeason:
    return ENDED.model_copy(update=changes)
