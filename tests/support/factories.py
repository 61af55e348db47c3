"""Builders for valid domain objects, with overrides for what a test cares about."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from app.core.accounts import RefreshTokenFields, UserFields
from app.core.game.modes import MatchStats
from app.core.matches import MatchFields, MatchSource
from app.core.outbox import OutboxFields

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
_interaction_ids = itertools.count(1_300_000_000_000_000_000)


def raw_hardpoint(**player: Any) -> dict[str, Any]:
    return {
        "mode": "hardpoint",
        "map": "Den",
        "result": "win",
        "team_score": 250,
        "enemy_score": 201,
        "player": {
            "gamertag": "Ghost",
            "score": 6100,
            "kills": 31,
            "deaths": 22,
            "assists": 9,
            "objective_time_s": 95,
            "captures": 4,
            **player,
        },
        "weapons": [{"name": "M15 Mod 0", "kills": 27, "headshots": 6, "accuracy": 23.5}],
    }


def raw_search_and_destroy(**player: Any) -> dict[str, Any]:
    return {
        "mode": "search_and_destroy",
        "map": "Scar",
        "result": "loss",
        "team_score": 4,
        "enemy_score": 6,
        "player": {
            "score": 3200,
            "kills": 9,
            "deaths": 8,
            "assists": 2,
            "plants": 1,
            "defuses": 0,
            **player,
        },
        "weapons": [],
    }


def match_fields(**overrides: Any) -> MatchFields:
    played_at = overrides.pop("played_at", T0)
    raw_stats = overrides.pop("raw_stats", raw_hardpoint())
    defaults: dict[str, Any] = {
        "guild_id": 111,
        "channel_id": 222,
        "user_id": 333,
        "interaction_id": next(_interaction_ids),
        "stats": MatchStats.model_validate(raw_stats),
        "source": MatchSource.AI,
        "screenshot_hashes": [f"hash-{next(_interaction_ids)}"],
        "played_at": played_at,
        "created_at": played_at + timedelta(minutes=1),
        "updated_at": played_at + timedelta(minutes=1),
    }
    return MatchFields(**{**defaults, **overrides})


def user_fields(discord_id: int = 333, **overrides: Any) -> UserFields:
    defaults: dict[str, Any] = {
        "discord_id": discord_id,
        "username": f"player{discord_id}",
        "created_at": T0,
        "last_login_at": T0,
    }
    return UserFields(**{**defaults, **overrides})


def refresh_token_fields(**overrides: Any) -> RefreshTokenFields:
    defaults: dict[str, Any] = {
        "token_hash": f"hash-{next(_interaction_ids)}",
        "family_id": "family-1",
        "user_id": 333,
        "issued_at": T0,
        "expires_at": T0 + timedelta(days=30),
    }
    return RefreshTokenFields(**{**defaults, **overrides})


def outbox_fields(**overrides: Any) -> OutboxFields:
    defaults: dict[str, Any] = {
        "kind": "discord.followup",
        "payload": {"match_id": "m1"},
        "dedupe_key": f"key-{next(_interaction_ids)}",
        "available_at": T0,
        "expires_at": T0 + timedelta(minutes=15),
        "created_at": T0,
    }
    return OutboxFields(**{**defaults, **overrides})
