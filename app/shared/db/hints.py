"""Whether queries name their index (`hint`), decided once per process from the server.

On MongoDB a hint only picks the plan, so every repository query names the index it is
written for. On SecantusDB (the embedded default) a hinted read walks the *whole* hinted index
and decodes every document under the server's global lock, whatever the filter says; its own
planner, without a hint, turns an equality prefix plus one range into a bounded index scan.
So on SecantusDB no query carries a hint, and the queries are shaped for its planner (see
docs/decisions/0005-hints-per-backend.md).

The choice is process-wide, like Beanie's binding of the documents to one database.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any


class Backend(Enum):
    MONGODB = "mongodb"
    SECANTUS = "secantus"

    @property
    def uses_hints(self) -> bool:
        return self is Backend.MONGODB

    @property
    def bounds_several_ranges(self) -> bool:
        """Whether the planner bounds a filter with more than one non-equality clause: a rooted
        `$or` of indexed branches, or an `$in` beside a range.

        SecantusDB bounds an equality prefix plus one range; it scans the whole collection for a
        rooted `$or`, and for an `$in` beside a range it bounds only the first equality.
        """
        return self is Backend.MONGODB

    @property
    def pushes_limit_down(self) -> bool:
        """Whether a sorted, limited find reads only as far as its limit.

        SecantusDB reads and sorts every document its index bounds cover, then cuts the limit,
        so a listing there is asked for a `played_at` window at a time.
        """
        return self is Backend.MONGODB


def backend_of(build_info: Mapping[str, Any]) -> Backend:
    """SecantusDB answers `buildInfo` with its own `secantusVersion` beside MongoDB's version."""
    return Backend.SECANTUS if "secantusVersion" in build_info else Backend.MONGODB


class _Current:
    # MongoDB until a connection says otherwise: the safe default for an unknown server.
    backend = Backend.MONGODB


def use_backend(backend: Backend) -> None:
    _Current.backend = backend


def current_backend() -> Backend:
    return _Current.backend


def index_hint(name: str) -> dict[str, Any]:
    """Keyword arguments naming the index, for a query's `**`: empty where hints hurt."""
    return {"hint": name} if _Current.backend.uses_hints else {}
