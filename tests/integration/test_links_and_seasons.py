"""Linked gamertags and seasons on the real database: the unique indexes decide under a race,
and a replayed season start leaves one season."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest

from app.core.actors import Actor
from app.core.bus import MessageBus
from app.core.commands import LinkGamertag, StartSeason, UnlinkGamertag
from app.core.game.metrics import Stat
from app.core.links import MAX_LINKS_PER_MEMBER, GamertagLink, GamertagTaken, TooManyLinks
from app.core.seasons import SeasonRace
from app.shared.db.connection import Database
from app.shared.db.documents import GamertagLinkDocument
from tests.support.factories import T0, match_fields, raw_hardpoint
from tests.unit.fakes import FrozenClock
from tests.unit.wiring import fake_bus, packaged_catalog

GUILD = 70
ALEX = Actor(1, member_of=frozenset({GUILD}))
BLAKE = Actor(2, member_of=frozenset({GUILD}))
ADMIN = Actor(3, admin_of=frozenset({GUILD}))
OTHER_ADMIN = Actor(4, admin_of=frozenset({GUILD}))


def bus_on(database: Database, clock: FrozenClock | None = None) -> MessageBus:
    deps = replace(database.dependencies(packaged_catalog()), clock=clock or FrozenClock())
    return fake_bus(deps)


async def test_two_members_racing_for_one_name_leave_exactly_one_owner(
    database: Database,
) -> None:
    bus = bus_on(database)

    outcomes = await asyncio.gather(
        bus.handle(LinkGamertag(guild_id=GUILD, actor=ALEX, gamertag="Ghost")),
        bus.handle(LinkGamertag(guild_id=GUILD, actor=BLAKE, gamertag="ghost ")),
        return_exceptions=True,
    )

    refused = [o for o in outcomes if isinstance(o, GamertagTaken)]
    won = [o for o in outcomes if not isinstance(o, BaseException)]
    assert (len(won), len(refused)) == (1, 1)
    links = database.dependencies(packaged_catalog()).gamertag_links
    owner = await links.owner_of(GUILD, "ghost")
    assert owner is not None and owner.user_id == won[0].user_id == refused[0].owner_id
    loser = BLAKE if owner.user_id == ALEX.user_id else ALEX
    assert await links.of_member(GUILD, loser.user_id) == []


async def test_an_admin_moves_a_name_and_its_owner_can_no_longer_unlink_it(
    database: Database,
) -> None:
    bus = bus_on(database)
    await bus.handle(LinkGamertag(guild_id=GUILD, actor=ALEX, gamertag="Ghost"))

    await bus.handle(LinkGamertag(guild_id=GUILD, actor=ADMIN, gamertag="GHOST", member_id=2))

    links = database.dependencies(packaged_catalog()).gamertag_links
    assert [link.gamertag for link in await links.of_member(GUILD, BLAKE.user_id)] == ["GHOST"]
    assert await links.of_member(GUILD, ALEX.user_id) == []
    with pytest.raises(Exception, match="not linked to you"):
        await bus.handle(UnlinkGamertag(guild_id=GUILD, actor=ALEX, gamertag="ghost"))


async def connections_for(database: Database, racers: int) -> None:
    """Open a connection for each racer first: racers that each wait for a new connection
    would reach the database one after another, and the race would not be run."""
    links = database.dependencies(packaged_catalog()).gamertag_links
    await asyncio.gather(*(links.of_member(GUILD, 99) for _ in range(racers)))


async def test_racing_links_of_one_member_never_exceed_the_cap(database: Database) -> None:
    bus = bus_on(database)
    for name in ("Main", "Smurf", "Old"):
        await bus.handle(LinkGamertag(guild_id=GUILD, actor=ALEX, gamertag=name))
    await connections_for(database, 6)

    outcomes = await asyncio.gather(
        *(
            bus.handle(LinkGamertag(guild_id=GUILD, actor=ALEX, gamertag=f"Alt{i}"))
            for i in range(6)
        ),
        return_exceptions=True,
    )

    won = [o for o in outcomes if isinstance(o, GamertagLink)]
    refused = [o for o in outcomes if isinstance(o, TooManyLinks)]
    assert (len(won), len(refused)) == (MAX_LINKS_PER_MEMBER - 3, 6 - (MAX_LINKS_PER_MEMBER - 3))
    links = database.dependencies(packaged_catalog()).gamertag_links
    held = await links.of_member(GUILD, ALEX.user_id)
    assert len(held) == MAX_LINKS_PER_MEMBER
    assert {link.key for link in won} <= {link.key for link in held}


async def test_racing_admins_moving_names_to_one_member_never_exceed_the_cap(
    database: Database,
) -> None:
    bus = bus_on(database)
    for i in range(6):  # other members' names, each to be moved to Alex
        owner = BLAKE if i < MAX_LINKS_PER_MEMBER else ADMIN
        await bus.handle(LinkGamertag(guild_id=GUILD, actor=owner, gamertag=f"Tag{i}"))
    await bus.handle(LinkGamertag(guild_id=GUILD, actor=ALEX, gamertag="Main"))
    await connections_for(database, 6)

    outcomes = await asyncio.gather(
        *(
            bus.handle(LinkGamertag(guild_id=GUILD, actor=admin, gamertag=f"Tag{i}", member_id=1))
            for i, admin in enumerate([ADMIN, OTHER_ADMIN] * 3)
        ),
        return_exceptions=True,
    )

    assert sum(isinstance(o, GamertagLink) for o in outcomes) == MAX_LINKS_PER_MEMBER - 1
    assert all(isinstance(o, GamertagLink | TooManyLinks) for o in outcomes), outcomes
    links = database.dependencies(packaged_catalog()).gamertag_links
    assert len(await links.of_member(GUILD, ALEX.user_id)) == MAX_LINKS_PER_MEMBER
    others = await links.of_member(GUILD, BLAKE.user_id) + await links.of_member(GUILD, 3)
    assert len(others) == 6 - (MAX_LINKS_PER_MEMBER - 1), "the names not moved stay theirs"


async def test_names_linked_before_slots_count_against_the_cap(database: Database) -> None:
    # As stored before the cap had slots: no slot field at all.
    for i in range(3):
        legacy = GamertagLink(
            guild_id=GUILD, user_id=ALEX.user_id, gamertag=f"Old{i}", key=f"old{i}", linked_at=T0
        )
        await GamertagLinkDocument.get_pymongo_collection().insert_one(legacy.model_dump())
    bus = bus_on(database)
    await connections_for(database, 4)

    outcomes = await asyncio.gather(
        *(
            bus.handle(LinkGamertag(guild_id=GUILD, actor=ALEX, gamertag=f"New{i}"))
            for i in range(4)
        ),
        return_exceptions=True,
    )

    assert sum(isinstance(o, GamertagLink) for o in outcomes) == MAX_LINKS_PER_MEMBER - 3
    links = database.dependencies(packaged_catalog()).gamertag_links
    held = await links.of_member(GUILD, ALEX.user_id)
    assert len(held) == MAX_LINKS_PER_MEMBER
    # An old name unlinked frees its room; moved to another member, it takes a slot there.
    await bus.handle(UnlinkGamertag(guild_id=GUILD, actor=ALEX, gamertag="Old0"))
    await bus.handle(LinkGamertag(guild_id=GUILD, actor=ADMIN, gamertag="Old1", member_id=2))
    await bus.handle(LinkGamertag(guild_id=GUILD, actor=ALEX, gamertag="New9"))
    await bus.handle(LinkGamertag(guild_id=GUILD, actor=ALEX, gamertag="New8"))
    with pytest.raises(TooManyLinks):
        await bus.handle(LinkGamertag(guild_id=GUILD, actor=ALEX, gamertag="New7"))


async def test_a_replayed_season_start_writes_one_season_with_the_top_three(
    database: Database,
) -> None:
    deps = database.dependencies(packaged_catalog())
    for user, kills in ((1, 40), (2, 35), (3, 30), (4, 28)):
        for i in range(3):
            await deps.matches.add(
                match_fields(
                    guild_id=GUILD,
                    user_id=user,
                    raw_stats=raw_hardpoint(kills=kills, deaths=10),
                    played_at=T0 - timedelta(days=1, minutes=i),
                    screenshot_hashes=[f"h{user}-{i}"],
                )
            )
    bus = bus_on(database, FrozenClock(T0))
    start = StartSeason(guild_id=GUILD, actor=ADMIN, name="Spring", idempotency_key="i:1")

    first, replayed = await asyncio.gather(bus.handle(start), bus.handle(start))

    assert first == replayed
    assert await deps.seasons.all_of(GUILD) == [first]
    kd = next(p for p in first.ended.podiums if p.stat is Stat.KD)
    assert [(p.user_id, p.value) for p in kd.places] == [(1, 4.0), (2, 3.5), (3, 3.0)]
    assert await deps.seasons.current(GUILD) == first


async def test_two_admins_starting_seasons_at_once_start_one(database: Database) -> None:
    bus = bus_on(database)

    outcomes = await asyncio.gather(
        bus.handle(StartSeason(guild_id=GUILD, actor=ADMIN, name="A", idempotency_key="i:1")),
        bus.handle(StartSeason(guild_id=GUILD, actor=OTHER_ADMIN, name="B", idempotency_key="i:2")),
        return_exceptions=True,
    )

    assert sorted(type(o).__name__ for o in outcomes) == ["Season", SeasonRace.__name__]
    seasons = await database.dependencies(packaged_catalog()).seasons.all_of(GUILD)
    assert [s.name for s in seasons] == [
        next(o for o in outcomes if not isinstance(o, BaseException)).name
    ]
