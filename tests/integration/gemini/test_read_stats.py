"""Reading match stats: the sample screenshots end to end, and every way a reading fails."""

from __future__ import annotations

import pytest

from app.core.ai import PreparedImage
from app.core.errors import InvalidAttachment, UnreadableScreenshot
from app.core.game import validate_extraction
from app.shared.gemini import GeminiAI
from app.shared.gemini.prompts import EXTRACTION_SYSTEM, EXTRACTION_SYSTEM_WITH_LOBBY
from app.shared.gemini.schemas import extraction_schema
from app.shared.images import PillowImagePreparer
from devtools.gemini_stub import GeminiStub, JsonAnswer, Match, Rule, SafetyBlock, TextAnswer
from devtools.gemini_stub.sample_rules import sample_rules as rules_from_manifest
from devtools.samples import SampleFile, load_manifest

from .conftest import MODEL, READABLE, SCOREBOARD, AIFactory, prepare, sha256

MANIFEST = load_manifest()


def program(stub: GeminiStub, answer: JsonAnswer | TextAnswer | SafetyBlock) -> None:
    stub.add_rule(Rule.always(Match(), answer))


@pytest.fixture(scope="module")
def rules_for_samples(preparer: PillowImagePreparer) -> list[Rule]:
    return rules_from_manifest(MANIFEST)


@pytest.fixture
def sample_rules(stub: GeminiStub, rules_for_samples: list[Rule]) -> None:
    for rule in rules_for_samples:
        stub.add_rule(rule)


@pytest.mark.usefixtures("sample_rules", "no_stub_problems")
@pytest.mark.parametrize("sample", MANIFEST.samples, ids=lambda sample: sample.file)
async def test_each_sample_is_read_as_its_manifest_says(
    ai: GeminiAI, preparer: PillowImagePreparer, sample: SampleFile
) -> None:
    screenshots = [MANIFEST.by_file(name) for name in sample.sent_with] + [sample]
    images = [prepare(preparer, screenshot) for screenshot in screenshots]

    extraction = await ai.read_stats(images, note=None, with_lobby=True)

    assert extraction.raw_stats == sample.answer
    assert validate_extraction(extraction.raw_stats).to_raw() == sample.answer
    assert extraction.lobby == sample.lobby
    assert len(extraction.lobby) == 7
    assert extraction.usage.model == MODEL
    assert extraction.usage.prompt_tokens > 0
    assert extraction.usage.output_tokens > 0


async def test_request_carries_the_schema_the_prompt_and_the_configured_model(
    stub: GeminiStub, ai: GeminiAI, scoreboard: PreparedImage
) -> None:
    program(stub, JsonAnswer(READABLE))

    await ai.read_stats([scoreboard], note=None)

    (request,) = stub.requests
    assert request.model == MODEL
    assert request.generation_config["responseMimeType"] == "application/json"
    assert request.response_schema is not None
    assert request.response_schema.dialect == "json_schema"
    # Not asked for the lobby: neither the schema nor the prompt mentions it.
    assert request.response_schema.schema == extraction_schema(with_lobby=False)
    assert "lobby" not in request.response_schema.schema["properties"]
    assert request.system_texts == (EXTRACTION_SYSTEM,)
    assert "lobby" not in EXTRACTION_SYSTEM
    assert all("lobby" not in text and "other player" not in text for text in request.texts)


async def test_asked_for_the_lobby_the_request_carries_its_schema_and_prompt(
    stub: GeminiStub, ai: GeminiAI, scoreboard: PreparedImage
) -> None:
    program(stub, JsonAnswer(READABLE))

    await ai.read_stats([scoreboard], note=None, known_gamertags=["Ghost"], with_lobby=True)

    (request,) = stub.requests
    assert request.response_schema is not None
    assert request.response_schema.schema == extraction_schema(with_lobby=True)
    assert "lobby" in request.response_schema.schema["properties"]
    assert request.system_texts == (EXTRACTION_SYSTEM_WITH_LOBBY,)
    assert any('Every other row goes in "lobby"' in text for text in request.texts)
    (image,) = request.images
    assert (image.mime_type, image.sha256) == ("image/jpeg", sha256(scoreboard.data))
    assert (image.width, image.height) == (1536, 864)


