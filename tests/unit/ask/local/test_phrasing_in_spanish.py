"""Answers without AI in a Spanish server: each shape is a whole Spanish sentence, the stat
with its own article and possessive, the period and the mode said in Spanish. The questions
stay English (the local planner reads English only); the answers and titles do not."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from app.core.ask.answer import answer_rows, render_table
from app.core.ask.local import Asker, plan_locally
from app.core.ask.local.periods import Period, Span
from app.core.ask.local.phrasing import phrase
from app.core.ask.local.question import Aggregate, Question, Shape
from app.core.ask.local.stats import MORE, NAMED
from app.core.i18n import Language, speaking

NOW = datetime(2026, 12, 6, 14, 30, tzinfo=UTC)
ME, OTHER = 10, 42


def in_spanish(question: str, documents: list[dict[str, Any]]) -> tuple[str, str]:
    """The answer and the table's title, in Spanish."""
    with speaking(Language.SPANISH):
        plan = plan_locally(question, Asker(ME), NOW, {"Den": "Den"})
        assert plan is not None
        rows = answer_rows(question, plan.title, documents, id_label="group")
        return plan.phrase(rows), plan.title


def test_totals_say_the_stat_with_its_own_article_and_possessive() -> None:
    answer, title = in_spanish(
        "my average hill time this week",
        [{"avg_objective_time_s": 95.4, "total_objective_time_s": 286, "matches": 3}],
    )
    assert answer == (
        "Tu media de tiempo en zona en Punto caliente esta semana es 1 min 35 s en 3 partidas "
        "(4 min 46 s en total)."
    )
    assert title == "Media de tiempo en zona en Punto caliente esta semana"

    answer, _ = in_spanish(
        "total plants this year", [{"avg_plants": 1.5, "total_plants": 6, "matches": 4}]
    )
    assert answer == (
        "El total de plantes del servidor en Buscar y destruir este año es 6 en 4 partidas "
        "(1.5 por partida)."
    )
    answer, _ = in_spanish(
        "my K/D on Den in hardpoint last month",
        [{"kd": 1.42, "kills": 71, "deaths": 50, "matches": 1}],
    )
    assert answer == (
        "Tu K/D en Punto caliente en Den el mes pasado es 1.42 en 1 partida (71 bajas, 50 muertes)."
    )
    answer, _ = in_spanish("my win rate", [{"wins": 3, "win_rate": 75.0, "matches": 4}])
    assert answer == "Tu porcentaje de victorias desde siempre es 75% (3 de 4 partidas ganadas)."
    answer, _ = in_spanish("how many games did I play today", [{"matches": 4}])
    assert answer == "Jugaste 4 partidas hoy."


def test_best_by_names_the_map_or_mode_and_the_runner_up() -> None:
    answer, title = in_spanish(
        "my best map by K/D over the last 30 days",
        [{"map": "Den", "kd": 1.5, "matches": 3}, {"map": "Scar", "kd": 1.1, "matches": 2}],
    )
    assert answer == (
        "Tu mejor mapa por K/D en los últimos 30 días es Den (1.50 en 3 partidas); "
        "le sigue Scar (1.10)."
    )
    assert title == "Mejores mapas por K/D en los últimos 30 días"

    answer, _ = in_spanish(
        "worst mode by accuracy last 10 matches",
        [{"mode": "hardpoint", "accuracy": 20.5, "matches": 3}],
    )
    assert answer == (
        "El peor modo del servidor por precisión en las últimas 10 partidas es Punto caliente "
        "(20.5% en 3 partidas)."
    )


def test_a_leader_and_the_askers_place() -> None:
    players = [
        {"user_id": OTHER, "wins": 5, "matches": 7},
        {"user_id": ME, "wins": 3, "matches": 3},
    ]
    answer, title = in_spanish("who has the most wins this week", players)

    assert answer == (
        f"<@{OTHER}> tiene el valor más alto de victorias esta semana: 5 en 7 partidas. "
        "Vas 2.º con 3."
    )
    assert title == "Líderes en victorias esta semana"


