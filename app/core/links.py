"""Linked gamertags: which on-screen names are a member's, one owner per name per server.

The reader looks for the player's row by these names before it falls back to the highlighted
row, so a screenshot taken from a squadmate's console or a spectator view still reads the
uploader's own line.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from app.core.errors import Conflict, DomainError, NotFound
from app.core.i18n import N_, _

# Enough for a main account, a smurf and a couple of renames; more is someone else's name.
MAX_LINKS_PER_MEMBER = 5
# Call of Duty names are at most 16 characters, plus a #1234567 Activision suffix.
MAX_GAMERTAG_LENGTH = 32


class RowFoundBy(StrEnum):
    """How the reader found the player's row on the scoreboard."""

    LINKED_NAME = "linked_name"
    HIGHLIGHT = "highlight"


class GamertagLink(BaseModel):
    model_config = ConfigDict(frozen=True)

    guild_id: int
    user_id: int
    # As the member typed it (trimmed), for display and for the reader.
    gamertag: str
    # `normalise_gamertag(gamertag)`: the unique key within the server.
    key: str
    linked_at: datetime
    # The admin who assigned it to someone else, if one did.
    linked_by: int | None = None
    # The member's opt-in (/link auto_record:True): a squad mate's upload showing this name
    # records the match for them too (`app/core/squad.py`).
    auto_record: bool = False


class InvalidGamertag(DomainError):
    user_message = N_("A gamertag is 1-{max} characters of text, as it shows on the scoreboard.")
    user_message_params = {"max": MAX_GAMERTAG_LENGTH}


class GamertagTaken(Conflict):
    def __init__(self, owner_id: int, gamertag: str) -> None:
        super().__init__(
            _(
                "That name is linked to <@{owner}>; a server admin can move it with "
                "/link gamertag:{gamertag} member:@you.",
                owner=owner_id,
                gamertag=gamertag,
            )
        )
        self.owner_id = owner_id


class TooManyLinks(Conflict):
    user_message = N_("You already have {count} linked names here; /unlink one first.")
    user_message_params = {"count": MAX_LINKS_PER_MEMBER}


class LinksChanging(Conflict):
    user_message = N_("Those linked names kept changing while this one was linked; try again.")


class NotLinked(NotFound):
    user_message = N_("That name is not linked to you in this server.")


def normalise_gamertag(name: str) -> str:
    """The key two spellings of one name share: "Ghost " and "ghost" are one name."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


def clean_gamertag(name: str) -> str:
    """The name as stored and shown: trimmed, or InvalidGamertag when it cannot be one."""
    cleaned = unicodedata.normalize("NFKC", name).strip()
    if not cleaned or len(cleaned) > MAX_GAMERTAG_LENGTH:
        raise InvalidGamertag
    if any(unicodedata.category(char).startswith("C") for char in cleaned):
        raise InvalidGamertag  # control or invisible characters: never on a scoreboard
    return cleaned


def row_found_by(player_gamertag: str | None, known: Iterable[str]) -> RowFoundBy | None:
    """Which way the player's row was found; None when the member has no linked name."""
    keys = {normalise_gamertag(name) for name in known}
    if not keys:
        return None
    if player_gamertag is not None and normalise_gamertag(player_gamertag) in keys:
        return RowFoundBy.LINKED_NAME
    return RowFoundBy.HIGHLIGHT
