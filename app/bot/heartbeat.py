"""A file the bot touches while connected, so a container healthcheck can see it is alive."""

from __future__ import annotations

import time
from pathlib import Path

HEARTBEAT_FILE = "bot.heartbeat"
STALE_AFTER_S = 60.0


def heartbeat_path(data_dir: Path) -> Path:
    return data_dir / HEARTBEAT_FILE


def touch(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    heartbeat_path(data_dir).touch()


def is_fresh(data_dir: Path, now: float | None = None) -> bool:
    try:
        age = (now or time.time()) - heartbeat_path(data_dir).stat().st_mtime
    except FileNotFoundError:
        return False
    return age < STALE_AFTER_S
