"""Bodies are held to Discord's OpenAPI spec and limits; refusals are recorded loudly.

Every test here runs against the miniature spec committed in tests/support, so the validator is
exercised on any machine; where Discord's own spec is found, each runs against it as well, and
the miniature is checked against it.
"""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import discord
import httpx
import pytest

from devtools.discord_emulator import (
    DiscordEmulator,
    EmulatorConfig,
    SpecNotFoundError,
    SpecViolationError,
)
from devtools.discord_emulator.config import (
    DEFAULT_SPEC_PATH,
    MIB,
    find_spec,
    resolve_spec_path,
)
from devtools.discord_emulator.spec import SpecValidator
from tests.support.discord_spec import MINIATURE_SPEC

from .bots import TOKEN, EmulatedBot
from .conftest import Launch, World

DISCORDS_SPEC = find_spec()
SPECS = {"miniature": MINIATURE_SPEC, **({"discord": DISCORDS_SPEC} if DISCORDS_SPEC else {})}


@pytest.fixture(params=sorted(SPECS))
async def emulator(request: pytest.FixtureRequest) -> AsyncIterator[DiscordEmulator]:
    """Overrides the package's emulator: here validation is always on, by the miniature and,
    where it is found, by Discord's spec."""
    config = EmulatorConfig(token=TOKEN, spec_path=SPECS[request.param], require_spec=True)
    async with DiscordEmulator(config) as emulator:
        yield emulator
        emulator.assert_no_spec_violations()


def text_channel(bot: discord.Client, world: World) -> discord.TextChannel:
    channel = bot.get_channel(world.channel.id)
    assert isinstance(channel, discord.TextChannel)
    return channel


