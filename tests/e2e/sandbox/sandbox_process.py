"""`debrief sandbox` as a real process: started like a newcomer would, stopped with Ctrl-C."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.shared.embedded_db import free_port

READY_LINE = re.compile(r"Debrief sandbox is ready: open (http://\S+/)")
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0
# Credentials and addresses of the developer's own setup never reach the sandbox under test.
FOREIGN_SETTINGS = ("DISCORD_", "MONGODB_", "JWT_", "GEMINI_", "API_", "SANDBOX_")


@dataclass
class SandboxProcess:
    process: asyncio.subprocess.Process
    console_url: str
    api_url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    async def stop(self) -> int:
        """Ctrl-C, as a person would press it; the exit status."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return await asyncio.wait_for(self.process.wait(), STOP_TIMEOUT_S)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            raise AssertionError(f"the sandbox ignored Ctrl-C:\n{self.log()}") from None


async def start_sandbox(workdir: Path) -> SandboxProcess:
    """Run `python -m app.cli sandbox` in `workdir` and wait for its ready line."""
    api_port = free_port()
    return await start_debrief(
        workdir, ["sandbox", "--port", str(free_port()), "--api-port", str(api_port)], api_port
    )


async def start_debrief(
    workdir: Path, args: Sequence[str], api_port: int, **settings: str
) -> SandboxProcess:
    """Run `python -m app.cli <args>` (a sandbox, as `debrief start` or `debrief sandbox`)
    in `workdir` with these extra settings, and wait for its ready line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(FOREIGN_SETTINGS)}
    env.update(DEBRIEF_DATA_DIR=str(workdir / ".debrief"), PYTHONUNBUFFERED="1", **settings)
    log_path = workdir / "sandbox.log"
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "app.cli",
            *args,
            cwd=workdir,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=log,
        )
    sandbox = SandboxProcess(process, "", f"http://127.0.0.1:{api_port}", log_path)
    try:
        sandbox.console_url = await asyncio.wait_for(_ready_url(process), START_TIMEOUT_S)
    except (TimeoutError, EOFError):
        await sandbox.stop()
        raise AssertionError(f"the sandbox did not become ready:\n{sandbox.log()}") from None
    return sandbox


async def _ready_url(process: asyncio.subprocess.Process) -> str:
    assert process.stdout is not None
    while line := await process.stdout.readline():
        if match := READY_LINE.search(line.decode(errors="replace")):
            return match.group(1)
    raise EOFError("the sandbox closed its output before it was ready")


def descendants(pid: int) -> dict[int, str]:
    """Every process below `pid` (children's children too), with its command line."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            children.setdefault(int(stat[1]), []).append(int(entry.name))
    found: dict[int, str] = {}
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found[child] = _command_line(child)
            todo.append(child)
    return found


def is_running(pid: int) -> bool:
    """True for a live process; a zombie has finished running."""
    stat = _stat(pid)
    return stat is not None and stat[0] != "Z"


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name: state, ppid, ..."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""
