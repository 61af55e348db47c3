"""The sandbox stack, plus what fault tests do to its processes: kill, restart, add replicas.

Every process started here is stopped by `stop_started()` (the stack fixture calls it before
the sandbox closes), whatever the test did to it.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from dataclasses import dataclass, field

import aiohttp

from app.shared.embedded_db import EmbeddedDatabase
from devtools.discord_emulator import DiscordEmulator
from devtools.gemini_stub import GeminiStub
from devtools.sandbox.children import Child, start_child
from devtools.sandbox.orchestrator import Sandbox
from devtools.sandbox.world import SandboxWorld

READY_TIMEOUT_S = 60.0


@dataclass
class FaultStack:
    """The real bot and API against the emulators, on a database server tests may stop."""

    sandbox: Sandbox
    database_server: EmbeddedDatabase
    # What the sandbox gave its children: the same settings start their replacements.
    child_env: dict[str, str]
    bot: Child
    _started: list[Child] = field(default_factory=list)

    @property
    def emulator(self) -> DiscordEmulator:
        return self.sandbox.emulator

    @property
    def stub(self) -> GeminiStub:
        return self.sandbox.stub

    @property
    def world(self) -> SandboxWorld:
        return self.sandbox.world

    @property
    def api_url(self) -> str:
        return self.sandbox.api_url

    async def kill_bot(self) -> None:
        """SIGKILL: no cleanup, no goodbye, exactly like a crash or an OOM kill."""
        self.bot.process.send_signal(signal.SIGKILL)
        await self.bot.process.wait()

    async def start_bot(self) -> None:
        """A new bot process (after `kill_bot`), once its gateway session is READY."""
        if self.bot.running:
            raise RuntimeError("the bot is still running")
        self.bot = await self._start("bot", ["bot"])
        await self.emulator.driver.wait_for_sessions(1, timeout=READY_TIMEOUT_S)

    async def start_api(self, port: int, name: str = "API replica") -> Child:
        """Another API process on `port`, once /readyz answers 200."""
        replica = await self._start(name, ["api", "--port", str(port)])
        await wait_until_ready(f"http://127.0.0.1:{port}", replica)
        return replica

    async def stop_started(self) -> None:
        for child in reversed(self._started):
            await child.stop()

    async def _start(self, name: str, args: list[str]) -> Child:
        child = await start_child(name, args, self.child_env)
        self._started.append(child)
        return child


async def wait_until_ready(api_url: str, child: Child) -> None:
    async def ready() -> None:
        async with aiohttp.ClientSession() as http:
            while child.running:
                with contextlib.suppress(aiohttp.ClientError):
                    async with http.get(f"{api_url}/readyz") as response:
                        if response.status == 200:
                            return
                await asyncio.sleep(0.1)
        raise RuntimeError(f"the {child.name} exited while starting")

    await asyncio.wait_for(ready(), READY_TIMEOUT_S)
