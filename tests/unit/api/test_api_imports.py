"""The API process never loads matplotlib (charts are the bot's) or discord.py.

Checked in a fresh interpreter: this test session has long imported both.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PROBE = """
import json, sys
from pydantic import SecretStr
import app.api.server  # the process's entry point
from app.api.app import create_app
from app.shared.settings import load_settings

create_app(load_settings(
    debrief_env="production",
    jwt_secret=SecretStr("probe-" + "x" * 48),
    mongodb_uri=SecretStr("mongodb://127.0.0.1:1"),
))
roots = {NAMES}
print(json.dumps(sorted(
    name for name in sys.modules if any(name == r or name.startswith(r + ".") for r in roots)
)))
"""


def modules_loaded_by_the_api(*roots: str) -> list[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    probe = PROBE.replace("{NAMES}", repr(set(roots)))
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def test_creating_the_api_app_imports_neither_matplotlib_nor_discord() -> None:
    assert modules_loaded_by_the_api("matplotlib", "discord", "app.shared.charts") == []
