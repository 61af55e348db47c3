"""Debrief: Black Ops 7 match stats and AI debriefs for Discord squads."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("debrief")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+local"