def test_head_to_head_says_who_is_ahead() -> None:
    rows = [
        {"user_id": OTHER, "avg_deaths": 12.0, "total_deaths": 24, "matches": 2},
        {"user_id": ME, "avg_deaths": 18.0, "total_deaths": 36, "matches": 2},
    ]
    answer, title = in_spanish(f"me vs <@{OTHER}> deaths", rows)

    assert answer == (
        "Tu media de muertes desde siempre es 18 en 2 partidas, frente a 12 en 2 partidas "
        f"en el caso de <@{OTHER}>: <@{OTHER}> va por delante."
    )
    assert title == "Cara a cara en media de muertes desde siempre"


def test_a_trend_says_its_parts_in_their_own_gender() -> None:
    weeks = [{"week": NOW, "kd": v, "matches": 2} for v in (1.0, 1.5, 1.6)]
    answer, title = in_spanish("my kd trend this month", weeks)

    assert answer == (
        "Tu K/D este mes está mejorando: 1.00 en la primera semana, 1.55 en las 2 últimas semanas."
    )
    assert title == "Tendencia de K/D este mes"
    deaths = [{"played_at": NOW, "deaths": d} for d in (20, 22, 14, 12)]
    answer, _ = in_spanish("are my deaths improving", deaths)
    assert answer == (
        "Tu media de muertes por partida en las últimas 20 partidas está mejorando: "
        "21 en las 2 primeras partidas, 13 en las 2 últimas partidas."
    )


def test_a_record_game_with_its_player_map_and_mode() -> None:
    game = {"played_at": "2026-12-01", "kills": 31, "map": "Den", "mode": "hardpoint"}
    answer, title = in_spanish(
        "who has the most kills in a match this week", [{"user_id": OTHER, **game}]
    )

    assert answer == (
        "El récord de bajas en una partida del servidor esta semana es 31 (de <@42>), "
        "en Den (Punto caliente, 2026-12-01)."
    )
    assert title == "Partidas récord en bajas esta semana"


def test_no_matches_yet() -> None:
    answer, _ = in_spanish("my kd on Den last week", [])

    assert answer == "Todavía no tienes partidas en Den la semana pasada con las que responder."


@pytest.mark.parametrize("stat", [*NAMED, *MORE], ids=lambda stat: stat.key)
@pytest.mark.parametrize("shape", list(Shape), ids=lambda shape: shape.name)
@pytest.mark.parametrize("aggregate", list(Aggregate), ids=lambda a: a.value)
def test_every_stat_in_every_shape_has_a_spanish_sentence(
    stat: Any, shape: Shape, aggregate: Aggregate
) -> None:
    """No stat, owner or variant falls back to English (or is missing from the phrases)."""
    for players in ((ME,), (OTHER,), (), (ME, OTHER)):
        if (shape is Shape.HEAD_TO_HEAD) != (len(players) == 2):
            continue
        question = Question(shape, stat, aggregate, Period(Span.THIS_WEEK), players, asker=ME)
        documents = [_row(stat.key, player) for player in players or (None,)]
        rows = answer_rows("q", "t", documents, id_label="group")
        with speaking(Language.SPANISH):
            answer = phrase(question, rows)
        english = phrase(question, rows)
        assert answer != english
        assert not {"Your", "over", "This server"} & set(answer.replace(".", " ").split())


def _row(key: str, player: int | None) -> dict[str, Any]:
    values = {key: 2.0, f"avg_{key}": 2.0, f"total_{key}": 4, "value": 2.0, "matches": 2}
    values |= {"kd": 1.5, "win_rate": 50.0, "wins": 1, "accuracy": 30.0, "map": "Den"}
    return values | ({"user_id": player} if player is not None else {})


def test_the_tables_headers_are_spanish_and_an_unknown_column_is_shown_as_named() -> None:
    documents = [{"map": "Den", "avg_kills": 20.5, "matches": 3, "xp_gained": 1}]
    rows = answer_rows("q", "t", documents, id_label="group")

    with speaking(Language.SPANISH):
        header = render_table(rows, 4096).splitlines()[0].split("  ")
    english = render_table(rows, 4096).splitlines()[0].split("  ")

    assert [h.strip() for h in header if h.strip()] == [
        "mapa", "media de bajas", "partidas", "xp_gained",
    ]  # fmt: skip
    assert [h.strip() for h in english if h.strip()] == ["map", "avg_kills", "matches", "xp_gained"]
