"""The AI writes in the server's language: debriefs, digests and /ask's sentence ask for it
when the server's language is not English, and only then (English prompts stay as they were)."""

from __future__ import annotations

import pytest

from app.core.i18n import Language, speaking
from app.shared.gemini import GeminiAI
from app.shared.gemini.prompts import DEBRIEF_SYSTEM, DIGEST_SYSTEM, PHRASE_SYSTEM, WRITE_IN
from devtools.gemini_stub import GeminiStub, JsonAnswer, Match, Rule

from .test_text_tasks import DEBRIEF, FACTS, ROWS

IN_SPANISH = WRITE_IN.format(language="Spanish")


def answer_everything(stub: GeminiStub) -> None:
    for prompt, answer in (
        (DEBRIEF_SYSTEM, DEBRIEF),
        (DIGEST_SYSTEM, {"summary": "ok"}),
        (PHRASE_SYSTEM, {"sentence": "ok"}),
    ):
        first_line = prompt.splitlines()[0]
        stub.add_rule(Rule.always(Match(prompt_contains=first_line), JsonAnswer(answer)))


async def write_all(ai: GeminiAI) -> None:
    await ai.write_debrief(FACTS)
    await ai.write_digest(FACTS)
    await ai.phrase(ROWS)


@pytest.mark.usefixtures("no_stub_problems")
async def test_a_spanish_server_asks_for_spanish(stub: GeminiStub, ai: GeminiAI) -> None:
    answer_everything(stub)

    with speaking(Language.SPANISH):
        await write_all(ai)

    assert len(stub.requests) == 3
    assert all(request.texts[-1].endswith(IN_SPANISH) for request in stub.requests)


@pytest.mark.usefixtures("no_stub_problems")
async def test_an_english_server_asks_for_nothing_more(stub: GeminiStub, ai: GeminiAI) -> None:
    answer_everything(stub)

    await write_all(ai)

    assert not any("Write every text field" in text for r in stub.requests for text in r.texts)
