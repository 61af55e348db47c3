"""Every request the emulator answered, for tests that count calls, retries and 429s."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str  # as requested, e.g. /api/v10/channels/1/messages
    template: str | None  # e.g. /channels/{channel_id}/messages
    status: int
    at: float  # emulator clock, Unix seconds
    duration: float


class RequestLog:
    def __init__(self) -> None:
        self._entries: list[LoggedRequest] = []

    def record(self, entry: LoggedRequest) -> None:
        self._entries.append(entry)

    @property
    def entries(self) -> list[LoggedRequest]:
        return list(self._entries)

    def matching(
        self, method: str | None = None, path: str | None = None, status: int | None = None
    ) -> list[LoggedRequest]:
        """Entries filtered by method, path (a template or a glob on the path) and status."""
        return [
            entry
            for entry in self._entries
            if (method is None or entry.method == method.upper())
            and (path is None or path_matches(path, entry.path, entry.template))
            and (status is None or entry.status == status)
        ]

    def count(
        self, method: str | None = None, path: str | None = None, status: int | None = None
    ) -> int:
        return len(self.matching(method, path, status))

    def clear(self) -> None:
        self._entries.clear()


def path_matches(pattern: str, path: str, template: str | None) -> bool:
    """`pattern` names a route by its template or globs the path, with or without /api/v10."""
    if pattern == template:
        return True
    return fnmatchcase(path, pattern) or fnmatchcase(path.removeprefix("/api/v10"), pattern)
