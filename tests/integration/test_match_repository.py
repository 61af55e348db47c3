"""The match repository against the real MongoDB wire server."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from app.core.errors import DuplicateMatch
from app.core.game.modes import MatchStats, Mode
from app.core.matches import MatchFilter, MatchSource
from app.shared.db.connection import Database
from app.shared.db.repositories import BeanieMatchRepository
from tests.support.factories import T0, match_fields, raw_hardpoint, raw_search_and_destroy


@pytest.fixture
def matches(database: Database) -> BeanieMatchRepository:
    return BeanieMatchRepository()


async def test_add_then_get_round_trips_every_field(matches: BeanieMatchRepository) -> None:
    fields = match_fields(note="clutch 1v3", catalog_flags=[])
    saved = await matches.add(fields)

    loaded = await matches.get(saved.id)

    assert loaded == saved
    assert loaded.model_dump(exclude={"id"}) == fields.model_dump()
    assert loaded.stats.mode is Mode.HARDPOINT


async def test_get_with_unknown_or_malformed_id_is_none(matches: BeanieMatchRepository) -> None:
    assert await matches.get("0123456789abcdef01234567") is None
    assert await matches.get("not-an-id") is None


async def test_a_replayed_interaction_cannot_create_a_second_match(
    matches: BeanieMatchRepository,
) -> None:
    first = await matches.add(match_fields(interaction_id=42))

    with pytest.raises(DuplicateMatch) as raised:
        await matches.add(match_fields(interaction_id=42))

    assert raised.value.existing_match_id == first.id
    page = await matches.page(MatchFilter(user_id=333), limit=10)
    assert [m.id for m in page.matches] == [first.id]


async def test_concurrent_replays_of_one_interaction_save_exactly_one(
    matches: BeanieMatchRepository,
) -> None:
    outcomes = await asyncio.gather(
        *(matches.add(match_fields(interaction_id=77)) for _ in range(5)), return_exceptions=True
    )

    saved = [o for o in outcomes if not isinstance(o, BaseException)]
    assert len(saved) == 1
    assert all(isinstance(o, DuplicateMatch) for o in outcomes if o not in saved)


async def test_a_reuploaded_screenshot_is_refused_for_the_same_player(
    matches: BeanieMatchRepository,
) -> None:
    first = await matches.add(match_fields(screenshot_hashes=["a", "b"]))

    with pytest.raises(DuplicateMatch) as raised:
        await matches.add(match_fields(screenshot_hashes=["b"]))

    assert raised.value.existing_match_id == first.id
    assert (await matches.find_by_screenshots(333, ["zzz", "a"])) == first
    # Another player may post the same scoreboard: it shows both of them.
    await matches.add(match_fields(user_id=999, screenshot_hashes=["b"]))


async def test_manual_matches_have_no_screenshots_and_never_collide(
    matches: BeanieMatchRepository,
) -> None:
    for _ in range(3):
        await matches.add(match_fields(source=MatchSource.MANUAL, screenshot_hashes=[]))

    assert await matches.find_by_screenshots(333, []) is None
    assert len((await matches.page(MatchFilter(user_id=333), limit=10)).matches) == 3


async def test_find_by_interaction(matches: BeanieMatchRepository) -> None:
    saved = await matches.add(match_fields(interaction_id=9))

    assert await matches.find_by_interaction(9) == saved
    assert await matches.find_by_interaction(10) is None


async def test_pages_cover_every_match_once_even_with_equal_times(
    matches: BeanieMatchRepository,
) -> None:
    # Groups of matches share a played_at, the case where a time-only cursor loses rows.
    times = [T0 - timedelta(hours=i // 3) for i in range(11)]
    saved = [await matches.add(match_fields(played_at=t)) for t in times]

    seen, cursor = [], None
    while True:
        page = await matches.page(MatchFilter(guild_id=111), limit=4, after=cursor)
        seen.extend(page.matches)
        cursor = page.next_cursor
        if cursor is None:
            break

    assert sorted(m.id for m in seen) == sorted(m.id for m in saved)
    assert len({m.id for m in seen}) == len(seen)
    order = [(m.played_at, m.id) for m in seen]
    assert order == sorted(order, reverse=True)


async def test_page_order_is_stable_across_new_inserts(matches: BeanieMatchRepository) -> None:
    for i in range(6):
        await matches.add(match_fields(played_at=T0 - timedelta(minutes=i)))
    first = await matches.page(MatchFilter(user_id=333), limit=3)

    await matches.add(match_fields(played_at=T0 + timedelta(hours=1)))
    second = await matches.page(MatchFilter(user_id=333), limit=3, after=first.next_cursor)

    assert not {m.id for m in first.matches} & {m.id for m in second.matches}
    assert len(second.matches) == 3
    assert second.next_cursor is None


async def test_filters_by_scope_mode_map_and_dates(matches: BeanieMatchRepository) -> None:
    hp = await matches.add(match_fields(played_at=T0))
    snd = await matches.add(
        match_fields(played_at=T0 - timedelta(days=2), raw_stats=raw_search_and_destroy())
    )
    other_guild = await matches.add(match_fields(guild_id=5, played_at=T0))
    other_user = await matches.add(match_fields(user_id=5, played_at=T0))

    async def ids(where: MatchFilter) -> set[str]:
        return {m.id for m in (await matches.page(where, limit=50)).matches}

    assert await ids(MatchFilter(guild_id=111)) == {hp.id, snd.id, other_user.id}
    assert await ids(MatchFilter(user_id=333)) == {hp.id, snd.id, other_guild.id}
    assert await ids(MatchFilter(guild_id=111, user_id=333)) == {hp.id, snd.id}
    assert await ids(MatchFilter(user_id=333, mode=Mode.SEARCH_AND_DESTROY)) == {snd.id}
    assert await ids(MatchFilter(guild_id=111, mode=Mode.HARDPOINT)) == {hp.id, other_user.id}
    assert await ids(MatchFilter(guild_id=111, user_id=333, map="Scar")) == {snd.id}
    assert await ids(
        MatchFilter(
            user_id=333, played_from=T0 - timedelta(days=1), played_until=T0 + timedelta(seconds=1)
        )
    ) == {hp.id, other_guild.id}


async def test_an_unscoped_listing_is_refused(matches: BeanieMatchRepository) -> None:
    with pytest.raises(ValueError, match="scoped"):
        await matches.page(MatchFilter(mode=Mode.HARDPOINT), limit=10)


async def test_correct_replaces_stats_and_marks_corrected(matches: BeanieMatchRepository) -> None:
    saved = await matches.add(match_fields())
    fixed = MatchStats.model_validate(raw_hardpoint(kills=40))

    corrected = await matches.correct(saved.id, fixed, [], T0 + timedelta(hours=1), reader_flags=[])

    assert corrected is not None and corrected.corrected
    assert corrected.stats.player.kills == 40
    assert corrected.updated_at == T0 + timedelta(hours=1)
    assert await matches.get(saved.id) == corrected
    assert await matches.correct("0123456789abcdef01234567", fixed, [], T0, reader_flags=[]) is None


async def test_delete(matches: BeanieMatchRepository) -> None:
    saved = await matches.add(match_fields())

    assert await matches.delete(saved.id) is True
    assert await matches.delete(saved.id) is False
    assert await matches.delete("garbage") is False
    assert await matches.get(saved.id) is None


@pytest.mark.parametrize(
    "where",
    [
        MatchFilter(guild_id=111),
        MatchFilter(user_id=333),
        MatchFilter(guild_id=111, user_id=333),
        MatchFilter(user_id=333, mode=Mode.HARDPOINT),
        MatchFilter(guild_id=111, mode=Mode.HARDPOINT),
        MatchFilter(guild_id=111, user_id=333, mode=Mode.HARDPOINT),
        # Starts exactly at a group of equal times: those matches are in the period.
        MatchFilter(user_id=333, played_from=T0 - timedelta(hours=2), played_until=T0),
    ],
)
async def test_every_scope_pages_through_equal_times_once_in_order(
    matches: BeanieMatchRepository, where: MatchFilter
) -> None:
    saved = [
        await matches.add(match_fields(played_at=T0 - timedelta(hours=i // 3))) for i in range(11)
    ]
    expected = [
        m
        for m in saved
        if (where.played_from is None or m.played_at >= where.played_from)
        and (where.played_until is None or m.played_at < where.played_until)
    ]

    seen, cursor = [], None
    while True:
        page = await matches.page(where, limit=2, after=cursor)
        seen.extend(page.matches)
        if (cursor := page.next_cursor) is None:
            break

    assert sorted(m.id for m in seen) == sorted(m.id for m in expected)
    order = [(m.played_at, m.id) for m in seen]
    assert order == sorted(order, reverse=True) and len(set(order)) == len(order)
