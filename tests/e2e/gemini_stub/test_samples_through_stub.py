"""The sample screenshots read through the real client, answered by ``install_sample_rules``."""

from __future__ import annotations

from typing import Literal

import pytest
from google import genai
from google.genai import errors, types
from pydantic import BaseModel, Field

from devtools.gemini_stub import ErrorAnswer, GeminiStub, Match, Rule
from devtools.gemini_stub.sample_rules import as_uploaded, install_sample_rules
from devtools.samples import SampleFile, load_manifest

from .conftest import MODEL

pytestmark = pytest.mark.e2e

MANIFEST = load_manifest()
PROMPT = "Read the Black Ops 7 end-of-match screenshots."


class Player(BaseModel):
    gamertag: str
    score: int = Field(ge=0)
    kills: int = Field(ge=0)
    deaths: int = Field(ge=0)
    assists: int = Field(ge=0)
    objective_time_s: int | None = None
    captures: int | None = None
    plants: int | None = None
    defuses: int | None = None
    overloads: int | None = None
    device_carry_time_s: int | None = None


class LobbyRow(Player):
    """Another player's row, with their team as the player sees it."""

    team: Literal["ally", "enemy"]


class Weapon(BaseModel):
    name: str
    kills: int = Field(ge=0)
    headshots: int = Field(ge=0)
    accuracy: float = Field(ge=0, le=100)


class MatchReading(BaseModel):
    """The stat shape the manifest promises, as an app would ask for it."""

    mode: Literal["hardpoint", "search_and_destroy", "overload"]
    map: str
    result: Literal["win", "loss", "draw"]
    team_score: int
    enemy_score: int
    player: Player
    weapons: list[Weapon]
    lobby: list[LobbyRow] = []


CONFIG = types.GenerateContentConfig(
    response_mime_type="application/json", response_schema=MatchReading
)


def image_part(sample: SampleFile) -> types.Part:
    return types.Part.from_bytes(data=sample.read_bytes(), mime_type="image/png")


async def read(client: genai.Client, *samples: SampleFile) -> types.GenerateContentResponse:
    parts: list[types.PartUnion] = [*map(image_part, samples), PROMPT]
    return await client.aio.models.generate_content(model=MODEL, contents=parts, config=CONFIG)


@pytest.mark.parametrize("sample", MANIFEST.of_kind("scoreboard"), ids=lambda s: s.match)
async def test_each_scoreboard_is_answered_with_its_stats(
    stub: GeminiStub, client: genai.Client, sample: SampleFile
) -> None:
    install_sample_rules(stub, prepare=as_uploaded)

    response = await read(client, sample)

    assert isinstance(response.parsed, MatchReading)
    assert response.parsed == MatchReading.model_validate({**sample.answer, "lobby": sample.lobby})
    assert response.parsed.weapons == []
    assert [row.team for row in response.parsed.lobby] == ["ally"] * 3 + ["enemy"] * 4
    assert stub.requests[0].usage is not None
    assert stub.requests[0].usage.image_tokens == 6 * 258
    assert stub.problems == ()


@pytest.mark.parametrize("weapons", MANIFEST.of_kind("weapons"), ids=lambda s: s.match)
async def test_scoreboard_with_weapons_screenshot_includes_the_weapons(
    stub: GeminiStub, client: genai.Client, weapons: SampleFile
) -> None:
    install_sample_rules(stub, prepare=as_uploaded)
    (scoreboard_name,) = weapons.sent_with

    response = await read(client, MANIFEST.by_file(scoreboard_name), weapons)

    assert isinstance(response.parsed, MatchReading)
    expected = {**weapons.answer, "lobby": weapons.lobby}
    assert response.parsed == MatchReading.model_validate(expected)
    assert response.parsed.weapons
    assert stub.requests[0].image_count == 2


async def test_unknown_weapon_sample_reaches_the_client(
    stub: GeminiStub, client: genai.Client
) -> None:
    install_sample_rules(stub, prepare=as_uploaded)
    weapons = MANIFEST.by_file("search_and_destroy_exposure_weapons.png")

    response = await read(client, MANIFEST.by_file(weapons.sent_with[0]), weapons)

    assert isinstance(response.parsed, MatchReading)
    assert "Varga R7" in [weapon.name for weapon in response.parsed.weapons]


async def test_weapons_screenshot_alone_is_not_a_sample_answer(
    stub: GeminiStub, client: genai.Client
) -> None:
    install_sample_rules(stub, prepare=as_uploaded)

    with pytest.raises(errors.ServerError) as raised:
        await read(client, MANIFEST.of_kind("weapons")[0])

    assert raised.value.code == 501


async def test_a_test_can_override_one_sample(stub: GeminiStub, client: genai.Client) -> None:
    install_sample_rules(stub, prepare=as_uploaded)
    sample = MANIFEST.of_kind("scoreboard")[0]
    stub.add_rule(Rule.always(Match(image_sha256=(sample.sha256,)), ErrorAnswer(503)))

    with pytest.raises(errors.ServerError):
        await read(client, sample)
