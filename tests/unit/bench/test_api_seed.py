"""The API benchmark's synthetic community: valid for the app, deterministic, skewed."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from statistics import median

import pytest
from bson import ObjectId

from app.core.game.modes import MatchStats, Mode
from app.core.matches import PageCursor
from bench.api_database import Seeded
from bench.api_seed import HISTORY_DAYS, matches, plan_world, random_raw_stats, skewed_counts, users

NOW = datetime(2026, 11, 22, 12, 0, 0, 123456, tzinfo=UTC)
MAPS = ["Den", "Scar", "Raid"]
WEAPONS = ["M15 Mod 0", "AK-27", "MXR-17"]


def test_match_counts_add_up_exactly_with_at_least_one_each() -> None:
    counts = skewed_counts(random.Random(1), 1_000, 100_000)

    assert sum(counts) == 100_000
    assert min(counts) >= 1


def test_a_few_players_log_far_more_than_most() -> None:
    counts = skewed_counts(random.Random(1), 1_000, 100_000)

    assert max(counts) > 4 * median(counts)


def test_every_player_belongs_to_two_different_servers_of_the_world() -> None:
    world = plan_world(users=500, guilds=20, matches=5_000, seed=3)

    for player in world.players:
        assert len(set(player.guild_ids)) == 2
        assert set(player.guild_ids) <= set(world.guild_ids)
    assert {player.guild_ids[0] for player in world.players} == set(world.guild_ids)


def test_the_same_seed_plans_the_same_world() -> None:
    first = plan_world(users=50, guilds=5, matches=500, seed=9)

    assert plan_world(users=50, guilds=5, matches=500, seed=9) == first
    assert plan_world(users=50, guilds=5, matches=500, seed=10) != first


@pytest.mark.parametrize(("users", "guilds", "total"), [(0, 20, 10), (10, 1, 100), (10, 20, 5)])
def test_impossible_worlds_are_refused(users: int, guilds: int, total: int) -> None:
    with pytest.raises(ValueError, match="need at least"):
        plan_world(users=users, guilds=guilds, matches=total, seed=1)


def test_random_scoreboards_pass_the_game_models_checks_in_every_mode() -> None:
    rng = random.Random(5)

    modes = {
        MatchStats.model_validate(random_raw_stats(rng, MAPS, WEAPONS)).mode for _ in range(3_000)
    }

    assert modes == set(Mode)


def test_matches_are_unique_where_the_indexes_require_it_and_within_the_season() -> None:
    world = plan_world(users=40, guilds=4, matches=800, seed=2)

    generated = list(matches(world, now=NOW, seed=2, maps=MAPS, weapons=WEAPONS))

    assert len(generated) == 800
    assert len({m.interaction_id for m in generated}) == 800
    hashes = [h for m in generated for h in m.screenshot_hashes]
    assert len(hashes) == len(set(hashes))
    servers = {p.discord_id: set(p.guild_ids) for p in world.players}
    for match in generated:
        assert match.guild_id in servers[match.user_id]
        assert NOW - timedelta(days=HISTORY_DAYS) <= match.played_at <= NOW
        assert match.played_at.microsecond % 1000 == 0  # BSON keeps milliseconds


def test_each_player_has_as_many_matches_as_planned() -> None:
    world = plan_world(users=30, guilds=3, matches=600, seed=4)

    generated = list(matches(world, now=NOW, seed=4, maps=MAPS, weapons=WEAPONS))

    for player in world.players:
        assert sum(m.user_id == player.discord_id for m in generated) == player.match_count


def test_users_carry_the_server_snapshot_of_their_player() -> None:
    world = plan_world(users=20, guilds=4, matches=100, seed=1)

    for player, user in zip(world.players, users(world, NOW), strict=True):
        assert user.discord_id == player.discord_id
        assert tuple(g.guild_id for g in user.guilds) == player.guild_ids


def test_the_next_page_cursor_is_the_last_match_of_the_first_page() -> None:
    seeded = Seeded()
    ids = [ObjectId() for _ in range(25)]
    for hours, match_id in enumerate(ids):
        seeded.positions[7].append((NOW - timedelta(hours=hours), match_id))

    cursor = seeded.page_cursor(7, 20)

    assert cursor is not None
    assert PageCursor.decode(cursor) == PageCursor(
        played_at=NOW - timedelta(hours=19), match_id=str(ids[19]), tied=False
    )
    assert seeded.page_cursor(7, 25) is None
