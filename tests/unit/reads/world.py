"""Two servers and their people, over in-memory repositories, for the read-layer tests.

HOME: OWNER plays there, MATE is a plain member, ADMIN holds Manage Server.
AWAY: STRANGER plays there; none of the above is a member (but OWNER has a match there too).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.actors import Actor
from app.core.matches import Match
from tests.unit.debriefing.builders import fields
from tests.unit.fakes import FakeDebriefs, FakeMatches

HOME, AWAY = 111, 222
OWNER_ID, MATE_ID, ADMIN_ID, STRANGER_ID = 1, 2, 3, 4

OWNER = Actor(OWNER_ID, member_of=frozenset({HOME}))
MATE = Actor(MATE_ID, member_of=frozenset({HOME}))
ADMIN = Actor(ADMIN_ID, admin_of=frozenset({HOME}), member_of=frozenset({HOME}))
STRANGER = Actor(STRANGER_ID, member_of=frozenset({AWAY}))
AWAY_ADMIN = Actor(5, admin_of=frozenset({AWAY}), member_of=frozenset({AWAY}))


@dataclass
class World:
    matches: FakeMatches
    debriefs: FakeDebriefs
    home_match: Match  # OWNER's, in HOME
    owners_away_match: Match  # OWNER's, in AWAY, where OWNER is not (or no longer) a member
    strangers_match: Match  # STRANGER's, in AWAY


async def build_world() -> World:
    matches = FakeMatches()
    return World(
        matches=matches,
        debriefs=FakeDebriefs(),
        home_match=await matches.add(fields(guild_id=HOME, user_id=OWNER_ID)),
        owners_away_match=await matches.add(fields(guild_id=AWAY, user_id=OWNER_ID)),
        strangers_match=await matches.add(fields(guild_id=AWAY, user_id=STRANGER_ID)),
    )
