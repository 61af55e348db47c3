"""A synthetic community for the API benchmark: servers, players, and their matches.

Everything is drawn from one seeded random generator, so two runs with the same options seed
the same data. Match counts per player are skewed (a few players log far more than most), as
in any real server, so the per-player reads are measured for light and heavy players alike.
Every match goes through the app's own models (`MatchStats` validation, then `MatchDocument`),
so the stored documents are exactly those the bot writes.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.api.auth.principal import MANAGE_GUILD
from app.core.accounts import GuildMembership, UserFields
from app.core.game.modes import MatchStats
from app.core.game.rules import Mode
from app.core.matches import MatchFields, MatchSource

GUILD_BASE = 1_100_000_000_000_000_000
USER_BASE = 1_200_000_000_000_000_000
INTERACTION_BASE = 1_300_000_000_000_000_000
CHANNEL_BASE = 1_400_000_000_000_000_000
# A season: long enough that a month's leaderboard reads only part of a server's matches.
HISTORY_DAYS = 90
MANUAL_SHARE = 0.1
# Spread of the per-player match counts (log-normal sigma): the busiest of 1,000 players
# logs about ten times as many matches as the median one.
ACTIVITY_SPREAD = 0.8
# The player's own server comes first; the second is where they also play now and then.
HOME_SHARE = 0.8


@dataclass(frozen=True)
class Player:
    discord_id: int
    # The player's own server first.
    guild_ids: tuple[int, ...]
    match_count: int


@dataclass(frozen=True)
class World:
    guild_ids: tuple[int, ...]
    players: tuple[Player, ...]

    @property
    def match_count(self) -> int:
        return sum(player.match_count for player in self.players)

    def by_activity(self) -> list[Player]:
        """Players from the busiest to the quietest (ties by id)."""
        return sorted(self.players, key=lambda p: (-p.match_count, p.discord_id))


def plan_world(*, users: int, guilds: int, matches: int, seed: int) -> World:
    """Who plays where and how much; `matches` in total, at least one per player."""
    if guilds < 2:
        raise ValueError("need at least 2 servers: players belong to two")
    if users < 1 or matches < users:
        raise ValueError("need at least one player and one match per player")
    rng = random.Random(seed)
    guild_ids = tuple(GUILD_BASE + index for index in range(guilds))
    counts = skewed_counts(rng, users, matches)
    players = tuple(
        Player(USER_BASE + index, _servers_of(index, guild_ids), count)
        for index, count in enumerate(counts)
    )
    return World(guild_ids=guild_ids, players=players)


def _servers_of(index: int, guild_ids: Sequence[int]) -> tuple[int, int]:
    """Player `index`'s own server and a second one, never the same, evenly spread."""
    count = len(guild_ids)
    home = index % count
    offset = 1 + (index // count) % (count - 1)
    return guild_ids[home], guild_ids[(home + offset) % count]


def skewed_counts(rng: random.Random, people: int, total: int) -> list[int]:
    """`total` split over `people`, each at least 1, log-normally skewed; sums exactly."""
    weights = [rng.lognormvariate(0.0, ACTIVITY_SPREAD) for _ in range(people)]
    spare = total - people
    scale = spare / sum(weights)
    shares = [weight * scale for weight in weights]
    counts = [1 + int(share) for share in shares]
    # Largest remainders get the matches that rounding down left over.
    left = total - sum(counts)
    by_remainder = sorted(range(people), key=lambda i: shares[i] - int(shares[i]), reverse=True)
    for index in by_remainder[:left]:
        counts[index] += 1
    return counts


def users(world: World, now: datetime) -> list[UserFields]:
    """Each player as the API keeps them after a Discord login: profile and server snapshot."""
    return [
        UserFields(
            discord_id=player.discord_id,
            username=f"player{player.discord_id % 100_000}",
            guilds=[
                GuildMembership(
                    guild_id=guild_id,
                    name=f"Squad {guild_id % 1000}",
                    # Admin of their own server one time in ten, as server owners are rare.
                    permissions=MANAGE_GUILD
                    if position == 0 and player.discord_id % 10 == 0
                    else 0,
                )
                for position, guild_id in enumerate(player.guild_ids)
            ],
            guilds_refreshed_at=now,
            created_at=now,
            last_login_at=now,
        )
        for player in world.players
    ]


def matches(
    world: World, *, now: datetime, seed: int, maps: Sequence[str], weapons: Sequence[str]
) -> Iterator[MatchFields]:
    """Every player's matches, each valid for the app's game model, spread over a season."""
    rng = random.Random(seed + 1)
    interaction = INTERACTION_BASE
    # BSON dates keep milliseconds: a time with more would not read back equal.
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)
    for player in world.players:
        for _ in range(player.match_count):
            interaction += 1
            yield _match(rng, player, interaction, now=now, maps=maps, weapons=weapons)


