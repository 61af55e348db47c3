"""A second reader for the sandbox and the tests: it reads what a file says it reads.

Named `scripted` (DEVELOPMENT_CHECK_READER=scripted), it checks every screenshot reading the
way the local reader will, so a disagreement between two readers can be shown on demand:
write the raw stats it should read into ``$DEBRIEF_DATA_DIR/scripted_readings.json``, by the
SHA-256 of the screenshot as uploaded::

    {"552d3bc5…": {"mode": "hardpoint", "map": "Den", ..., "player": {"kills": 34, ...}}}

A reading may list the scoreboard's other rows under "lobby" (``[{"gamertag": "Vexx_TTV",
"team": "ally", "kills": 27, ...}]``): they come back in `Extraction.lobby`, as a real
reader's do, and the rest is the raw stats.

The file is read on every call, so a test can change it between two uploads. A screenshot the
file does not name is unreadable to it, as a scoreboard would be to a real reader.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from app.core.ai import AIUsage, Extraction, PreparedImage, StatsReader
from app.core.errors import UnreadableScreenshot
from app.shared.settings import Settings

READINGS_FILE = "scripted_readings.json"
MODEL = "scripted"


class ScriptedReader(StatsReader):
    def __init__(self, readings: Path) -> None:
        self.readings = readings

    async def read_stats(
        self,
        images: Sequence[PreparedImage],
        note: str | None,
        known_gamertags: Sequence[str] = (),
        *,
        with_lobby: bool = False,
    ) -> Extraction:
        readings = await asyncio.to_thread(self._load)
        for image in images:
            reading = readings.get(image.source_sha256)
            if reading is not None:
                stats = {key: value for key, value in reading.items() if key != "lobby"}
                lobby = tuple(reading.get("lobby", ())) if with_lobby else ()
                return Extraction(raw_stats=stats, usage=AIUsage(model=MODEL), lobby=lobby)
        raise UnreadableScreenshot

    def _load(self) -> Mapping[str, Mapping[str, Any]]:
        if not self.readings.exists():
            return {}
        loaded: Mapping[str, Mapping[str, Any]] = json.loads(self.readings.read_text())
        return loaded


def scripted_reader(settings: Settings) -> ScriptedReader:
    """The entry point (debrief.development_readers): the readings in this process's data."""
    return ScriptedReader(settings.debrief_data_dir / READINGS_FILE)
