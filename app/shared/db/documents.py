"""Beanie documents: the core's models plus storage settings and indexes.

Each document inherits its fields from the core model, so the wire between storage and domain
is one `model_validate` and a field can never be added to one side only. Every index exists for
a named query in the repositories, which pass it as a hint (see docs/decisions).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from beanie import Document
from pydantic import ConfigDict
from pymongo import ASCENDING, DESCENDING, IndexModel

from app.core.accounts import RefreshTokenFields, UserFields
from app.core.debriefs import DebriefFields
from app.core.guilds import GuildConfigFields
from app.core.links import GamertagLink
from app.core.matches import MatchFields
from app.core.outbox import OutboxFields
from app.core.seasons import SeasonFields

# The mode is stored on the player stats, where it discriminates the union.
MODE_FIELD = "stats.player.mode"
# Newest first with the id as tie-breaker: the order of every match listing and its cursor.
_NEWEST = [("played_at", DESCENDING), ("_id", DESCENDING)]


class MatchIndex:
    INTERACTION = "interaction_unique"
    SCREENSHOT_UNIQUE = "user_screenshot_unique"
    SCREENSHOT_LOOKUP = "screenshot_lookup"
    BY_USER = "user_newest"
    BY_USER_MODE = "user_mode_newest"
    BY_GUILD = "guild_newest"
    BY_GUILD_MODE = "guild_mode_newest"
    BY_GUILD_USER = "guild_user_newest"
    # A player's trend of a mode-only stat within one server (/trend captures).
    BY_GUILD_USER_MODE = "guild_user_mode_newest"
    # The matches one upload recorded for squad mates, for the uploader's reply.
    CAPTURED_FROM = "captured_from"
    # Uploads whose squad captures are not done yet, for the capture sweeper.
    CAPTURE_PENDING = "capture_pending"


class MatchDocument(MatchFields, Document):
    model_config = ConfigDict(frozen=False)  # type: ignore[misc]  # core models are frozen

    class Settings:
        name = "matches"
        indexes = [
            IndexModel([("interaction_id", ASCENDING)], name=MatchIndex.INTERACTION, unique=True),
            # Enforces "one match per screenshot per player"; partial because manual matches
            # have no screenshots and an empty array would collide in a unique index. `source`
            # is constant under the filter; it is in the key only because Beanie treats two
            # indexes on the same fields in another order as one, and would drop this one.
            IndexModel(
                [("user_id", ASCENDING), ("screenshot_hashes", ASCENDING), ("source", ASCENDING)],
                name=MatchIndex.SCREENSHOT_UNIQUE,
                unique=True,
                partialFilterExpression={"source": "ai"},
            ),
            IndexModel(
                [("screenshot_hashes", ASCENDING), ("user_id", ASCENDING)],
                name=MatchIndex.SCREENSHOT_LOOKUP,
            ),
            IndexModel([("user_id", ASCENDING), *_NEWEST], name=MatchIndex.BY_USER),
            IndexModel(
                [("user_id", ASCENDING), (MODE_FIELD, ASCENDING), *_NEWEST],
                name=MatchIndex.BY_USER_MODE,
            ),
            IndexModel([("guild_id", ASCENDING), *_NEWEST], name=MatchIndex.BY_GUILD),
            IndexModel(
                [("guild_id", ASCENDING), (MODE_FIELD, ASCENDING), *_NEWEST],
                name=MatchIndex.BY_GUILD_MODE,
            ),
            IndexModel(
                [("guild_id", ASCENDING), ("user_id", ASCENDING), *_NEWEST],
                name=MatchIndex.BY_GUILD_USER,
            ),
            IndexModel(
                [
                    ("guild_id", ASCENDING),
                    ("user_id", ASCENDING),
                    (MODE_FIELD, ASCENDING),
                    *_NEWEST,
                ],
                name=MatchIndex.BY_GUILD_USER_MODE,
            ),
            # Unique per (upload, member) too, besides the derived interaction id: one capture
            # each. Partial, like the screenshots' index: other matches have no origin.
            IndexModel(
                [("captured_from.match_id", ASCENDING), ("user_id", ASCENDING)],
                name=MatchIndex.CAPTURED_FROM,
                unique=True,
                partialFilterExpression={"source": "captured"},
            ),
            # Partial: only the few uploads whose captures are under way (or were cut off),
            # not every match, so the sweeper's query stays small however many matches exist.
            IndexModel(
                [("capture_pending", ASCENDING), ("created_at", ASCENDING)],
                name=MatchIndex.CAPTURE_PENDING,
                partialFilterExpression={"capture_pending": True},
            ),
        ]


class DebriefDocument(DebriefFields, Document):
    model_config = ConfigDict(frozen=False)  # type: ignore[misc]  # core models are frozen

    class Settings:
        name = "debriefs"
        indexes = [IndexModel([("match_id", ASCENDING)], name="match_unique", unique=True)]


GUILD_DIGEST_INDEX = "digest_schedule"


class GuildConfigDocument(GuildConfigFields, Document):
    model_config = ConfigDict(frozen=False)  # type: ignore[misc]  # core models are frozen

    class Settings:
        name = "guild_configs"
        indexes = [
            IndexModel([("guild_id", ASCENDING)], name="guild_unique", unique=True),
            # The hourly digest scheduler asks which servers are due at this weekday and hour.
            IndexModel(
                [("digest_weekday", ASCENDING), ("digest_hour_utc", ASCENDING)],
                name=GUILD_DIGEST_INDEX,
            ),
        ]


class UserDocument(UserFields, Document):
    model_config = ConfigDict(frozen=False)  # type: ignore[misc]  # core models are frozen

    class Settings:
        name = "users"
        indexes = [IndexModel([("discord_id", ASCENDING)], name="discord_unique", unique=True)]


class RefreshTokenDocument(RefreshTokenFields, Document):
    model_config = ConfigDict(frozen=False)  # type: ignore[misc]  # core models are frozen

    class Settings:
        name = "refresh_tokens"
        indexes = [
            IndexModel([("token_hash", ASCENDING)], name="hash_unique", unique=True),
            IndexModel([("family_id", ASCENDING)], name="family"),
            # Is a session still active: checked (behind a short cache) by authenticated
            # requests, and as cheap for a revoked family of many rotations as a live one.
            IndexModel([("family_id", ASCENDING), ("revoked_at", ASCENDING)], name="family_live"),
            # MongoDB deletes expired tokens by itself.
            IndexModel([("expires_at", ASCENDING)], name="expiry_ttl", expireAfterSeconds=0),
        ]


class OutboxIndex:
    DEDUPE = "dedupe_unique"
    DUE = "status_kind_due"
    DEADLINE = "status_deadline"
    # A bot process serving some shards claims only its own servers' commands.
    DUE_FOR_GUILDS = "status_kind_guild_due"


class OutboxDocument(OutboxFields, Document):
    model_config = ConfigDict(frozen=False)  # type: ignore[misc]  # core models are frozen

    class Settings:
        name = "outbox"
        indexes = [
            IndexModel([("dedupe_key", ASCENDING)], name=OutboxIndex.DEDUPE, unique=True),
            IndexModel(
                [("status", ASCENDING), ("kind", ASCENDING), ("available_at", ASCENDING)],
                name=OutboxIndex.DUE,
            ),
            IndexModel(
                [("status", ASCENDING), ("expires_at", ASCENDING)], name=OutboxIndex.DEADLINE
            ),
            IndexModel(
                [
                    ("status", ASCENDING),
                    ("kind", ASCENDING),
                    ("payload.guild_id", ASCENDING),
                    ("available_at", ASCENDING),
                ],
                name=OutboxIndex.DUE_FOR_GUILDS,
            ),
        ]


OUTBOX_CONSUMER_INDEX = "name_unique"


class OutboxConsumerDocument(Document):
    """Where one outbox consumer (e.g. "bot", or "bot-shards-0-1") stopped reading the stream
    of new messages, so that a restart resumes from there instead of from "now"."""

    name: str
    # A MongoDB change-stream resume token, stored as the server gave it.
    resume_token: dict[str, Any]
    updated_at: datetime

    class Settings:
        name = "outbox_consumers"
        indexes = [IndexModel([("name", ASCENDING)], name=OUTBOX_CONSUMER_INDEX, unique=True)]


class CooldownIndex:
    KEY = "key_unique"
    EXPIRY = "expiry_ttl"


class CooldownDocument(Document):
    """A running cooldown, e.g. "debrief:<guild>:<user>"; MongoDB deletes it once expired."""

    key: str
    expires_at: datetime

    class Settings:
        name = "cooldowns"
        indexes = [
            IndexModel([("key", ASCENDING)], name=CooldownIndex.KEY, unique=True),
            # Only housekeeping: the TTL monitor runs once a minute, so `start` never relies
            # on an expired cooldown being gone and checks `expires_at` itself.
            IndexModel(
                [("expires_at", ASCENDING)], name=CooldownIndex.EXPIRY, expireAfterSeconds=0
            ),
        ]


class DigestRunIndex:
    GUILD_WEEK = "guild_week_unique"


class DigestRunDocument(Document):
    """A server's weekly digest that some process has taken on (or posted)."""

    guild_id: int
    week: str
    claimed_at: datetime
    # The "post now" request that took it on (its outbox key); None: the schedule.
    request_key: str | None = None

    class Settings:
        name = "digest_runs"
        indexes = [
            IndexModel(
                [("guild_id", ASCENDING), ("week", ASCENDING)],
                name=DigestRunIndex.GUILD_WEEK,
                unique=True,
            ),
        ]


