"""Running several Debrief processes as one (`debrief up`), and stopping them in order."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import FrameType

logger = logging.getLogger(__name__)


@dataclass
class Supervisor:
    """Starts child processes, waits until one exits or we are told to stop, stops the rest."""

    env: Mapping[str, str]
    _children: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)
    _stopping: bool = False

    def spawn(self, name: str, argv: Sequence[str]) -> None:
        # Own session, so Ctrl-C reaches only us and we decide the order of shutdown.
        process = subprocess.Popen(  # noqa: S603 - argv is our own CLI
            list(argv), env=dict(self.env), start_new_session=True
        )
        self._children.append((name, process))
        logger.info("started %s (pid %d)", name, process.pid)

    def wait(self) -> int:
        """Block until a child exits or SIGINT/SIGTERM; return the exit status for the CLI."""
        previous = {
            sig: signal.signal(sig, self._request_stop) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            while not self._stopping:
                for name, process in self._children:
                    if process.poll() is not None:
                        logger.error(
                            "%s exited with status %s; stopping the others",
                            name,
                            process.returncode,
                        )
                        return 1
                time.sleep(0.2)
            return 0
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.stop_all()

    def stop_all(self, timeout_s: float = 20.0) -> None:
        for name, process in reversed(self._children):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout_s)
                except subprocess.TimeoutExpired:
                    logger.warning("%s did not stop in %.0f s; killing it", name, timeout_s)
                    process.kill()
                    process.wait()
        self._children.clear()

    def _request_stop(self, signum: int, frame: FrameType | None) -> None:
        self._stopping = True


def wait_for_stop_signal() -> None:
    """Block until SIGINT or SIGTERM (for commands that only keep a child process alive)."""
    received: list[int] = []

    def stop(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not received:
            signal.pause()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def cli_command(*args: str) -> list[str]:
    """The argv that runs `debrief <args>` with this interpreter, even if not on PATH."""
    return [sys.executable, "-m", "app.cli", *args]


def child_env(**overrides: str) -> dict[str, str]:
    return {**os.environ, **overrides}
