"""A logged match: who played it, where it was posted, and its validated stats."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.core.errors import DomainError
from app.core.game.catalog import CatalogFlag
from app.core.game.disagreements import ReaderFlag
from app.core.game.lobby import MAX_LOBBY_ROWS
from app.core.game.metrics import kd_ratio
from app.core.game.modes import MatchStats, Mode
from app.core.i18n import N_
from app.core.links import RowFoundBy


class MatchSource(StrEnum):
    AI = "ai"
    MANUAL = "manual"
    # Recorded for a squad mate from the row they had on another member's scoreboard
    # (`app/core/squad.py`); `captured_from` names that upload.
    CAPTURED = "captured"


class CapturedFrom(BaseModel):
    """The upload a captured match was read from: its match and the member who uploaded it."""

    model_config = ConfigDict(frozen=True)

    match_id: str
    user_id: int


class MatchFields(BaseModel):
    """Everything stored about a match except its identity."""

    model_config = ConfigDict(frozen=True)

    guild_id: int
    channel_id: int
    user_id: int
    # One Discord interaction produces at most one match (a unique index enforces it).
    interaction_id: int
    stats: MatchStats
    source: MatchSource
    screenshot_hashes: list[str] = Field(default_factory=list, max_length=2)
    catalog_flags: list[CatalogFlag] = Field(default_factory=list)
    # Where a checking reader read the screenshots differently; settled by a correction.
    reader_flags: list[ReaderFlag] = Field(default_factory=list)
    note: str | None = Field(default=None, max_length=200)
    played_at: datetime
    created_at: datetime
    updated_at: datetime
    corrected: bool = False
    # How the reader found the player's row: by a name the player linked, or the highlight.
    # None: the player had no linked name, or the match was entered by hand.
    row_found_by: RowFoundBy | None = None
    # Set on a match recorded from a squad mate's upload (source "captured"), never otherwise.
    captured_from: CapturedFrom | None = None
    # Set on an upload whose scoreboard has valid rows of other players, in the same insert as
    # the match, and cleared once the squad's captures are done: a process dying in between
    # leaves the marker, and the capture sweeper finishes the job (`app/core/handlers/squad.py`).
    capture_pending: bool = False
    # Those rows, validated (`app/core/game/lobby.py` `storable_rows`), kept while pending.
    pending_lobby: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_LOBBY_ROWS)


class Match(MatchFields):
    id: str


class MatchFilter(BaseModel):
    """Which matches a listing covers. At least one of guild or user scopes every query."""

    model_config = ConfigDict(frozen=True)

    guild_id: int | None = None
    user_id: int | None = None
    mode: Mode | None = None
    map: str | None = None
    played_from: datetime | None = None
    played_until: datetime | None = None


class PageCursor(BaseModel):
    """Position after the last match of a page, in (played_at, id) descending order.

    Both keys are needed: several matches can share a played_at, and the id breaks the tie
    so that no match is skipped or repeated between pages.
    """

    model_config = ConfigDict(frozen=True)

    played_at: datetime
    match_id: str
    # Whether the next match (when the page was read) shared this one's time: if not, the next
    # page need not look for more matches at that time. Unknown (an older cursor): look.
    tied: bool = True

    def encode(self) -> str:
        fields = {"t": self.played_at.isoformat(), "id": self.match_id}
        raw = json.dumps(fields if self.tied else {**fields, "tied": False})
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> PageCursor:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            data = json.loads(raw)
            return cls(
                played_at=datetime.fromisoformat(data["t"]),
                match_id=str(data["id"]),
                tied=data.get("tied") is not False,
            )
        except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise InvalidCursor from None


class InvalidCursor(DomainError):
    user_message = N_("That page link is invalid or has expired; start again from the first page.")


class MatchPage(BaseModel):
    model_config = ConfigDict(frozen=True)

    matches: list[Match]
    next_cursor: PageCursor | None


class MatchTotals(BaseModel):
    """What a listing adds up to: its matches, results and kills, for /history's summary."""

    model_config = ConfigDict(frozen=True)

    matches: int = 0
    wins: int = 0
    losses: int = 0
    draws: int = 0
    kills: int = 0
    deaths: int = 0

    @property
    def win_rate(self) -> float | None:
        """The share of matches won, 0 to 1; None without matches."""
        return self.wins / self.matches if self.matches else None

    @property
    def kd(self) -> float | None:
        return kd_ratio(self.kills, self.deaths) if self.matches else None