class MatchClaimDocument(Document):
    """Who last recorded a match of a key and when it was played: the lock behind same-match
    detection (`app/core/squad/claims.py`). Its `_id` is the key itself, as a string
    ("guild:user:mode:team_score:enemy_score:map"): the `_id` index makes it unique, and every
    statement on a claim is found through it, whatever else it compares."""

    played_at: datetime
    holder: int
    captured: bool
    claimed_at: datetime

    class Settings:
        name = "match_claims"


class GamertagLinkIndex:
    # One owner per name per server: the insert of a second owner fails, whoever races.
    NAME = "guild_name_unique"
    # A member's names in a server: /unlink's choices, the reader's names, the cap.
    MEMBER = "guild_member"
    # The cap: each of a member's names holds one of the slots 0..MAX_LINKS_PER_MEMBER-1, so
    # of two links racing for the last slot, one insert fails. Partial: names linked before
    # slots hold none (the repository counts them against the cap all the same).
    SLOT = "guild_member_slot_unique"
    # The server's names with auto_record on: whether an upload's other rows are worth reading.
    # Partial: only opted-in names.
    AUTO_RECORD = "guild_auto_record"


class GamertagLinkDocument(GamertagLink, Document):
    model_config = ConfigDict(frozen=False)  # type: ignore[misc]  # core models are frozen

    # Storage only (see GamertagLinkIndex.SLOT): the core never sees it.
    slot: int | None = None

    class Settings:
        name = "gamertag_links"
        indexes = [
            IndexModel(
                [("guild_id", ASCENDING), ("key", ASCENDING)],
                name=GamertagLinkIndex.NAME,
                unique=True,
            ),
            IndexModel(
                [("guild_id", ASCENDING), ("user_id", ASCENDING), ("linked_at", ASCENDING)],
                name=GamertagLinkIndex.MEMBER,
            ),
            IndexModel(
                [("guild_id", ASCENDING), ("user_id", ASCENDING), ("slot", ASCENDING)],
                name=GamertagLinkIndex.SLOT,
                unique=True,
                partialFilterExpression={"slot": {"$exists": True}},
            ),
            IndexModel(
                [("guild_id", ASCENDING), ("auto_record", ASCENDING), ("user_id", ASCENDING)],
                name=GamertagLinkIndex.AUTO_RECORD,
                partialFilterExpression={"auto_record": True},
            ),
        ]


