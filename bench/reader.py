"""Accuracy and speed of the on-device scoreboard reader on generated scoreboards.

    python -m bench.reader                      # 300 scoreboards, seed 2026, one worker
    python -m bench.reader --count 50 --seed 7

Each generated match (`devtools.samples.scoreboards`: every mode, 720p to 1440p, 16:9 and
ultrawide, JPEG 40 to 95, crops and rescales, the player's row anywhere, half with a weapons
screen) goes the bot's way: prepared as the bot prepares uploads, then read by
`LocalStatsReader` with one worker of one thread (one core). Prints per-field accuracy, the
whole-match exact rate, the accuracy of the scoreboard's other rows (`Extraction.lobby`: each
row's name, team and stats), seconds per screenshot by resolution (the reader only; preparing
is timed apart) and the worker's peak memory, then every mismatch.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.ai import PreparedImage
from app.core.errors import UnreadableScreenshot
from app.core.game import validate_extraction
from app.core.game.catalog import Catalog, apply_catalog
from app.core.game.errors import InvalidMatchStats
from app.shared.catalog.loader import load_catalog
from app.shared.images import PillowImagePreparer
from app.shared.local_reader import LocalStatsReader
from bench.common import markdown_table, percentile
from devtools.samples.scoreboards import GeneratedScoreboard, generate

DEFAULT_SEED = 2026
DEFAULT_COUNT = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    options = parser.parse_args()
    asyncio.run(run(options.seed, options.count))


async def run(seed: int, count: int) -> None:
    preparer = PillowImagePreparer()
    reader = LocalStatsReader(workers=1, catalog=_catalog())
    tally = Tally()
    try:
        await _warm_up(reader, preparer)
        for generated in generate(seed, count):
            images, prepare_s = _prepared(preparer, generated)
            started, cpu_before = time.perf_counter(), _workers_cpu_s(reader)
            got: Mapping[str, Any] | None = None
            lobby: Sequence[Mapping[str, Any]] = ()
            try:
                extraction = await reader.read_stats(images, None, with_lobby=True)
                got, lobby = extraction.raw_stats, extraction.lobby
            except UnreadableScreenshot:
                pass
            timing = Timing(
                time.perf_counter() - started, _workers_cpu_s(reader) - cpu_before, prepare_s
            )
            tally.add(generated, got, timing, lobby)
        worker_peak = _worker_peak_mib(reader)
    finally:
        reader.close()
    print(tally.report(seed, worker_peak))


async def _warm_up(reader: LocalStatsReader, preparer: PillowImagePreparer) -> None:
    """The first read loads the models and warms ONNX Runtime: not what a screenshot costs."""
    warm = next(generate(-1, 1))
    images, _ = _prepared(preparer, warm)
    await reader.read_stats(images, None)


def _prepared(
    preparer: PillowImagePreparer, generated: GeneratedScoreboard
) -> tuple[list[PreparedImage], float]:
    started = time.perf_counter()
    images = [preparer.prepare(screen.data, screen.mime_type) for screen in generated.screens]
    return images, time.perf_counter() - started


@dataclass(frozen=True)
class Timing:
    read_s: float  # wall clock, on a machine that may be busy with other work
    cpu_s: float  # the worker's own CPU time: what one core spends
    prepare_s: float


def _workers_cpu_s(reader: LocalStatsReader) -> float:
    """User and system CPU time of the reader's workers so far (/proc/PID/stat)."""
    ticks = 0
    for pid in reader.worker_pids():
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _worker_peak_mib(reader: LocalStatsReader) -> float:
    """The largest peak resident size (VmHWM) among the reader's worker processes."""
    peaks = [0.0]
    for pid in reader.worker_pids():
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks)


def fields(stats: Mapping[str, Any] | None) -> dict[str, Any]:
    """Every stat as one flat field: ``player.kills``, ``weapons[1].accuracy``."""
    if stats is None:
        return {}
    flat = {key: value for key, value in stats.items() if key not in ("player", "weapons")}
    for key, value in dict(stats.get("player", {})).items():
        flat[f"player.{key}"] = value
    for index, weapon in enumerate(stats.get("weapons", [])):
        for key, value in weapon.items():
            flat[f"weapons[{index}].{key}"] = value
    return flat


def field_kind(name: str) -> str:
    """``weapons[1].accuracy`` counts as ``weapons.accuracy``."""
    if name.startswith("weapons["):
        return "weapons." + name.split(".", 1)[1]
    return name


Row = Mapping[str, Any]


def paired_rows(want: Sequence[Row], have: Sequence[Row]) -> list[tuple[Row, Row | None]]:
    """Each row shown with the row read for it: the one of the same name, else the one read
    at the same place (a misread name), else none (a row not read)."""
    by_name = {row.get("gamertag"): index for index, row in enumerate(have)}
    claimed = {by_name[row["gamertag"]] for row in want if row["gamertag"] in by_name}
    pairs: list[tuple[Row, Row | None]] = []
    for index, row in enumerate(want):
        found = by_name.get(row["gamertag"])
        if found is None and index < len(have) and index not in claimed:
            found = index
            claimed.add(index)
        pairs.append((row, None if found is None else have[found]))
    return pairs