async def test_over_long_embed_title_is_refused_and_recorded(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    await launch(bot)

    with pytest.raises(discord.HTTPException) as raised:
        await text_channel(bot, world).send(embed=discord.Embed(title="x" * 257))

    assert raised.value.status == 400 and raised.value.code == 50035
    assert "embeds.0.title" in raised.value.text and "256 or fewer" in raised.value.text
    [violation] = emulator.take_spec_violations()
    assert violation.source == "spec" and violation.json_path == "$.embeds[0].title"
    assert violation.operation_id == "create_message"


async def test_violations_fail_the_test_at_teardown(
    emulator: DiscordEmulator, world: World
) -> None:
    async with httpx.AsyncClient(
        base_url=emulator.api_base_url, headers={"Authorization": f"Bot {TOKEN}"}
    ) as client:
        answer = await client.post(f"/channels/{world.channel.id}/messages", json={"content": 42})
    assert answer.json()["emulator_json_path"] == "$.content"
    with pytest.raises(SpecViolationError, match=r"\$\.content"):
        emulator.assert_no_spec_violations()
    emulator.take_spec_violations()


async def test_unknown_option_type_in_command_sync_is_refused(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    await launch(bot)
    command = {
        "name": "debrief",
        "description": "Post a match",
        "type": 1,
        "options": [{"type": 99, "name": "scoreboard", "description": "Screenshot"}],
    }

    with pytest.raises(discord.HTTPException) as raised:
        await bot.http.bulk_upsert_global_commands(emulator.state.application.id, [command])

    assert raised.value.status == 400
    [violation] = emulator.take_spec_violations()
    assert violation.json_path == "$[0].options[0].type"
    assert violation.errors[0].code == "BASE_TYPE_CHOICES"
    assert emulator.state.commands(None) == []


async def test_invalid_payload_json_in_multipart_is_refused(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    await launch(bot)
    bad_field = discord.Embed(title="Match").add_field(name="n" * 257, value="v")

    with pytest.raises(discord.HTTPException):
        await text_channel(bot, world).send(
            embed=bad_field, file=discord.File(io.BytesIO(b"png"), filename="s.png")
        )

    [violation] = emulator.take_spec_violations()
    assert violation.json_path == "$.embeds[0].fields[0].name"


async def test_a_rich_valid_message_passes(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    await launch(bot)
    embed = discord.Embed(
        title="Hardpoint — Win",
        description="K/D 1.4",
        url="https://example.com/match/1",
        colour=0x5865F2,
        timestamp=discord.utils.utcnow(),
    )
    embed.add_field(name="Kills", value="28").set_footer(text="Debrief")
    view = discord.ui.View()
    view.add_item(discord.ui.Button(label="Fix", custom_id="match:fix"))
    view.add_item(discord.ui.Button(label="Site", url="https://example.com"))

    sent = await text_channel(bot, world).send(
        "Match saved",
        embed=embed,
        view=view,
        file=discord.File(io.BytesIO(b"chart"), filename="chart.png", description="Trend"),
    )

    stored = emulator.state.message(sent.id)
    assert stored.embeds[0]["title"] == "Hardpoint — Win"
    assert stored.attachments[0].description == "Trend"
    assert emulator.spec_violations == []


async def test_embed_total_over_6000_is_refused(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    await launch(bot)
    # Each embed is within its own limits; together they exceed Discord's 6000 characters.
    embeds = [discord.Embed(description="d" * 4000), discord.Embed(description="d" * 4000)]

    with pytest.raises(discord.HTTPException) as raised:
        await text_channel(bot, world).send(embeds=embeds)

    assert "Embed size exceeds maximum size of 6000" in raised.value.text
    [violation] = emulator.take_spec_violations()
    assert violation.source == "limits" and violation.json_path == "$.embeds"


async def test_content_over_2000_is_refused_for_bots(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    await launch(bot)

    with pytest.raises(discord.HTTPException):
        await text_channel(bot, world).send("x" * 2001)

    [violation] = emulator.take_spec_violations()
    assert violation.json_path == "$.content" and violation.source == "limits"


async def test_file_over_the_size_limit_is_413(
    emulator: DiscordEmulator, world: World, bot: EmulatedBot, launch: Launch
) -> None:
    await launch(bot)
    huge = discord.File(io.BytesIO(b"\0" * (10 * MIB + 1)), filename="huge.png")

    with pytest.raises(discord.HTTPException) as raised:
        await text_channel(bot, world).send(file=huge)

    assert raised.value.status == 413 and raised.value.code == 40005
    assert [v.errors[0].code for v in emulator.take_spec_violations()] == ["FILE_TOO_LARGE"]


async def test_int_strings_and_integer_snowflakes_are_accepted(
    emulator: DiscordEmulator, world: World
) -> None:
    body = {
        "name": "config",
        "description": "Settings",
        "default_member_permissions": "32",
        "options": [
            {
                "type": 4,
                "name": "hours",
                "description": "Hours",
                "min_value": "1",
                "max_value": "168",
            }
        ],
    }
    async with httpx.AsyncClient(
        base_url=emulator.api_base_url, headers={"Authorization": f"Bot {TOKEN}"}
    ) as client:
        app_id = emulator.state.application.id
        synced = await client.put(f"/applications/{app_id}/commands", json=[body])
        mentions = await client.post(
            f"/channels/{world.channel.id}/messages",
            json={"content": "hi", "allowed_mentions": {"users": [world.member.user.id]}},
        )
        too_big = await client.put(
            f"/applications/{app_id}/commands",
            json=[{**body, "default_member_permissions": str(2**60)}],
        )

    assert synced.status_code == 200 and mentions.status_code == 200
    assert too_big.status_code == 400
    [violation] = emulator.take_spec_violations()
    assert violation.json_path == "$[0].default_member_permissions"


def tiny_spec(union: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "paths": {
            "/pets": {
                "post": {
                    "operationId": "create_pet",
                    "requestBody": {"content": {"application/json": {"schema": union}}},
                }
            }
        },
        "components": {
            "schemas": {
                "Cat": {
                    "type": "object",
                    "properties": {"meow": {"type": "string"}, "name": {"type": "string"}},
                },
                "Dog": {
                    "type": "object",
                    "properties": {"bark": {"type": "string"}, "name": {"type": "string"}},
                },
            }
        },
    }


def test_discord_unions_accept_one_shape_not_a_blend() -> None:
    validator = SpecValidator(
        tiny_spec(
            {
                "anyOf": [
                    {"$ref": "#/components/schemas/Cat"},
                    {"$ref": "#/components/schemas/Dog"},
                ],
                "x-discord-union": "oneOf",
            }
        )
    )
    operation = validator.operation("POST", "/pets")
    assert operation is not None

    def errors(body: dict[str, Any]) -> list[str]:
        return [e.code for e in validator.validate(operation, body, "application/json")]

    assert errors({"meow": "m", "name": "Tom"}) == []
    assert errors({"name": "fits both shapes"}) == []
    assert errors({"meow": "m", "bark": "b"}) == ["UNION_TYPE_CHOICES"]


async def test_missing_spec_refuses_to_start_unless_allowed(tmp_path: Path) -> None:
    absent = tmp_path / "openapi.json"
    with pytest.raises(SpecNotFoundError, match="DISCORD_API_SPEC"):
        DiscordEmulator(EmulatorConfig(spec_path=absent))

    lenient = DiscordEmulator(EmulatorConfig(spec_path=absent, require_spec=False))
    async with lenient:
        guild = lenient.driver.create_guild()
        channel = lenient.driver.create_channel(guild.id)
        async with httpx.AsyncClient(
            base_url=lenient.api_base_url, headers={"Authorization": f"Bot {lenient.token}"}
        ) as client:
            answer = await client.post(
                f"/channels/{channel.id}/messages", json={"content": "x" * 2001}
            )
    assert answer.status_code == 400  # Discord's limits still hold without the spec


def test_spec_location_comes_from_the_argument_then_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISCORD_API_SPEC", raising=False)
    assert resolve_spec_path(None) == DEFAULT_SPEC_PATH
    assert DEFAULT_SPEC_PATH.parts[-3:] == ("shared", "discord-api-spec", "openapi.json")
    # Beside the repository, wherever the package that computes it sits inside it.
    repository = Path(__file__).resolve().parents[3]
    assert DEFAULT_SPEC_PATH.parents[2] == repository.parent
    monkeypatch.setenv("DISCORD_API_SPEC", str(tmp_path / "env.json"))
    assert resolve_spec_path(None) == tmp_path / "env.json"
    assert resolve_spec_path(tmp_path / "arg.json") == tmp_path / "arg.json"


BOUNDS = ("maxLength", "minLength", "maximum", "minimum", "maxItems", "minItems", "enum")


@pytest.mark.skipif(DISCORDS_SPEC is None, reason="Discord's spec is not found; nothing to compare")
def test_the_miniature_agrees_with_discords_spec() -> None:
    assert DISCORDS_SPEC is not None
    miniature = json.loads(MINIATURE_SPEC.read_text(encoding="utf-8"))
    discord_spec = json.loads(DISCORDS_SPEC.read_text(encoding="utf-8"))

    for template, item in miniature["paths"].items():
        for method, operation in item.items():
            official = discord_spec["paths"][template][method]
            assert operation["operationId"] == official["operationId"]
            assert (
                operation["requestBody"]["content"].keys()
                <= official["requestBody"]["content"].keys()
            )
    compared = 0
    for name, schema in miniature["components"]["schemas"].items():
        official = discord_spec["components"]["schemas"][name]
        assert schema.get("required", []) == official.get("required", []), name
        for prop, rules in schema.get("properties", {}).items():
            official_rules = official["properties"][prop]
            for bound in BOUNDS:
                if bound in rules and bound in official_rules:
                    assert rules[bound] == official_rules[bound], f"{name}.{prop}: {bound}"
                    compared += 1
    assert compared >= 20  # the bounds the tests above rely on are among them
