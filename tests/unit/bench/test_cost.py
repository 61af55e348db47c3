"""The Gemini cost benchmark: prices, images as sent, facts, and the stub's billing."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import pytest
from PIL import Image
from pydantic import SecretStr

from app.core.game.metrics import Stat
from app.shared.gemini import GeminiAI, build_gemini
from app.shared.gemini.models import DEFAULT_MODEL
from app.shared.settings import load_settings
from bench.gemini_cost import (
    ALTERNATIVES,
    BEFORE_MODEL,
    HISTORY,
    Case,
    Prices,
    ask,
    cases,
    compare_models,
    debrief,
    facts_for,
    images_for,
    model_rows,
    parse_args,
    upscaled,
)
from devtools.gemini_stub import GeminiStub, image_tokens
from devtools.gemini_stub.models import DYNAMIC_THOUGHTS, THOUGHTS_PER_LEVEL


def size_of(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as image:
        return image.size


def case(resolution: str, *, prepared: bool, screens: str = "scoreboard") -> Case:
    return next(
        c
        for c in cases()
        if (c.resolution, c.prepared, c.screens) == (resolution, prepared, screens)
    )


def test_cost_is_tokens_times_the_price_per_million() -> None:
    prices = Prices(input_per_million=0.30, output_per_million=2.50)

    assert prices.cost(1_000_000, 0) == pytest.approx(0.30)
    assert prices.cost(2_000, 400) == pytest.approx(0.0006 + 0.001)


def test_the_default_model_uses_its_published_prices() -> None:
    options = parse_args([])

    assert options.model == DEFAULT_MODEL == "gemini-3.5-flash-lite"
    assert options.prices == Prices(0.30, 2.50)
    assert parse_args(["--model", "gemini-3.8-flash"]).prices == Prices(0.75, 3.75)


def test_prices_can_be_overridden_one_at_a_time() -> None:
    assert parse_args(["--output-price", "3"]).prices == Prices(0.30, 3.0)


def test_a_model_without_known_prices_needs_both() -> None:
    with pytest.raises(SystemExit):
        parse_args(["--model", "gemini-x", "--input-price", "1"])
    assert parse_args(
        ["--model", "gemini-x", "--input-price", "1", "--output-price", "2"]
    ).prices == (Prices(1.0, 2.0))


def test_negative_prices_are_refused() -> None:
    with pytest.raises(SystemExit):
        parse_args(["--input-price", "-1"])


def test_upscaling_gives_the_1440p_capture_and_leaves_1080p_alone() -> None:
    png = case("1080p", prepared=False).screenshots[0].png

    assert size_of(upscaled(png, (2560, 1440))) == (2560, 1440)
    assert upscaled(png, (1920, 1080)) is png


def test_every_combination_is_measured_once() -> None:
    found = {(c.screens, c.resolution, c.prepared) for c in cases()}

    assert len(found) == len(cases()) == 8


@pytest.mark.parametrize("resolution", ["1080p", "1440p"])
def test_unprepared_screenshots_go_as_uploaded(resolution: str) -> None:
    (image,) = images_for(case(resolution, prepared=False))

    assert image.mime_type == "image/png"
    assert image.data == case(resolution, prepared=False).screenshots[0].png


@pytest.mark.parametrize("resolution", ["1080p", "1440p"])
def test_prepared_screenshots_fit_four_tiles(resolution: str) -> None:
    (image,) = images_for(case(resolution, prepared=True))

    assert (image.mime_type, image.width, image.height) == ("image/jpeg", 1536, 864)
    assert image_tokens(image.width, image.height) == 4 * 258


def test_facts_compare_the_match_with_ten_earlier_ones() -> None:
    answer = case("1080p", prepared=True).screenshots[0].answer

    facts = facts_for(answer)

    assert facts["matches_compared"] == HISTORY
    assert facts["map"] == answer["map"]
    assert Stat.KD.label in facts["your_averages"]


@pytest.fixture
async def stub_and_ai() -> AsyncIterator[tuple[GeminiStub, GeminiAI]]:
    """Gemini 2.5, where the tiles an image covers decide its tokens."""
    async with GeminiStub() as stub:
        settings = load_settings(
            _env_file=None,
            debrief_env="development",
            gemini_api_key=SecretStr(stub.api_key),
            gemini_base_url=stub.base_url,
            gemini_model="gemini-2.5-flash",
        )
        ai = build_gemini(settings)
        try:
            yield stub, ai
        finally:
            await ai.aclose()


@pytest.mark.parametrize(
    ("resolution", "prepared", "tiles"),
    [("1080p", False, 6), ("1080p", True, 4), ("1440p", False, 8), ("1440p", True, 4)],
)
async def test_a_debrief_is_billed_for_the_tiles_actually_sent(
    stub_and_ai: tuple[GeminiStub, GeminiAI], resolution: str, prepared: bool, tiles: int
) -> None:
    stub, ai = stub_and_ai

    billed = await debrief(stub, ai, case(resolution, prepared=prepared))

    assert billed.read.image_tokens == tiles * 258
    assert billed.write.image_tokens == 0
    assert billed.read.candidates_tokens > 0 < billed.write.candidates_tokens
    assert billed.total.text_tokens == billed.read.text_tokens + billed.write.text_tokens


async def test_models_are_compared_with_thinking_and_before_issue_12() -> None:
    async with GeminiStub() as stub:
        figures = await compare_models(stub)

    models = [item.model for item in figures]
    assert models == [DEFAULT_MODEL, *ALTERNATIVES, BEFORE_MODEL, BEFORE_MODEL]
    default, after, before = figures[0], figures[-2], figures[-1]
    # The default reads and plans at MINIMAL, writes and phrases at LOW; the lobby's debrief
    # (the third pair) thinks as the other one does.
    low = THOUGHTS_PER_LEVEL["LOW"]
    assert [call.thoughts_tokens for call in default.all] == [0, low] * 3
    assert default.debrief_calls[0].image_tokens == 560
    assert [call.thoughts_tokens for call in before.all] == [DYNAMIC_THOUGHTS] * 6
    assert [call.thoughts_tokens for call in after.all] == [0, 1024] * 3
    # Asking for the other rows costs a longer prompt and a longer answer, the images the same.
    read, lobby_read = default.debrief_calls[0], default.lobby_debrief_calls[0]
    assert lobby_read.image_tokens == read.image_tokens
    assert lobby_read.text_tokens > read.text_tokens
    assert lobby_read.candidates_tokens > read.candidates_tokens
    rows = model_rows(figures)
    assert len(rows) == 3 * len(figures)
    assert rows[0][:2] == [f"{DEFAULT_MODEL} (default)", "debrief"]
    assert rows[1][:2] == [f"{DEFAULT_MODEL} (default)", "debrief, lobby read"]


async def test_an_ask_is_billed_for_its_two_calls(
    stub_and_ai: tuple[GeminiStub, GeminiAI],
) -> None:
    stub, ai = stub_and_ai

    planned, phrased = await ask(stub, ai)

    assert [request.status for request in stub.requests] == [200, 200]
    assert planned.text_tokens > phrased.text_tokens > 0
    assert planned.candidates_tokens > 0 < phrased.candidates_tokens
