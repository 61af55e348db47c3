"""The bot process never loads matplotlib or NumPy: /trend's chart is drawn by a worker
process (app.shared.chart_worker). Together they were about 44 MiB of the idle bot's
resident size (bench.memory and docs/performance.md, Memory)."""

from __future__ import annotations

from tests.support.fresh_imports import modules_loaded_after

BUILD_THE_BOT = """
import asyncio
from pydantic import SecretStr
import app.cli  # the process's entry point: `python -m app.cli bot`
from app.bot.client import EXTENSIONS, DebriefBot
from app.shared.settings import load_settings

async def build():
    bot = DebriefBot(load_settings(
        debrief_env="production",
        jwt_secret=SecretStr("probe-" + "x" * 48),
        mongodb_uri=SecretStr("mongodb://127.0.0.1:1"),
        discord_bot_token=SecretStr("probe-token"),
    ))
    for extension in EXTENSIONS:  # every command, as setup_hook loads them
        await bot.load_extension(extension)
    assert bot.tree.get_command("trend") is not None
    for extension in EXTENSIONS:
        await bot.unload_extension(extension)
    await bot.charts.close()  # the bot's one chart worker (never started here)

asyncio.run(build())
"""


def test_building_the_bot_with_every_command_imports_neither_matplotlib_nor_numpy() -> None:
    loaded = modules_loaded_after(
        BUILD_THE_BOT, "matplotlib", "numpy", "app.shared.charts", "fastapi"
    )

    assert loaded == []
