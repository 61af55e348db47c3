"""Readers the development tools add, by name, to check every screenshot reading.

The product never imports the development tools (devtools/): they register their readers
under an entry point group, as they register their commands (`debrief sandbox`), and
DEVELOPMENT_CHECK_READER names one. Settings refuse it in production.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points

from app.core.ai import StatsReader
from app.shared.settings import Settings

DEVELOPMENT_READERS = "debrief.development_readers"

ReaderFactory = Callable[[Settings], StatsReader]


class NoSuchDevelopmentReader(RuntimeError):
    """DEVELOPMENT_CHECK_READER names a reader no installed development tool provides."""


def development_check_reader(settings: Settings) -> StatsReader | None:
    """The reader DEVELOPMENT_CHECK_READER names, built; None when it is unset."""
    name = settings.development_check_reader
    if name is None:
        return None
    for entry in entry_points(group=DEVELOPMENT_READERS, name=name):
        factory: ReaderFactory = entry.load()
        return factory(settings)
    raise NoSuchDevelopmentReader(
        f"DEVELOPMENT_CHECK_READER={name!r}: no installed development tool provides a reader "
        "by that name (install them with `pip install -e ./devtools`)"
    )
