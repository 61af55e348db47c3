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

DEFAULT_CONSOLE_PORT = 8765


def sandbox(
    port: Annotated[int, typer.Option(help="Port of the web console.")] = DEFAULT_CONSOLE_PORT,
    api_port: Annotated[
        int | None, typer.Option(help="Port of the API (default API_PORT).")
    ] = None,
) -> None:
    """Try Debrief without credentials: the real bot and API against local emulators."""
    from devtools.sandbox.orchestrator import SandboxError, SandboxOptions, run_sandbox

    settings = settings_or_exit(debrief_env="sandbox")
    try:
        asyncio.run(
            run_sandbox(
                settings,
                SandboxOptions(api_port=api_port or settings.api_port, console_port=port),
                announce=lambda ready: typer.secho(
                    f"Debrief sandbox is ready: open {ready.console_url} to use the bot "
                    f"(API: {ready.api_url}/docs). Ctrl-C stops it.",
                    fg=typer.colors.GREEN,
                ),
            )
        )
    except (SandboxError, EmbeddedDatabaseError) as error:
        raise fail(str(error)) from None
