"""The match form in a Spanish server: Spanish result words are read, and the problems with
what was typed are told in Spanish."""

from __future__ import annotations

import pytest

from app.bot.ui.forms import parse
from app.core.game.errors import InvalidMatchStats
from app.core.game.rules import Mode
from app.core.i18n import Language, speaking

TYPED = {"map": "Den", "score": "7350", "kda": "31/22/9", "objective": "1:52 4"}


@pytest.mark.parametrize(
    ("typed", "result"), [("victoria 250-187", "win"), ("Derrota 187-250", "loss")]
)
def test_spanish_result_words_are_read(typed: str, result: str) -> None:
    assert parse(Mode.HARDPOINT, {**TYPED, "result": typed})["result"] == result


def test_what_cannot_be_read_is_told_in_spanish() -> None:
    with speaking(Language.SPANISH), pytest.raises(InvalidMatchStats) as refused:
        parse(Mode.HARDPOINT, {**TYPED, "result": "ganamos", "kda": "31"})

    message = refused.value.user_message
    assert message.startswith("Algunas casillas no se pueden leer:")
    assert "escríbelo así: `victoria 250-187`" in message
    assert "Bajas / muertes / asistencias: escribe 3 números" in message