def _match(
    rng: random.Random,
    player: Player,
    interaction_id: int,
    *,
    now: datetime,
    maps: Sequence[str],
    weapons: Sequence[str],
) -> MatchFields:
    home, *others = player.guild_ids
    guild_id = home if rng.random() < HOME_SHARE or not others else rng.choice(others)
    played_at = now - timedelta(seconds=rng.randrange(HISTORY_DAYS * 24 * 3600))
    manual = rng.random() < MANUAL_SHARE
    return MatchFields(
        guild_id=guild_id,
        channel_id=CHANNEL_BASE + guild_id - GUILD_BASE,
        user_id=player.discord_id,
        interaction_id=interaction_id,
        stats=MatchStats.model_validate(random_raw_stats(rng, maps, weapons)),
        source=MatchSource.MANUAL if manual else MatchSource.AI,
        # A sha256 in hex, unique per upload as the real ones are.
        screenshot_hashes=[] if manual else [f"{interaction_id:064x}"],
        played_at=played_at,
        created_at=played_at + timedelta(minutes=1),
        updated_at=played_at + timedelta(minutes=1),
    )


def random_raw_stats(
    rng: random.Random, maps: Sequence[str], weapons: Sequence[str]
) -> dict[str, Any]:
    """A plausible scoreboard of a random ranked mode, in the raw (wire) shape."""
    mode = rng.choice(list(Mode))
    team, enemy = _scores(rng, mode)
    player = _player(rng, mode, team, enemy)
    result = "win" if team > enemy else "loss" if team < enemy else "draw"
    return {
        "mode": mode.value,
        "map": rng.choice(maps),
        "result": result,
        "team_score": team,
        "enemy_score": enemy,
        "player": player,
        "weapons": _weapons(rng, player["kills"], weapons),
    }


def _scores(rng: random.Random, mode: Mode) -> tuple[int, int]:
    limit = mode.rules.score_limit
    if mode is Mode.HARDPOINT:
        winner, loser = limit, rng.randint(limit // 3, limit - 5)
    elif mode is Mode.SEARCH_AND_DESTROY:
        winner, loser = limit, rng.randint(0, limit - 1)
    else:
        winner = rng.randint(limit // 2, limit)
        loser = rng.randint(0, winner - 1)
    return (winner, loser) if rng.random() < 0.5 else (loser, winner)


def _player(rng: random.Random, mode: Mode, team: int, enemy: int) -> dict[str, Any]:
    if mode is Mode.SEARCH_AND_DESTROY:
        rounds = team + enemy
        kills = rng.randint(0, min(3 * rounds, 30))
        plants = rng.randint(0, min(3, rounds))
        defuses = rng.randint(0, min(2, rounds - plants))
        return {
            "score": kills * 150 + (plants + defuses) * 300 + rng.randint(0, 500),
            "kills": kills,
            "deaths": rng.randint(0, rounds),
            "assists": rng.randint(0, min(4 * rounds - kills, 8)),
            "plants": plants,
            "defuses": defuses,
        }
    kills, assists = rng.randint(8, 45), rng.randint(0, 15)
    common = {"kills": kills, "deaths": rng.randint(8, 40), "assists": assists}
    if mode is Mode.HARDPOINT:
        hill, captures = rng.randint(20, 220), rng.randint(0, 8)
        score = kills * 100 + assists * 50 + hill * 10 + captures * 100
        return {**common, "score": score, "objective_time_s": hill, "captures": captures}
    overloads = rng.randint(0, min(team, 4))
    carry = rng.randint(0, 300)
    score = kills * 100 + assists * 50 + overloads * 500 + carry * 5
    return {**common, "score": score, "overloads": overloads, "device_carry_time_s": carry}


def _weapons(rng: random.Random, kills: int, names: Sequence[str]) -> list[dict[str, Any]]:
    weapons: list[dict[str, Any]] = []
    left = kills
    for name in rng.sample(list(names), rng.randint(0, 2)):
        weapon_kills = rng.randint(0, left)
        left -= weapon_kills
        accuracy = round(rng.uniform(12.0, 38.0), 1) if rng.random() < 0.8 else None
        weapons.append(
            {
                "name": name,
                "kills": weapon_kills,
                "headshots": rng.randint(0, weapon_kills),
                "accuracy": accuracy,
            }
        )
    return weapons
