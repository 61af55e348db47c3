"""``python -m devtools.gemini_stub``: run the stub until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal

from devtools.gemini_stub.sample_rules import install_sample_rules
from devtools.gemini_stub.server import DEFAULT_API_KEY, GeminiStub

logger = logging.getLogger("devtools.gemini_stub")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.gemini_stub",
        description="Run a local Gemini API stub, programmable through /_stub/... .",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (loopback)")
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one")
    parser.add_argument("--api-key", default=DEFAULT_API_KEY, help="the x-goog-api-key to accept")
    parser.add_argument(
        "--samples",
        action="store_true",
        help="answer the bundled sample screenshots with their stats",
    )
    parser.add_argument("--log-level", default="INFO", help="logging level")
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    stub = GeminiStub(api_key=args.api_key, host=args.host, port=args.port)
    if args.samples:
        install_sample_rules(stub)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    async with stub:
        logger.info("Gemini stub listening on %s", stub.base_url)
        await stopping.wait()
    logger.info("Gemini stub stopped")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(message)s")
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
