"""/ask without an AI in a Spanish server: the refusal and the list of questions it can
answer are in Spanish; the example questions, periods and stats stay English, since the
local planner reads English questions only (and says so)."""

from __future__ import annotations

import pytest

from app.core.ask.local import AIUnavailableForQuestion, QuestionOutsideShapes
from app.core.errors import AIUnavailable, RefusedQuestion
from app.core.i18n import Language, speaking
from tests.unit.ask.test_handler import World
from tests.unit.fakes_ask import FakeQueryPlanner, FakeQueryRunner


@pytest.fixture
def world() -> World:
    return World(FakeQueryPlanner(), FakeQueryRunner())


async def test_without_an_ai_a_spanish_server_is_told_in_spanish_what_works(
    world: World,
) -> None:
    world.ai = None

    with speaking(Language.SPANISH), pytest.raises(RefusedQuestion) as raised:
        await world.ask("escríbeme un poema sobre Punto caliente")

    assert isinstance(raised.value, QuestionOutsideShapes)
    message = raised.value.user_message
    assert message.startswith(
        "Este Debrief responde a /preguntar sin IA y no entiende esa pregunta."
    )
    assert "Entiendo preguntas en inglés sobre: el mejor o peor mapa o modo según una stat" in (
        message
    )
    assert '("my best map by K/D this month")' in message
    assert "Periodos (en inglés): today, this week" in message
    assert "without an AI" not in message and "I can answer" not in message


async def test_the_ai_down_is_said_in_spanish_with_the_questions_that_still_work(
    world: World,
) -> None:
    world.planner.plan_fails = True

    with speaking(Language.SPANISH), pytest.raises(AIUnavailable) as raised:
        await world.ask("¿qué tiempo hará mañana?")

    assert isinstance(raised.value, AIUnavailableForQuestion)
    message = raised.value.user_message
    assert message.startswith("La IA no está disponible ahora mismo; inténtalo de nuevo")
    assert "Sin ella, entiendo preguntas en inglés sobre:" in message
    assert '("my average kills this week")' in message
