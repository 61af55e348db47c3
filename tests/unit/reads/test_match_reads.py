"""Finding a match to see or change, and listings scoped to what the actor may see."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.actors import Actor, NotAMember
from app.core.debriefs import DebriefFields, DebriefSource
from app.core.errors import Forbidden, NotFound
from app.core.game.rules import Mode
from app.core.reads.matches import (
    MatchQuery,
    every_match,
    find_changeable_match,
    find_visible_match,
    match_page,
    show_match,
    visible_debrief,
    visible_filter,
)
from tests.support.factories import T0
from tests.unit.debriefing.builders import fields
from tests.unit.fakes import FakeMatches
from tests.unit.reads.world import (
    ADMIN,
    AWAY,
    AWAY_ADMIN,
    HOME,
    MATE,
    MATE_ID,
    OWNER,
    OWNER_ID,
    STRANGER,
    World,
    build_world,
)
from tests.unit.wiring import packaged_catalog


@pytest.fixture
async def world() -> World:
    return await build_world()


async def test_members_of_its_server_and_its_player_see_a_match(world: World) -> None:
    for actor in (OWNER, MATE, ADMIN):
        assert await find_visible_match(world.matches, actor, world.home_match.id) == (
            world.home_match
        )
    assert await find_visible_match(world.matches, OWNER, world.owners_away_match.id) == (
        world.owners_away_match
    )


async def test_a_match_you_may_not_see_reads_exactly_like_one_that_does_not_exist(
    world: World,
) -> None:
    with pytest.raises(NotFound) as hidden:
        await find_visible_match(world.matches, STRANGER, world.home_match.id)
    with pytest.raises(NotFound) as missing:
        await find_visible_match(world.matches, STRANGER, "f" * 24)

    assert hidden.value.user_message == missing.value.user_message


async def test_an_id_pasted_with_spaces_or_capitals_still_finds_the_match(world: World) -> None:
    pasted = f"  {world.home_match.id.upper()} "

    assert (await find_visible_match(world.matches, MATE, pasted)).id == world.home_match.id


async def test_changing_needs_the_player_or_an_admin_of_the_server(world: World) -> None:
    match_id = world.home_match.id

    assert (await find_changeable_match(world.matches, OWNER, match_id)).id == match_id
    assert (await find_changeable_match(world.matches, ADMIN, match_id)).id == match_id
    with pytest.raises(Forbidden):
        await find_changeable_match(world.matches, MATE, match_id)
    # Someone who cannot even see it is told it does not exist, not that it is not theirs.
    with pytest.raises(NotFound):
        await find_changeable_match(world.matches, AWAY_ADMIN, match_id)


async def test_showing_a_match_brings_its_debrief_once_written(world: World) -> None:
    match = world.home_match

    before = await show_match(world.matches, world.debriefs, MATE, match.id)
    with pytest.raises(NotFound, match="no debrief yet"):
        await visible_debrief(world.matches, world.debriefs, MATE, match.id)
    await world.debriefs.save(
        DebriefFields(
            match_id=match.id,
            guild_id=HOME,
            user_id=OWNER_ID,
            headline="Solid",
            strengths=[],
            to_work_on=[],
            source=DebriefSource.TEMPLATE,
            created_at=T0,
        )
    )
    after = await show_match(world.matches, world.debriefs, MATE, match.id)

    assert (before.match, before.debrief) == (match, None)
    assert after.debrief is not None and after.debrief.headline == "Solid"
    with pytest.raises(NotFound):
        await show_match(world.matches, world.debriefs, STRANGER, match.id)


def test_a_listing_without_player_or_server_is_your_own_matches() -> None:
    where = visible_filter(MATE, MatchQuery(), packaged_catalog())

    assert (where.user_id, where.guild_id) == (MATE_ID, None)


def test_another_players_matches_are_listed_only_within_a_server_you_share() -> None:
    catalog = packaged_catalog()

    with pytest.raises(Forbidden):
        visible_filter(MATE, MatchQuery(user_id=OWNER_ID), catalog)
    with pytest.raises(NotAMember):
        visible_filter(MATE, MatchQuery(user_id=OWNER_ID, guild_id=AWAY), catalog)
    with pytest.raises(NotAMember):
        visible_filter(MATE, MatchQuery(guild_id=AWAY), catalog)
    shared = visible_filter(MATE, MatchQuery(user_id=OWNER_ID, guild_id=HOME), catalog)
    assert (shared.user_id, shared.guild_id) == (OWNER_ID, HOME)
    # Your own, in any server, even one you are not in.
    assert visible_filter(MATE, MatchQuery(user_id=MATE_ID, guild_id=AWAY), catalog).user_id == (
        MATE_ID
    )


def test_a_map_is_looked_up_in_the_catalog_spelling() -> None:
    query = MatchQuery(mode=Mode.HARDPOINT, map="den")

    where = visible_filter(MATE, query, packaged_catalog())

    assert (where.map, where.mode) == ("Den", Mode.HARDPOINT)


async def test_pages_and_every_match_cover_the_filter_once_newest_first() -> None:
    matches = FakeMatches()
    saved = [
        await matches.add(fields(user_id=7, played_at=T0 - timedelta(hours=i))) for i in range(7)
    ]
    await matches.add(fields(user_id=8))
    where = visible_filter(Actor(7), MatchQuery(), packaged_catalog())

    first = await match_page(matches, where, limit=4, after=None)
    second = await match_page(matches, where, limit=4, after=first.next_cursor)
    everything = [match async for match in every_match(matches, where, page_size=3)]

    assert [m.id for m in first.matches + second.matches] == [m.id for m in saved]
    assert second.next_cursor is None
    assert everything == saved
