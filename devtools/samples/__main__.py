"""``python -m devtools.samples``: regenerate the sample screenshots and manifest."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from devtools.samples.generate import write_samples

PACKAGE_DIR = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.samples",
        description="Render the sample BO7 screenshots and their manifest (deterministic).",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=PACKAGE_DIR,
        help="directory to write into (default: the package, i.e. the committed files)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    manifest = write_samples(args.output)
    logging.getLogger(__name__).info("%d samples written to %s", len(manifest.samples), args.output)


if __name__ == "__main__":
    main()
