"""The server's language through the real bot: the synced commands carry their Spanish names,
an admin switches the server to Spanish, and replies (errors included) are Spanish from then on.

The stack is shared by the package's tests, which read English: the server is put back to
following its Discord language (English here) however this test ends.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from app.shared.db.connection import Database
from app.shared.gemini.prompts import WRITE_IN
from devtools.discord_emulator import Member
from devtools.sandbox.orchestrator import Sandbox
from tests.e2e.bot.support import (
    HARDPOINT_SCOREBOARD,
    SLOW,
    attach_sample,
    buttons,
    debrief,
    eventually,
    fields,
    invoke,
    only_embed,
    private_outcome,
)

JSON = dict[str, Any]


def synced(stack: Sandbox, name: str) -> JSON:
    [command] = [
        c for c in stack.emulator.state.commands(stack.world.guild.id) if c["name"] == name
    ]
    return command


def option(command: JSON, name: str) -> JSON:
    [found] = [o for o in command["options"] if o["name"] == name]
    return found


@pytest.fixture
async def spanish_server(stack: Sandbox) -> AsyncIterator[None]:
    """The server set to Spanish by its admin with /config language, and back afterwards."""
    admin = stack.world.player
    handle = invoke(stack, "config", admin, subcommand="language", language="es")
    saved = await private_outcome(handle, "Saving…")
    # The reply to the change already speaks the language chosen.
    assert saved.content == "Guardado."
    assert only_embed(stack, saved)["title"] == "Ajustes de Debrief"
    assert fields(only_embed(stack, saved))["Idioma"] == "Español"
    try:
        yield
    finally:
        # Through the bot, as an admin would: it keeps each server's setting in memory (a
        # change behind its back, in the database, shows only once that is stale: 30 s).
        back = invoke(stack, "config", admin, subcommand="language", language="discord")
        await back.wait_for_original(
            lambda message: message.content in ("Saved.", "Guardado."), timeout=SLOW
        )


async def test_the_synced_commands_carry_their_spanish_names_and_descriptions(
    stack: Sandbox,
) -> None:
    ping, config = synced(stack, "ping"), synced(stack, "config")
    language = option(config, "language")

    for locale in ("es-ES", "es-419"):
        assert ping["description_localizations"][locale].startswith("Comprueba que Debrief")
        assert language["name_localizations"][locale] == "idioma"
        assert option(language, "language")["choices"][0]["name_localizations"][locale] == (
            "El idioma del servidor en Discord"
        )
    assert "en-US" not in (ping["description_localizations"] or {})


@pytest.mark.usefixtures("spanish_server")
async def test_a_spanish_server_gets_its_replies_and_errors_in_spanish(
    stack: Sandbox, stranger: Member
) -> None:
    ping = invoke(stack, "ping", stack.world.player)
    refused = invoke(stack, "config", stranger, subcommand="show")

    pong = fields(only_embed(stack, await private_outcome(ping, "Comprobando…")))
    error = await private_outcome(refused, "Cargando…")

    assert pong["Base de datos"] == "ok"
    assert error.content == "Para eso necesitas el permiso Gestionar servidor."


@pytest.mark.usefixtures("spanish_server")
async def test_a_debrief_in_a_spanish_server_is_posted_in_spanish(
    stack: Sandbox, member: Member
) -> None:
    handle = debrief(stack, member, attach_sample(stack, HARDPOINT_SCOREBOARD))

    posted = await handle.wait_for_followup(timeout=SLOW)
    private = await private_outcome(handle, "Leyendo tus capturas…")

    assert private.content.startswith("Guardada como partida ")
    embed = only_embed(stack, posted)
    assert embed["title"] == "Victoria 250–187 · Punto caliente en Den"
    shown = fields(embed)
    assert shown["Tiempo en zona"] == "1:52"
    assert shown["Frente a tus últimas partidas"] == (
        "Primera partida de Punto caliente registrada: esta marca tu punto de partida."
    )
    assert sorted(buttons(posted).values()) == ["Borrar", "Corregir"]
    [written] = [r for r in stack.stub.requests if not r.image_count]
    assert written.texts[-1].endswith(WRITE_IN.format(language="Spanish"))


@pytest.mark.usefixtures("spanish_server")
async def test_following_discord_again_brings_english_back(stack: Sandbox) -> None:
    handle = invoke(stack, "config", stack.world.player, subcommand="language", language="discord")

    saved = await private_outcome(handle, "Guardando…")

    assert saved.content == "Saved."
    assert fields(only_embed(stack, saved))["Language"] == "the server's language in Discord"


async def test_a_server_spanish_in_discord_is_stored_so_for_the_api(
    stack: Sandbox, database: Database
) -> None:
    """No setting: the server's language in Discord, which only the gateway tells; the bot
    stores it for the API's debriefs and digests once it reads the server's settings (its
    first command there), not for every server at each connect."""
    driver = stack.emulator.driver
    guild = driver.create_guild("Escuadra", preferred_locale="es-ES")
    channel = driver.create_channel(guild.id, "general")
    state = stack.emulator.state
    state.overwrite_commands(guild.id, state.commands(stack.world.guild.id))
    player = driver.create_member(guild.id, "jugadora")

    async def stored() -> bool:
        settings = await database.db["guild_configs"].find_one({"guild_id": guild.id})
        return settings is not None and settings.get("discord_locale") == "es-ES"

    ping = driver.invoke_command("ping", member=player, channel_id=channel.id)
    pong = fields(only_embed(stack, await private_outcome(ping, "Comprobando…")))
    assert pong["Base de datos"] == "ok"
    await eventually(stored, what="Discord's language for the server, stored")
