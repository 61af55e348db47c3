"""Peak memory of preparing hostile uploads, before and after the decode limits.

    python -m bench.hostile_uploads                      # against the code before the change
    python -m bench.hostile_uploads --before <commit>    # against another commit

Each figure comes from a fresh process, so nothing else is in it. "Before" runs the
`PillowImagePreparer` of the given commit (extracted with `git archive`) the way its bot ran
it: in the bot process, through `asyncio.to_thread`; the figure is the rise of that process's
peak resident size (ru_maxrss). "After" runs this tree's preparer the way the bot runs it now:
`open_ai(...).images`, which decodes in worker processes; the figures are the rise of the
worker's peak resident size over its size at fork (VmHWM, measured inside the worker) and the
rise of the bot process's own peak. "6 at once" is three users posting two such images.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from app.core.ai import PreparedImage
from app.core.errors import DomainError
from bench.common import MIB, markdown_table
from devtools.hostile_images import HostileImage, hostile_images

ROOT = Path(__file__).resolve().parents[1]
# The last commit before the decode limits and the worker processes.
BASELINE_COMMIT = "937533d"
AT_ONCE = 6
KIB = 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=BASELINE_COMMIT, help="the commit to compare with")
    options = parser.parse_args()
    images = hostile_images()
    biggest_refused, biggest_accepted = images[1], images[-2]  # both RGBA PNGs
    cases = [(image, 1) for image in images]
    cases += [(biggest_refused, AT_ONCE), (biggest_accepted, AT_ONCE)]
    with tempfile.TemporaryDirectory() as scratch:
        old_tree, uploads = Path(scratch, "before"), Path(scratch, "uploads")
        extract(options.before, old_tree)
        uploads.mkdir()
        rows = [row(image, count, old_tree, uploads) for image, count in cases]
    print(
        markdown_table(
            [
                "upload",
                "file",
                "before: bot peak +MB",
                "after: outcome",
                "after: worker peak +MB",
                "after: bot peak +MB",
            ],
            rows,
        )
    )


def row(image: HostileImage, count: int, old_tree: Path, uploads: Path) -> list[object]:
    # The measuring processes read the file: building the image would be in their figures.
    upload = uploads / f"upload.{image.mime_type.split('/')[1]}"
    upload.write_bytes(image.data)
    args = [str(upload), image.mime_type, str(count)]
    before = measure(["before", *args], tree=old_tree)
    after = measure(["after", *args], tree=ROOT)
    label = image.name if count == 1 else f"{image.name}, {count} at once"
    return [
        label,
        f"{len(image.data) / KIB:,.0f} KB",
        f"{before['bot'] / MIB:,.0f} ({before['outcome']})",
        after["outcome"],
        f"{after['worker'] / MIB:,.0f}",
        f"{after['bot'] / MIB:,.0f}",
    ]


def extract(commit: str, into: Path) -> None:
    archive = subprocess.run(
        ["git", "archive", commit, "app"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    # This module imports the image generator; older trees may not have it.
    generator = Path("devtools/hostile_images.py")
    (into / generator).write_bytes((ROOT / generator).read_bytes())


def measure(args: list[str], *, tree: Path) -> dict[str, object]:
    """Run `measure_here` in a fresh interpreter with ``tree``'s `app`; its JSON line."""
    script = (
        f"import sys; sys.path.append({str(ROOT)!r}); "
        "from bench.hostile_uploads import measure_here; measure_here(sys.argv[1:])"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=tree,  # first on sys.path: `app` is that tree's
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def measure_here(args: list[str]) -> None:
    variant, path, mime_type, count = args[0], Path(args[1]), args[2], int(args[3])
    data = path.read_bytes()
    measured = before if variant == "before" else after
    print(json.dumps(asyncio.run(measured(data, mime_type, count))))


def peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * KIB


async def before(data: bytes, mime_type: str, count: int) -> dict[str, object]:
    from app.shared.images import PillowImagePreparer  # the old tree's, first on the path

    preparer = PillowImagePreparer()
    baseline = peak_rss()
    outcomes = await asyncio.gather(
        *(asyncio.to_thread(outcome_of, preparer.prepare, data, mime_type) for _ in range(count))
    )
    return {"outcome": outcomes[0], "bot": peak_rss() - baseline}


async def after(data: bytes, mime_type: str, count: int) -> dict[str, object]:
    from app.shared.ai import open_ai
    from app.shared.image_workers import IsolatedImagePreparer
    from app.shared.images import PillowImagePreparer
    from app.shared.settings import load_settings
    from devtools.image_memory import Measured, measured_prepare

    async with open_ai(load_settings(debrief_env="sandbox")) as ai:
        workers = ai.images
        assert isinstance(workers, IsolatedImagePreparer), "the bot decodes in workers"
        run_in_worker = workers.run_in_worker
        await asyncio.to_thread(run_in_worker, os.getpid)  # start the pool first
        baseline = peak_rss()
        measured: list[Measured] = await asyncio.gather(
            *(
                asyncio.to_thread(
                    run_in_worker,
                    measured_prepare,
                    PillowImagePreparer(),
                    data,
                    mime_type,
                )
                for _ in range(count)
            )
        )
        bot = peak_rss() - baseline
    return {
        "outcome": short(measured[0].outcome),
        "worker": max(m.peak_increase for m in measured),
        "bot": bot,
    }


def outcome_of(prepare: Callable[[bytes, str], PreparedImage], data: bytes, mime_type: str) -> str:
    try:
        prepared = prepare(data, mime_type)
    except DomainError as refusal:
        return short(refusal.user_message)
    return short(f"{prepared.width}x{prepared.height}")


def short(outcome: str) -> str:
    return "refused" if not outcome[0].isdigit() else f"prepared {outcome}"


if __name__ == "__main__":
    main()