class SeasonIndex:
    # The current season is the highest number; two starts at once cannot take the same one.
    NUMBER = "guild_number_unique"
    # A replayed start (same interaction or Idempotency-Key) finds the season it made.
    IDEMPOTENCY = "guild_idempotency_unique"


class SeasonDocument(SeasonFields, Document):
    model_config = ConfigDict(frozen=False)  # type: ignore[misc]  # core models are frozen

    class Settings:
        name = "seasons"
        indexes = [
            IndexModel(
                [("guild_id", ASCENDING), ("number", DESCENDING)],
                name=SeasonIndex.NUMBER,
                unique=True,
            ),
            IndexModel(
                [("guild_id", ASCENDING), ("idempotency_key", ASCENDING)],
                name=SeasonIndex.IDEMPOTENCY,
                unique=True,
            ),
        ]


class RollupIndex:
    GUILD_DAY = "guild_day_unique"
    PLAYER_DAY = "player_day_unique"
    STATE = "name_unique"


class GuildDayDocument(Document):
    """A server's day of matches, per player and mode: what its leaderboards add up.

    `entries` is keyed "<user_id>:<mode>", each entry packed as BSON (`rollups.totals.packed`)
    with its version in `entry_versions`; `pending` holds, per key, the tokens of the match
    writes that have started and not yet refreshed their entry, and `versions` orders those
    refreshes (see `app.shared.db.rollups.days`).
    """

    guild_id: int
    day: datetime
    entries: dict[str, bytes] = {}
    entry_versions: dict[str, int] = {}
    pending: dict[str, dict[str, datetime]] = {}
    versions: dict[str, int] = {}

    class Settings:
        name = "guild_days"
        indexes = [
            IndexModel(
                [("guild_id", ASCENDING), ("day", ASCENDING)],
                name=RollupIndex.GUILD_DAY,
                unique=True,
            )
        ]


class PlayerDayDocument(Document):
    """A player's day of matches, per server and mode: what their summary adds up.

    `entries` is keyed "<guild_id>:<mode>", with each stat's best match of the day.
    """

    user_id: int
    day: datetime
    entries: dict[str, bytes] = {}
    entry_versions: dict[str, int] = {}
    pending: dict[str, dict[str, datetime]] = {}

    class Settings:
        name = "player_days"
        indexes = [
            IndexModel(
                [("user_id", ASCENDING), ("day", ASCENDING)],
                name=RollupIndex.PLAYER_DAY,
                unique=True,
            )
        ]


class RollupStateDocument(Document):
    """Whether the day rollups were built from the matches already stored (once per
    database, by the first process that starts on it)."""

    name: str
    state: str
    updated_at: datetime

    class Settings:
        name = "rollup_state"
        indexes = [IndexModel([("name", ASCENDING)], name=RollupIndex.STATE, unique=True)]


DOCUMENT_MODELS: list[type[Document]] = [
    MatchDocument,
    DebriefDocument,
    GuildConfigDocument,
    UserDocument,
    RefreshTokenDocument,
    OutboxDocument,
    OutboxConsumerDocument,
    CooldownDocument,
    DigestRunDocument,
    MatchClaimDocument,
    GamertagLinkDocument,
    SeasonDocument,
    GuildDayDocument,
    PlayerDayDocument,
    RollupStateDocument,
]
