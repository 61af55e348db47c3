"""The `debrief` command."""

from __future__ import annotations

import asyncio
import logging
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import entry_points
from typing import Annotated, Any

import typer
from pydantic import SecretStr

from app.processes import Supervisor, child_env, cli_command, wait_for_stop_signal
from app.shared.embedded_db import EmbeddedDatabase, EmbeddedDatabaseError, SharedEmbeddedDatabase
from app.shared.listening import can_listen, port_in_use_message
from app.shared.logging import configure_logging
from app.shared.settings import Settings, SettingsError, load_settings

cli = typer.Typer(
    name="debrief",
    help="Debrief: Black Ops 7 match stats and AI debriefs for Discord squads.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
logger = logging.getLogger("debrief")

# Commands the separate development tools (devtools/: the emulators and the sandbox) add to
# `debrief`; the product itself never imports them.
DEVELOPMENT_COMMANDS = "debrief.development_commands"
NO_BOT_CREDENTIALS_NOR_SANDBOX = (
    "DISCORD_BOT_TOKEN is not set, and the sandbox (a development tool) is not installed here. "
    "Set DISCORD_BOT_TOKEN, or run `make run` from a source checkout to try the sandbox."
)
SANDBOX_ONLY_OPTIONS = (
    "--port and --api-port choose the sandbox's ports; with DISCORD_BOT_TOKEN set, `start` "
    "runs Debrief itself: set API_PORT instead."
)
NO_BOT_CREDENTIALS = (
    "DISCORD_BOT_TOKEN is not set, so there is no Discord bot to run. To try Debrief without "
    "Discord credentials, run `make run` (or `debrief sandbox`): it runs the real bot against "
    "local emulators of Discord and Gemini."
)


def fail(message: str) -> typer.Exit:
    typer.secho(message, err=True, fg=typer.colors.RED)
    return typer.Exit(code=2)


def settings_or_exit(**overrides: Any) -> Settings:
    try:
        settings = load_settings(**overrides)
    except SettingsError as error:
        raise fail(str(error)) from None
    configure_logging(
        settings.log_level, as_json=settings.log_format == "json", secrets=settings.secret_values()
    )
    return settings


@contextmanager
def database_for(settings: Settings) -> Iterator[Settings]:
    """Settings with a MONGODB_URI: the configured one, or the embedded server's."""
    if settings.mongodb_uri is not None:
        yield settings
        return
    embedded = SharedEmbeddedDatabase(settings.debrief_data_dir, settings.embedded_db_port)
    try:
        uri = embedded.start()
    except EmbeddedDatabaseError as error:
        raise fail(str(error)) from None
    try:
        yield settings.model_copy(update={"mongodb_uri": SecretStr(uri)})
    finally:
        embedded.stop()


@cli.command()
def db(
    port: Annotated[
        int | None, typer.Option(help="Port on 127.0.0.1 (default EMBEDDED_DB_PORT).")
    ] = None,
) -> None:
    """Run the embedded database (SecantusDB) in the foreground until Ctrl-C."""
    settings = settings_or_exit()
    server = EmbeddedDatabase(
        storage=settings.embedded_db_dir, port=port or settings.embedded_db_port
    )
    try:
        server.start()
    except EmbeddedDatabaseError as error:
        raise fail(str(error)) from None
    typer.echo(
        f"Embedded database at {server.uri} (data in {settings.embedded_db_dir}). Ctrl-C stops it."
    )
    try:
        wait_for_stop_signal()
    finally:
        server.stop()


@cli.command()
def api(
    host: Annotated[
        str | None, typer.Option(help="Interface to listen on (default API_HOST).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default API_PORT).")] = None,
) -> None:
    """Run the web API (uvicorn)."""
    import uvicorn

    from app.api.app import create_app
    from app.api.server import server_config

    settings = settings_or_exit()
    host, port = host or settings.api_host, port or settings.api_port
    if not can_listen(host, port):
        raise fail(port_in_use_message(port, "the API", "--port", "API_PORT"))
    with database_for(settings) as ready:
        config = server_config(create_app(ready), ready, host=host, port=port)
        uvicorn.Server(config).run()


@cli.command("rebuild-rollups")
def rebuild_rollups() -> None:
    """Recompute the leaderboards' and summaries' day rollups from the stored matches (with
    the bot and the API stopped)."""
    import asyncio

    from app.shared.db.connection import connect_database
    from app.shared.db.rollups.rebuild import build

    async def run(uri: str, database: str) -> int:
        async with connect_database(uri, database, app_name="debrief-rebuild-rollups"):
            return await build()

    settings = settings_or_exit()
    with database_for(settings) as ready:
        if ready.mongodb_uri is None:  # database_for always sets one
            raise fail("No database to rebuild the rollups in.")
        count = asyncio.run(run(ready.mongodb_uri.get_secret_value(), ready.mongodb_database))
    typer.echo(f"Day rollups rebuilt from {count:,} matches.")


@cli.command()
def bot() -> None:
    """Run the Discord bot (needs DISCORD_BOT_TOKEN)."""
    from app.bot.client import run_bot
    from app.bot.endpoints import point_discord_at

    settings = settings_or_exit()
    if settings.discord_bot_token is None:
        raise fail(NO_BOT_CREDENTIALS)
    point_discord_at(settings.discord_api_base_url, settings.discord_gateway_url)
    with database_for(settings) as ready:
        asyncio.run(run_bot(ready, settings.discord_bot_token.get_secret_value()))
        logger.info("bot stopped")


@cli.command()
def up() -> None:
    """Run the embedded database (unless MONGODB_URI is set), the API and the bot together."""
    settings = settings_or_exit()
    with database_for(settings) as ready:
        uri = ready.mongodb_uri.get_secret_value() if ready.mongodb_uri else ""
        supervisor = Supervisor(env=child_env(MONGODB_URI=uri))
        supervisor.spawn("api", cli_command("api"))
        if settings.discord_bot_token is None:
            typer.secho(
                NO_BOT_CREDENTIALS + " Starting the database and the API only.",
                err=True,
                fg=typer.colors.YELLOW,
            )
        else:
            supervisor.spawn("bot", cli_command("bot"))
        typer.echo(
            f"Debrief is up: API on http://{ready.api_host}:{ready.api_port}. Ctrl-C stops it."
        )
        status = supervisor.wait()
    raise typer.Exit(code=status)


@cli.command()
def start(
    port: Annotated[
        int | None,
        typer.Option(help="Port of the sandbox's web console (default SANDBOX_CONSOLE_PORT)."),
    ] = None,
    api_port: Annotated[
        int | None, typer.Option(help="Port of the sandbox's API (default API_PORT).")
    ] = None,
) -> None:
    """Run Debrief the easy way: `up` when DISCORD_BOT_TOKEN is set, else the sandbox."""
    settings = settings_or_exit()
    if settings.discord_bot_token is not None:
        if port is not None or api_port is not None:
            raise fail(SANDBOX_ONLY_OPTIONS)
        up()
        return
    sandbox = development_command("sandbox")
    if sandbox is None:
        raise fail(NO_BOT_CREDENTIALS_NOR_SANDBOX)
    typer.echo("No DISCORD_BOT_TOKEN: starting the sandbox (emulated Discord and AI).")
    sandbox(port=port, api_port=api_port)


def development_command(name: str) -> Callable[..., None] | None:
    """A command that the development tools add (`pip install -e ./devtools`, as `make`
    does), or None where they are not installed, as in the images."""
    for entry in entry_points(group=DEVELOPMENT_COMMANDS, name=name):
        command: Callable[..., None] = entry.load()
        return command
    return None


def add_development_commands() -> None:
    for entry in entry_points(group=DEVELOPMENT_COMMANDS):
        cli.command(name=entry.name)(entry.load())


@cli.command()
def healthcheck(
    process: Annotated[str, typer.Argument(help="`api` or `bot`.")],
) -> None:
    """Exit 0 when the given process is healthy (for container healthchecks)."""
    from app.bot.heartbeat import is_fresh

    settings = settings_or_exit()
    if process == "bot":
        raise typer.Exit(code=0 if is_fresh(settings.debrief_data_dir) else 1)
    if process != "api":
        raise fail("Use `debrief healthcheck api` or `debrief healthcheck bot`.")
    url = f"http://127.0.0.1:{settings.api_port}/readyz"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            healthy = response.status == 200
    except OSError:
        healthy = False
    raise typer.Exit(code=0 if healthy else 1)


def main() -> None:
    add_development_commands()
    cli()


if __name__ == "__main__":
    main()
