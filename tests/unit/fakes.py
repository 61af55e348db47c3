"""In-memory implementations of the core's repository interfaces, for unit tests."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Collection
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta

from app.core.accounts import RefreshToken, RefreshTokenFields, User, UserFields
from app.core.debriefs import Debrief, DebriefFields
from app.core.errors import DuplicateMatch
from app.core.game.catalog import CatalogFlag
from app.core.game.disagreements import ReaderFlag
from app.core.game.modes import MatchStats
from app.core.game.rules import Result
from app.core.guilds import GuildConfig
from app.core.matches import Match, MatchFields, MatchFilter, MatchPage, MatchTotals, PageCursor
from app.core.outbox import (
    OutboxFields,
    OutboxInsert,
    OutboxMessage,
    OutboxStatus,
    StreamPosition,
    StreamUnsupported,
)
from app.core.ports import (
    DebriefRepository,
    GuildConfigRepository,
    MatchRepository,
    OutboxRepository,
    RefreshTokenRepository,
    UserRepository,
)
from app.core.squad.claims import ClaimKey, MatchClaim, holds_against
from tests.support.factories import T0

_ids = itertools.count(1)


def new_id() -> str:
    return f"{next(_ids):024x}"


class FakeMatches(MatchRepository):
    def __init__(self) -> None:
        self.rows: dict[str, Match] = {}
        self.claims: dict[ClaimKey, MatchClaim] = {}

    async def take_claim(self, claim: MatchClaim, window: timedelta) -> MatchClaim | None:
        held = self.claims.get(claim.key)
        if held is None or not holds_against(held, claim, window):
            self.claims[claim.key] = claim
            return None
        return held

    async def take_over_claim(self, claim: MatchClaim, stale: MatchClaim) -> bool:
        if self.claims.get(claim.key) != stale:
            return False
        self.claims[claim.key] = claim
        return True

    async def release_claim(self, claim: MatchClaim) -> None:
        held = self.claims.get(claim.key)
        if held is not None and held.holder == claim.holder:
            del self.claims[claim.key]

    async def add(self, match: MatchFields, *, settle: bool = True) -> Match:
        # Nothing derived to settle: the fake's reads compute everything from the rows.
        for known in self.rows.values():
            same_shot = known.user_id == match.user_id and set(known.screenshot_hashes) & set(
                match.screenshot_hashes
            )
            same_capture = (
                known.captured_from is not None
                and known.captured_from == match.captured_from
                and known.user_id == match.user_id
            )
            if known.interaction_id == match.interaction_id or same_shot or same_capture:
                raise DuplicateMatch(known.id)
        saved = Match(id=new_id(), **match.model_dump())
        self.rows[saved.id] = saved
        return saved

    async def settle(self, match_id: str) -> None:
        return None

    async def get(self, match_id: str) -> Match | None:
        return self.rows.get(match_id)

    async def captured_from(self, origin_match_id: str) -> list[Match]:
        found = [
            m
            for m in self.rows.values()
            if m.captured_from is not None and m.captured_from.match_id == origin_match_id
        ]
        return sorted(found, key=lambda m: m.user_id)

    async def pending_captures(self, created_before: datetime, *, limit: int) -> list[Match]:
        pending = [
            m for m in self.rows.values() if m.capture_pending and m.created_at < created_before
        ]
        return sorted(pending, key=lambda m: m.created_at)[:limit]

    async def finish_capture(self, match_id: str) -> None:
        if match_id in self.rows:
            self.rows[match_id] = self.rows[match_id].model_copy(
                update={"capture_pending": False, "pending_lobby": []}
            )

    async def find_by_interaction(self, interaction_id: int) -> Match | None:
        return next((m for m in self.rows.values() if m.interaction_id == interaction_id), None)

    async def find_by_screenshots(self, user_id: int, hashes: Collection[str]) -> Match | None:
        return next(
            (
                m
                for m in self.rows.values()
                if m.user_id == user_id and set(m.screenshot_hashes) & set(hashes)
            ),
            None,
        )

    async def page(
        self, where: MatchFilter, *, limit: int, after: PageCursor | None = None
    ) -> MatchPage:
        rows = sorted(
            (m for m in self.rows.values() if _matches(m, where, after)),
            key=lambda m: (m.played_at, m.id),
            reverse=True,
        )
        more = len(rows) > limit
        shown = rows[:limit]
        cursor = PageCursor(played_at=shown[-1].played_at, match_id=shown[-1].id) if more else None
        return MatchPage(matches=shown, next_cursor=cursor)

    async def totals(self, where: MatchFilter) -> MatchTotals:
        rows = [m for m in self.rows.values() if _matches(m, where, None)]
        results = [m.stats.result for m in rows]
        return MatchTotals(
            matches=len(rows),
            wins=results.count(Result.WIN),
            losses=results.count(Result.LOSS),
            draws=results.count(Result.DRAW),
            kills=sum(m.stats.player.kills for m in rows),
            deaths=sum(m.stats.player.deaths for m in rows),
        )

    async def correct(
        self,
        match_id: str,
        stats: MatchStats,
        flags: list[CatalogFlag],
        now: datetime,
        *,
        reader_flags: list[ReaderFlag],
    ) -> Match | None:
        if match_id not in self.rows:
            return None
        fixed = self.rows[match_id].model_copy(
            update={
                "stats": stats,
                "catalog_flags": flags,
                "reader_flags": reader_flags,
                "corrected": True,
                "updated_at": now,
            }
        )
        self.rows[match_id] = fixed
        return fixed

    async def delete(self, match_id: str) -> bool:
        return self.rows.pop(match_id, None) is not None


def _matches(m: Match, where: MatchFilter, after: PageCursor | None) -> bool:
    checks = [
        where.guild_id is None or m.guild_id == where.guild_id,
        where.user_id is None or m.user_id == where.user_id,
        where.mode is None or m.stats.mode == where.mode,
        where.map is None or m.stats.map == where.map,
        where.played_from is None or m.played_at >= where.played_from,
        where.played_until is None or m.played_at < where.played_until,
        after is None or (m.played_at, m.id) < (after.played_at, after.match_id),
    ]
    return all(checks)


class FakeDebriefs(DebriefRepository):
    def __init__(self) -> None:
        self.rows: dict[str, Debrief] = {}

    async def save(self, debrief: DebriefFields) -> Debrief:
        saved = Debrief(id=new_id(), **debrief.model_dump())
        self.rows[debrief.match_id] = saved
        return saved

    async def get_for_match(self, match_id: str) -> Debrief | None:
        return self.rows.get(match_id)

    async def delete_for_match(self, match_id: str) -> None:
        self.rows.pop(match_id, None)


class FakeGuildConfigs(GuildConfigRepository):
    def __init__(self) -> None:
        self.rows: dict[int, GuildConfig] = {}

    async def get(self, guild_id: int) -> GuildConfig:
        return self.rows.get(guild_id, GuildConfig(guild_id=guild_id))

    async def save(self, config: GuildConfig) -> GuildConfig:
        self.rows[config.guild_id] = config
        return config

    async def with_digest_at(self, weekday: int, hour_utc: int) -> list[GuildConfig]:
        return [
            c
            for c in self.rows.values()
            if c.digest_channel_id and (c.digest_weekday, c.digest_hour_utc) == (weekday, hour_utc)
        ]


class FakeUsers(UserRepository):
    def __init__(self) -> None:
        self.rows: dict[int, User] = {}

    async def upsert(self, user: UserFields) -> User:
        known = self.rows.get(user.discord_id)
        created_at = known.created_at if known else user.created_at
        saved = User(
            id=known.id if known else new_id(), **{**user.model_dump(), "created_at": created_at}
        )
        self.rows[user.discord_id] = saved
        return saved

    async def get_by_discord_id(self, discord_id: int) -> User | None:
        return self.rows.get(discord_id)


class FakeRefreshTokens(RefreshTokenRepository):
    def __init__(self) -> None:
        self.rows: dict[str, RefreshToken] = {}

    async def add(self, token: RefreshTokenFields) -> RefreshToken:
        saved = RefreshToken(id=new_id(), **token.model_dump())
        self.rows[saved.id] = saved
        return saved

    async def find_by_hash(self, token_hash: str) -> RefreshToken | None:
        return next((t for t in self.rows.values() if t.token_hash == token_hash), None)

    async def mark_used(self, token_id: str, now: datetime) -> bool:
        token = self.rows.get(token_id)
        if token is None or token.used_at or token.revoked_at:
            return False
        self.rows[token_id] = token.model_copy(update={"used_at": now})
        return True

    async def revoke_family(self, family_id: str, now: datetime) -> int:
        family = [t for t in self.rows.values() if t.family_id == family_id and not t.revoked_at]
        for token in family:
            self.rows[token.id] = token.model_copy(update={"revoked_at": now})
        return len(family)

    async def is_family_active(self, family_id: str) -> bool:
        return any(t.family_id == family_id and not t.revoked_at for t in self.rows.values())


class FakeOutbox(OutboxRepository):
    """Delivery by polling only, like a MongoDB server that cannot stream changes."""

    def __init__(self) -> None:
        self.rows: dict[str, OutboxMessage] = {}
        self.positions: dict[str, StreamPosition] = {}

    async def enqueue(self, message: OutboxFields) -> OutboxMessage:
        known = next((m for m in self.rows.values() if m.dedupe_key == message.dedupe_key), None)
        if known:
            return known
        saved = OutboxMessage(id=new_id(), **message.model_dump())
        self.rows[saved.id] = saved
        return saved

    async def get(self, message_id: str) -> OutboxMessage | None:
        return self.rows.get(message_id)

    async def find(self, dedupe_key: str) -> OutboxMessage | None:
        return next((m for m in self.rows.values() if m.dedupe_key == dedupe_key), None)

    async def claim_due(
        self,
        now: datetime,
        lease: timedelta,
        kinds: Collection[str],
        *,
        guild_ids: Collection[int] | None = None,
    ) -> OutboxMessage | None:
        due = sorted(
            (
                m
                for m in self.rows.values()
                if m.status is OutboxStatus.PENDING
                and m.kind in kinds
                and m.available_at <= now
                and (guild_ids is None or m.payload.get("guild_id") in guild_ids)
            ),
            key=lambda m: m.available_at,
        )
        if not due:
            return None
        claimed = due[0].model_copy(
            update={"available_at": now + lease, "attempts": due[0].attempts + 1}
        )
        self.rows[claimed.id] = claimed
        return claimed

    async def mark_delivered(self, message_id: str, now: datetime) -> None:
        self._update(message_id, status=OutboxStatus.DELIVERED, delivered_at=now)

    async def retry_later(self, message_id: str, retry_at: datetime, error: str) -> None:
        if self.rows[message_id].status is OutboxStatus.PENDING:
            self._update(message_id, available_at=retry_at, last_error=error[:200])

    async def extend_lease(self, message_id: str, until: datetime) -> None:
        if self.rows[message_id].status is OutboxStatus.PENDING:
            self._update(message_id, available_at=until)

    async def mark_failed(self, message_id: str, error: str) -> None:
        if self.rows[message_id].status is OutboxStatus.PENDING:
            self._update(message_id, status=OutboxStatus.FAILED, last_error=error[:200])

    async def expire_overdue(self, now: datetime) -> int:
        overdue = [
            m
            for m in self.rows.values()
            if m.status is OutboxStatus.PENDING and m.expires_at <= now
        ]
        for message in overdue:
            self._update(message.id, status=OutboxStatus.EXPIRED)
        return len(overdue)

    def watch_inserts(
        self, kinds: Collection[str], *, after: StreamPosition | None
    ) -> AbstractAsyncContextManager[AsyncIterator[OutboxInsert]]:
        raise StreamUnsupported("the fake outbox has no change stream")

    async def stream_position(self, consumer: str) -> StreamPosition | None:
        return self.positions.get(consumer)

    async def save_stream_position(
        self, consumer: str, position: StreamPosition, now: datetime
    ) -> None:
        self.positions[consumer] = position

    def _update(self, message_id: str, **changes: object) -> None:
        self.rows[message_id] = self.rows[message_id].model_copy(update=changes)


class FrozenClock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now
