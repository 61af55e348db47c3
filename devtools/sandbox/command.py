"""`debrief sandbox`: added to the product's command by these development tools.

Registered as an entry point (devtools/pyproject.toml), so the product never imports the
emulators; `debrief start` runs it when there is no DISCORD_BOT_TOKEN.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from app.cli import fail, settings_or_exit
from app.shared.embedded_db import EmbeddedDatabaseError
from app.shared.listening import can_listen, port_in_use_message

# Both on 127.0.0.1: the console drives the emulated Discord, and is for this machine only.
HOST = "127.0.0.1"


def sandbox(
    port: Annotated[
        int | None, typer.Option(help="Port of the web console (default SANDBOX_CONSOLE_PORT).")
    ] = None,
    api_port: Annotated[
        int | None, typer.Option(help="Port of the API (default API_PORT).")
    ] = None,
) -> None:
    """Try Debrief without credentials: the real bot and API against local emulators."""
    from devtools.sandbox.orchestrator import SandboxError, SandboxOptions, run_sandbox

    settings = settings_or_exit(debrief_env="sandbox")
    port = port or settings.sandbox_console_port
    api_port = api_port or settings.api_port
    _ports_free_or_exit(port, api_port)
    try:
        asyncio.run(
            run_sandbox(
                settings,
                # The sandbox's AI writes nothing: debriefs and digests use their templates.
                SandboxOptions(api_port=api_port, console_port=port, gemini_writes=False),
                announce=lambda ready: typer.secho(
                    f"Debrief sandbox is ready: open {ready.console_url} to use the bot "
                    f"(API: {ready.api_url}/docs). Ctrl-C stops it.",
                    fg=typer.colors.GREEN,
                ),
            )
        )
    except (SandboxError, EmbeddedDatabaseError) as error:
        raise fail(str(error)) from None


def _ports_free_or_exit(console_port: int, api_port: int) -> None:
    """Checked before anything starts, so a busy port costs no database start-up."""
    if not can_listen(HOST, console_port):
        raise fail(
            port_in_use_message(
                console_port, "the sandbox console", "--port", "SANDBOX_CONSOLE_PORT"
            )
        )
    if not can_listen(HOST, api_port):
        raise fail(port_in_use_message(api_port, "the API", "--api-port", "API_PORT"))
