"""python -m devtools.discord_emulator --port N --token T: a standalone local Discord."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from pathlib import Path

from .config import EmulatorConfig, find_spec, resolve_spec_path
from .server import DiscordEmulator
from .world import seed_default_world

log = logging.getLogger("discord_emulator")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.discord_emulator",
        description="Run the local Discord emulator.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--token", default=EmulatorConfig.token, help="the bot token to accept")
    parser.add_argument(
        "--spec",
        type=Path,
        default=None,
        help="Discord's openapi.json, required to exist (default: $DISCORD_API_SPEC, else the "
        "shared copy, used when found; without it bodies are only checked against limits)",
    )
    parser.add_argument("--log-level", default="INFO")
    return parser.parse_args(argv)


def spec_settings(explicit: Path | None) -> tuple[Path | None, bool]:
    """`spec_path` and `require_spec`: an explicit --spec must exist; the default location is
    used when the file is there, else bodies are only checked against Discord's limits."""
    if explicit is not None and not explicit.is_file():
        return explicit, True  # the emulator refuses to start, and says where it looked
    found = explicit or find_spec()
    if found is None:
        log.warning(
            "Discord API spec: not found at %s (set DISCORD_API_SPEC or pass --spec); "
            "request bodies are only checked against Discord's limits",
            resolve_spec_path(None),
        )
    else:
        log.info("Discord API spec: validating request bodies against %s", found)
    return found, found is not None


async def serve(args: argparse.Namespace) -> None:
    spec_path, require_spec = spec_settings(args.spec)
    config = EmulatorConfig(
        token=args.token,
        host=args.host,
        port=args.port,
        spec_path=spec_path,
        require_spec=require_spec,
    )
    async with DiscordEmulator(config) as emulator:
        world = seed_default_world(emulator.driver)
        log.info("REST base   %s", emulator.api_base_url)
        log.info("gateway     %s", emulator.gateway_url)
        log.info("control API %s/_emulator/state", emulator.base_url)
        log.info(
            "guild %s (%s), channel #%s (%s), member %s (%s)",
            world.guild.name,
            world.guild.id,
            world.channel.name,
            world.channel.id,
            world.member.user.username,
            world.member.user.id,
        )
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):  # not available on Windows
                loop.add_signal_handler(signum, stopping.set)
        await stopping.wait()


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
