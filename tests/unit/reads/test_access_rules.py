"""The access rules every read and change goes through, as one table."""

from __future__ import annotations

import pytest

from app.core.actors import Actor, can_change, can_see
from tests.unit.reads.world import (
    ADMIN,
    AWAY,
    AWAY_ADMIN,
    HOME,
    MATE,
    OWNER,
    OWNER_ID,
    STRANGER,
)

# (who, the match's server, may see, may change) for a match that OWNER played.
CASES = [
    (OWNER, HOME, True, True),
    (OWNER, AWAY, True, True),  # your own match, even in a server you are not in
    (MATE, HOME, True, False),  # a member looks, but does not touch
    (ADMIN, HOME, True, True),
    (STRANGER, HOME, False, False),
    (AWAY_ADMIN, HOME, False, False),  # an admin elsewhere is a stranger here
    (AWAY_ADMIN, AWAY, True, True),
    (MATE, AWAY, False, False),
]


@pytest.mark.parametrize(("actor", "guild_id", "sees", "changes"), CASES)
def test_who_may_see_and_change_a_match(
    actor: Actor, guild_id: int, sees: bool, changes: bool
) -> None:
    assert can_see(actor, owner_id=OWNER_ID, guild_id=guild_id) is sees
    assert can_change(actor, owner_id=OWNER_ID, guild_id=guild_id) is changes


def test_whoever_may_change_a_match_may_also_see_it() -> None:
    for actor, guild_id, _, _ in CASES:
        if can_change(actor, owner_id=OWNER_ID, guild_id=guild_id):
            assert can_see(actor, owner_id=OWNER_ID, guild_id=guild_id)


def test_managing_a_server_counts_as_belonging_to_it() -> None:
    assert Actor(9, admin_of=frozenset({HOME})).is_member_of(HOME)
    assert not Actor(9, admin_of=frozenset({HOME})).is_member_of(AWAY)
