"""DEVELOPMENT_CHECK_READER: a development tool's reader checks every reading, never in
production; and the `scripted` reader the development tools provide."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from app.core.ai import PreparedImage
from app.core.cross_check import CrossCheckedReader
from app.core.errors import UnreadableScreenshot
from app.shared.ai import UnconfiguredAI, open_ai
from app.shared.development_readers import NoSuchDevelopmentReader, development_check_reader
from app.shared.local_reader import LocalStatsReader, local_reader_installed
from app.shared.settings import Settings, SettingsError, load_settings
from devtools.scripted_reader import READINGS_FILE, ScriptedReader
from tests.support.factories import raw_hardpoint

SCOREBOARD = b"scoreboard bytes"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("DEBRIEF_ENV", "DEVELOPMENT_CHECK_READER", "GEMINI_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def sandbox(tmp_path: Path, reader: str | None = "scripted") -> Settings:
    return load_settings(
        debrief_env="sandbox", debrief_data_dir=tmp_path, development_check_reader=reader
    )


def image(data: bytes) -> PreparedImage:
    return PreparedImage(data, "image/png", 1, 1, hashlib.sha256(data).hexdigest())


def test_production_refuses_a_development_reader() -> None:
    with pytest.raises(SettingsError, match="DEVELOPMENT_CHECK_READER"):
        load_settings(jwt_secret="x" * 48, development_check_reader="scripted")


def test_a_name_no_development_tool_provides_fails_at_start_saying_so(tmp_path: Path) -> None:
    with pytest.raises(NoSuchDevelopmentReader, match="'ocr-of-my-dreams'"):
        development_check_reader(sandbox(tmp_path, "ocr-of-my-dreams"))


def test_unset_means_no_second_reader(tmp_path: Path) -> None:
    assert development_check_reader(sandbox(tmp_path, None)) is None


async def test_the_named_reader_checks_the_processes_primary_reader(tmp_path: Path) -> None:
    async with open_ai(sandbox(tmp_path)) as dependencies:
        reader = dependencies.stats_reader
        assert isinstance(reader, CrossCheckedReader)
        # No key: "auto" reads on this machine when the local-ai extra is installed.
        expected = LocalStatsReader if local_reader_installed() else UnconfiguredAI
        assert isinstance(reader.primary, expected)
        assert isinstance(reader.check, ScriptedReader)
        assert reader.check.readings == tmp_path / READINGS_FILE


async def test_the_scripted_reader_reads_what_its_file_says_for_a_screenshot(
    tmp_path: Path,
) -> None:
    reader = ScriptedReader(tmp_path / READINGS_FILE)
    with pytest.raises(UnreadableScreenshot):
        await reader.read_stats([image(SCOREBOARD)], None)

    stats = raw_hardpoint(kills=34)
    sha256 = hashlib.sha256(SCOREBOARD).hexdigest()
    (tmp_path / READINGS_FILE).write_text(json.dumps({sha256: stats}))

    extraction = await reader.read_stats([image(b"weapons"), image(SCOREBOARD)], None)
    assert extraction.raw_stats == stats
    with pytest.raises(UnreadableScreenshot):
        await reader.read_stats([image(b"another match")], None)


async def test_the_scripted_reader_gives_a_readings_other_rows_as_its_lobby(
    tmp_path: Path,
) -> None:
    stats = raw_hardpoint(kills=34)
    rows = [{"gamertag": "Vexx_TTV", "team": "ally", "kills": 27}]
    sha256 = hashlib.sha256(SCOREBOARD).hexdigest()
    (tmp_path / READINGS_FILE).write_text(json.dumps({sha256: {**stats, "lobby": rows}}))

    reader = ScriptedReader(tmp_path / READINGS_FILE)
    extraction = await reader.read_stats([image(SCOREBOARD)], None, with_lobby=True)

    assert extraction.raw_stats == stats
    assert extraction.lobby == tuple(rows)
    # Not asked for (nobody in the server can be captured): no other rows.
    assert (await reader.read_stats([image(SCOREBOARD)], None)).lobby == ()