async def test_the_note_travels_fenced_in_the_user_turn_only(
    stub: GeminiStub, ai: GeminiAI, scoreboard: PreparedImage
) -> None:
    program(stub, JsonAnswer(READABLE))

    await ai.read_stats([scoreboard], note="  I was the one on the left  ")

    (request,) = stub.requests
    assert "<note>\nI was the one on the left\n</note>" in request.texts[-1]
    assert all("I was the one" not in text for text in request.system_texts)


async def test_on_gemini_2_5_a_prepared_screenshot_costs_fewer_tiles_than_the_original(
    stub: GeminiStub, make_ai: AIFactory, scoreboard: PreparedImage
) -> None:
    program(stub, JsonAnswer(READABLE))
    ai = make_ai(gemini_model="gemini-2.5-flash")
    original = PreparedImage(
        SCOREBOARD.read_bytes(), "image/png", 1920, 1080, scoreboard.source_sha256
    )

    await ai.read_stats([original], note=None)
    await ai.read_stats([scoreboard], note=None)

    sent_original, sent_prepared = (request.usage for request in stub.requests)
    assert sent_original is not None
    assert sent_prepared is not None
    assert (sent_original.image_tokens, sent_prepared.image_tokens) == (6 * 258, 4 * 258)
    assert sent_prepared.prompt_tokens < sent_original.prompt_tokens


async def test_on_gemini_3_a_screenshot_costs_what_the_medium_resolution_costs(
    stub: GeminiStub, ai: GeminiAI, scoreboard: PreparedImage
) -> None:
    program(stub, JsonAnswer(READABLE))
    original = PreparedImage(
        SCOREBOARD.read_bytes(), "image/png", 1920, 1080, scoreboard.source_sha256
    )

    await ai.read_stats([original], note=None)
    await ai.read_stats([scoreboard], note=None)

    sent_original, sent_prepared = (request.usage for request in stub.requests)
    assert sent_original is not None
    assert sent_prepared is not None
    # Billed by the media resolution, not the size: 560 instead of the 1,120 of "high".
    assert (sent_original.image_tokens, sent_prepared.image_tokens) == (560, 560)


async def test_not_a_scoreboard_is_unreadable(
    stub: GeminiStub, ai: GeminiAI, scoreboard: PreparedImage
) -> None:
    program(stub, JsonAnswer({"readable": False, "reason": "a lobby screen, not a scoreboard"}))

    with pytest.raises(UnreadableScreenshot):
        await ai.read_stats([scoreboard], note=None)

    assert stub.problems == ()


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(SafetyBlock(), id="safety-block"),
        pytest.param(TextAnswer("Sorry, I can't read that image."), id="prose"),
        pytest.param(TextAnswer("[1, 2, 3]"), id="json-array"),
        pytest.param(JsonAnswer(SCOREBOARD.answer, violates_schema=True), id="no-readable"),
        pytest.param(JsonAnswer({"readable": True}), id="readable-but-empty"),
    ],
)
async def test_answers_without_stats_are_unreadable(
    stub: GeminiStub,
    ai: GeminiAI,
    scoreboard: PreparedImage,
    answer: JsonAnswer | TextAnswer | SafetyBlock,
) -> None:
    program(stub, answer)

    with pytest.raises(UnreadableScreenshot):
        await ai.read_stats([scoreboard], note=None)

    assert stub.problems == ()


async def test_nulls_mean_not_shown_and_reach_the_game_model_as_missing(
    stub: GeminiStub, ai: GeminiAI, scoreboard: PreparedImage
) -> None:
    player = {**SCOREBOARD.answer["player"], "plants": None, "defuses": None, "captures": None}
    program(stub, JsonAnswer({**READABLE, "map": None, "player": player}))

    extraction = await ai.read_stats([scoreboard], note=None)

    assert "map" not in extraction.raw_stats
    assert set(extraction.raw_stats["player"]) == {
        "gamertag",
        "score",
        "kills",
        "deaths",
        "assists",
        "objective_time_s",
    }


async def test_images_too_large_to_send_together_are_refused_before_sending(
    stub: GeminiStub, ai: GeminiAI, scoreboard: PreparedImage
) -> None:
    huge = PreparedImage(b"\xff" * 8_000_000, "image/jpeg", 1536, 864, "0" * 64)

    with pytest.raises(InvalidAttachment):
        await ai.read_stats([huge, huge], note=None)

    assert stub.requests == ()
