"""Base types for what travels on the bus.

Commands are imperatives with exactly one handler; events are facts in the past tense with any
number of subscribers. Both are frozen so a handler can never change what another one sees.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Command:
    """Something the caller wants done; its handler's result or error goes back to the caller."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Something that happened; subscribers react independently of one another."""


Message = Command | Event