class Tally:
    def __init__(self) -> None:
        self.right: Counter[str] = Counter()
        self.total: Counter[str] = Counter()
        self.exact = 0
        self.saved_exact = 0
        self.matches = 0
        self.validated = 0
        self.read_s: dict[str, list[float]] = defaultdict(list)
        self.cpu_s: dict[str, list[float]] = defaultdict(list)
        self.prepare_s: list[float] = []
        self.misses: list[str] = []
        self.lobby_right: Counter[str] = Counter()
        self.lobby_total: Counter[str] = Counter()
        self.lobby_rows = self.lobby_rows_exact = self.lobby_rows_extra = 0

    def add(
        self,
        generated: GeneratedScoreboard,
        got: Mapping[str, Any] | None,
        timing: Timing,
        lobby: Sequence[Row] = (),
    ) -> None:
        self._add_lobby(generated, lobby)
        self.matches += 1
        want, have = fields(generated.answer), fields(got)
        for name, value in want.items():
            self.total[field_kind(name)] += 1
            if have.get(name) == value:
                self.right[field_kind(name)] += 1
            else:
                self.misses.append(
                    f"#{generated.index} {generated.description}: {name} "
                    f"{value!r} read as {have.get(name)!r}"
                )
        extra = sorted(set(have) - set(want))
        if extra:
            self.misses.append(f"#{generated.index}: read fields not shown: {extra}")
        self.exact += int(want == have)
        saved = _as_saved(got)
        self.validated += int(saved is not None)
        self.saved_exact += int(saved is not None and saved == _as_saved(generated.answer))
        size, screens = generated.description.split()[1], len(generated.screens)
        self.read_s[size].extend([timing.read_s / screens] * screens)
        self.cpu_s[size].extend([timing.cpu_s / screens] * screens)
        self.prepare_s.append(timing.prepare_s / screens)

    def _add_lobby(self, generated: GeneratedScoreboard, lobby: Sequence[Row]) -> None:
        pairs = paired_rows(generated.lobby, lobby)
        self.lobby_rows += len(pairs)
        self.lobby_rows_extra += len(lobby) - sum(have is not None for _, have in pairs)
        where = f"#{generated.index} {generated.description}: lobby"
        for want, have in pairs:
            self.lobby_total.update(want.keys())
            if have is None:
                self.misses.append(f"{where} row of {want['gamertag']!r} not read")
                continue
            self.lobby_rows_exact += int(dict(have) == want)
            for name, value in want.items():
                if have.get(name) == value:
                    self.lobby_right[name] += 1
                else:
                    self.misses.append(
                        f"{where} {want['gamertag']}.{name} {value!r} read as {have.get(name)!r}"
                    )

    def lobby_report(self) -> str:
        right, total = sum(self.lobby_right.values()), sum(self.lobby_total.values())
        rows = [
            ["lobby field accuracy (other rows)", _share(right, total)],
            ["lobby rows exact", _share(self.lobby_rows_exact, self.lobby_rows)],
            ["rows read that the scoreboard does not show", str(self.lobby_rows_extra)],
        ]
        rows += [
            [f"lobby.{name}", _share(self.lobby_right[name], self.lobby_total[name])]
            for name in sorted(self.lobby_total)
        ]
        return markdown_table(["other players' rows", "accuracy (right/total)"], rows)

    def report(self, seed: int, worker_peak_mib: float) -> str:
        right, total = sum(self.right.values()), sum(self.total.values())
        summary = markdown_table(
            ["figure", "value"],
            [
                ["scoreboards (seed)", f"{self.matches} ({seed})"],
                ["field accuracy", f"{100 * right / total:.2f}% ({right}/{total})"],
                ["whole-match exact", f"{100 * self.exact / self.matches:.1f}%"],
                ["saved without a correction", f"{100 * self.validated / self.matches:.1f}%"],
                [
                    "saved exactly as shown (after the catalog)",
                    f"{100 * self.saved_exact / self.matches:.1f}%",
                ],
                ["preparing, s per screenshot (mean)", f"{_mean(self.prepare_s):.2f}"],
                ["reader worker's peak RSS", f"{worker_peak_mib:.0f} MiB"],
            ],
        )
        per_field = markdown_table(
            ["field", "accuracy", "right/total"],
            [
                [
                    name,
                    f"{100 * self.right[name] / self.total[name]:.2f}%",
                    f"{self.right[name]}/{self.total[name]}",
                ]
                for name in sorted(self.total)
            ],
        )
        speed = markdown_table(
            ["resolution", "screenshots", "CPU s (mean)", "CPU s (p95)", "wall s (mean)"],
            [
                [
                    size,
                    len(times),
                    f"{_mean(self.cpu_s[size]):.2f}",
                    f"{percentile(self.cpu_s[size], 95):.2f}",
                    f"{_mean(times):.2f}",
                ]
                for size, times in sorted(self.read_s.items(), key=_pixels)
            ],
        )
        misses = "\n".join(self.misses) or "(none)"
        lobby = self.lobby_report()
        return f"{summary}\n\n{per_field}\n\n{lobby}\n\n{speed}\n\nMismatches:\n{misses}"


def _as_saved(stats: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """What Debrief saves from these raw stats: validated, names as the catalog spells them
    (it files "XR-3 lon" under "XR-3 Ion", "CODA9" under "CODA 9"); None if refused."""
    if stats is None:
        return None
    try:
        saved, _ = apply_catalog(validate_extraction(stats), _catalog())
    except InvalidMatchStats:
        return None
    return saved.to_raw()


@functools.cache
def _catalog() -> Catalog:
    return load_catalog()


def _share(right: int, total: int) -> str:
    return f"{100 * right / total:.2f}% ({right}/{total})" if total else "n/a (0/0)"


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _pixels(item: tuple[str, list[float]]) -> int:
    width, height = item[0].split("x")
    return int(width) * int(height)


if __name__ == "__main__":
    main()
