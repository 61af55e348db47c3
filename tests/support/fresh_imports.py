"""What a fresh interpreter has imported after running a probe: the import guards' helper.

A test session has long imported everything, so "is this module loaded?" can only be asked
of a new process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_REPORT = """
import json as _json, sys as _sys
_roots = {roots!r}
print(_json.dumps(sorted(
    name for name in _sys.modules
    if any(name == root or name.startswith(root + ".") for root in _roots)
)))
"""


def modules_loaded_after(probe: str, *roots: str) -> list[str]:
    """The modules under `roots` (packages or modules) loaded once `probe` has run."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", probe + _REPORT.format(roots=set(roots))],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded
