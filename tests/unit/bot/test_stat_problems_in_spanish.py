"""A scoreboard whose numbers don't add up, refused in a Spanish server: the whole list of
problems in Spanish, each as specific as in English (the same fields, the same numbers)."""

from __future__ import annotations

import pytest

from app.bot.errors import user_message
from app.core.commands import RecordMatch
from app.core.game.errors import InvalidMatchStats
from app.core.i18n import Language, speaking
from app.core.matches import MatchSource
from tests.support.factories import T0, raw_search_and_destroy
from tests.unit.fakes import FrozenClock
from tests.unit.wiring import fake_bus, fake_dependencies

# 47 deaths and 60 kills in an S&D match of 10 rounds (4-6), and a draw S&D cannot have.
IMPOSSIBLE = {
    **raw_search_and_destroy(deaths=47, kills=60, assists=2),
    "result": "draw",
    "weapons": [{"name": "M15 Mod 0", "kills": 3, "headshots": 5}],
}


def record() -> RecordMatch:
    return RecordMatch(
        guild_id=1,
        channel_id=2,
        user_id=3,
        interaction_id=10,
        raw_stats=IMPOSSIBLE,
        source=MatchSource.AI,
        played_at=T0,
        screenshot_hashes=("h1",),
    )


async def refusal(language: Language) -> str:
    deps = fake_dependencies(FrozenClock())
    with speaking(language):
        with pytest.raises(InvalidMatchStats) as refused:
            await fake_bus(deps).handle(record())
        assert deps.matches.rows == {}, "nothing is saved"
        return user_message(refused.value)


async def test_the_problems_are_listed_in_spanish_with_their_numbers() -> None:
    message = await refusal(Language.SPANISH)

    assert message.startswith("Estas stats no cuadran:\n")
    assert "• Muertes: 47 es más de lo posible en Buscar y destruir (máx. 11)" in message
    assert "• Bajas: 60 es más de lo posible en Buscar y destruir (máx. 44)" in message
    assert "• Tiros a la cabeza del arma 1: 5 tiros a la cabeza pero solo 3 bajas" in message
    assert "more than" not in message and "but only" not in message


async def test_english_is_unchanged() -> None:
    message = await refusal(Language.ENGLISH)

    assert message.startswith("These stats don't add up:\n")
    assert "• Deaths: 47 is more than possible in Search and Destroy (max 11)" in message
    assert "• Weapon 1 headshots: 5 headshots but only 3 kills" in message
