"""What the core needs from the outside world, as abstract interfaces.

The Beanie implementations live in app/shared/db; unit tests use in-memory fakes. Handlers
depend only on these, so neither MongoDB nor Discord leaks into the core.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta
from typing import Any

from app.core.accounts import RefreshToken, RefreshTokenFields, User, UserFields
from app.core.analytics import (
    CareerTotals,
    LeaderboardRow,
    PlayerSummary,
    SeriesPoint,
    WeekTotals,
)
from app.core.debriefs import Debrief, DebriefFields
from app.core.digest_claims import DigestClaim
from app.core.game.catalog import CatalogFlag
from app.core.game.disagreements import ReaderFlag
from app.core.game.metrics import Stat
from app.core.game.modes import MatchStats, Mode
from app.core.guilds import GuildConfig
from app.core.links import GamertagLink
from app.core.matches import (
    Match,
    MatchFields,
    MatchFilter,
    MatchPage,
    MatchTotals,
    PageCursor,
)
from app.core.outbox import OutboxFields, OutboxInsert, OutboxMessage, StreamPosition
from app.core.replies import MatchReplyRequest
from app.core.seasons import Season, SeasonFields
from app.core.squad.claims import MatchClaim
from app.core.squad.notices import CaptureNotice


class MatchRepository(ABC):
    @abstractmethod
    async def add(self, match: MatchFields, *, settle: bool = True) -> Match:
        """Save a new match; raise DuplicateMatch if its interaction or a screenshot is known.

        With `settle=False`, what is derived from the match (the day rollups) is finished by
        `settle` instead, which the caller runs alongside its next reads; until then, and for
        ever if the process dies first, reads of it are computed from the matches themselves.
        """

    @abstractmethod
    async def settle(self, match_id: str) -> None:
        """Finish what `add(settle=False)` left of this match; nothing if it left nothing.
        Never raises: what is left stays correct to read (see `add`), only slower."""

    @abstractmethod
    async def get(self, match_id: str) -> Match | None: ...

    @abstractmethod
    async def find_by_interaction(self, interaction_id: int) -> Match | None: ...

    @abstractmethod
    async def find_by_screenshots(self, user_id: int, hashes: Collection[str]) -> Match | None:
        """The user's match that already holds any of these screenshot hashes."""

    @abstractmethod
    async def page(
        self, where: MatchFilter, *, limit: int, after: PageCursor | None = None
    ) -> MatchPage:
        """Newest first, in a stable order that a cursor can resume without gaps or repeats."""

    @abstractmethod
    async def totals(self, where: MatchFilter) -> MatchTotals:
        """Every match of the filter added up (not only a page): count, results, kills."""

    @abstractmethod
    async def correct(
        self,
        match_id: str,
        stats: MatchStats,
        flags: list[CatalogFlag],
        now: datetime,
        *,
        reader_flags: list[ReaderFlag],
    ) -> Match | None:
        """Replace the stats after a human correction and mark the match as corrected.

        `reader_flags`: the readers' disagreements the correction left open."""

    @abstractmethod
    async def delete(self, match_id: str) -> bool: ...

    @abstractmethod
    async def captured_from(self, origin_match_id: str) -> list[Match]:
        """The matches recorded for squad mates from that upload (source "captured")."""

    @abstractmethod
    async def pending_captures(self, created_before: datetime, *, limit: int) -> list[Match]:
        """Uploads still marked `capture_pending`, saved before that time, oldest first."""

    @abstractmethod
    async def finish_capture(self, match_id: str) -> None:
        """Clear the upload's `capture_pending` marker and its kept lobby rows."""

    @abstractmethod
    async def take_claim(self, claim: MatchClaim, window: timedelta) -> MatchClaim | None:
        """Take the claim's key unless a claim within `window` of its `played_at` holds it
        (an own upload's claim passes over another own upload's); None when taken, else the
        holding claim. Atomic: of recordings racing for one key, one takes it."""

    @abstractmethod
    async def take_over_claim(self, claim: MatchClaim, stale: MatchClaim) -> bool:
        """Replace `stale` by `claim`, if `stale` still holds the key."""

    @abstractmethod
    async def release_claim(self, claim: MatchClaim) -> None:
        """Give the key back, if `claim` still holds it (its match was not saved)."""


class DebriefRepository(ABC):
    @abstractmethod
    async def save(self, debrief: DebriefFields) -> Debrief:
        """Store the debrief of a match, replacing an earlier one (after a correction)."""

    @abstractmethod
    async def get_for_match(self, match_id: str) -> Debrief | None: ...

    @abstractmethod
    async def delete_for_match(self, match_id: str) -> None: ...


class GuildConfigRepository(ABC):
    @abstractmethod
    async def get(self, guild_id: int) -> GuildConfig:
        """The server's settings, or the defaults if it never changed any."""

    @abstractmethod
    async def save(self, config: GuildConfig) -> GuildConfig: ...

    @abstractmethod
    async def with_digest_at(self, weekday: int, hour_utc: int) -> list[GuildConfig]:
        """Servers whose weekly digest is due at this weekday and hour (and have a channel)."""


class UserRepository(ABC):
    @abstractmethod
    async def upsert(self, user: UserFields) -> User:
        """Create the user at first login or refresh their profile and server snapshot."""

    @abstractmethod
    async def get_by_discord_id(self, discord_id: int) -> User | None: ...


class RefreshTokenRepository(ABC):
    @abstractmethod
    async def add(self, token: RefreshTokenFields) -> RefreshToken: ...

    @abstractmethod
    async def find_by_hash(self, token_hash: str) -> RefreshToken | None: ...

    @abstractmethod
    async def mark_used(self, token_id: str, now: datetime) -> bool:
        """Spend a token once; False if it was already used or revoked (a reuse)."""

    @abstractmethod
    async def revoke_family(self, family_id: str, now: datetime) -> int: ...

    @abstractmethod
    async def is_family_active(self, family_id: str) -> bool:
        """Whether the family (a session) still holds a token that was not revoked."""


class OutboxRepository(ABC):
    @abstractmethod
    async def enqueue(self, message: OutboxFields) -> OutboxMessage:
        """Queue a message; enqueueing the same dedupe key again returns the first one."""

    @abstractmethod
    async def get(self, message_id: str) -> OutboxMessage | None: ...

    @abstractmethod
    async def find(self, dedupe_key: str) -> OutboxMessage | None:
        """The message queued under this dedupe key, if any."""

    @abstractmethod
    async def claim_due(
        self,
        now: datetime,
        lease: timedelta,
        kinds: Collection[str],
        *,
        guild_ids: Collection[int] | None = None,
    ) -> OutboxMessage | None:
        """Take the oldest due message of these kinds for `lease`; others skip it meanwhile.

        With `guild_ids`, only messages whose `payload.guild_id` is one of them: a bot process
        that serves some shards takes only the commands for its own servers.
        """

    @abstractmethod
    async def mark_delivered(self, message_id: str, now: datetime) -> None: ...

    @abstractmethod
    async def retry_later(self, message_id: str, retry_at: datetime, error: str) -> None: ...

    @abstractmethod
    async def extend_lease(self, message_id: str, until: datetime) -> None:
        """Keep a pending message from the consumers until `until`: its holder is still at
        work on it. A message already delivered or closed is left alone."""

    @abstractmethod
    async def mark_failed(self, message_id: str, error: str) -> None:
        """Give up on a pending message that retrying cannot deliver; `error` says why."""

    @abstractmethod
    async def expire_overdue(self, now: datetime) -> int:
        """Mark every pending message past its deadline as expired; return how many."""

    @abstractmethod
    def watch_inserts(
        self, kinds: Collection[str], *, after: StreamPosition | None
    ) -> AbstractAsyncContextManager[AsyncIterator[OutboxInsert]]:
        """Messages of these kinds as they are inserted, from the moment the context is entered
        or, with `after`, from just after that position.

        Raises StreamUnsupported when the database cannot stream changes, and
        StreamPositionLost when `after` can no longer be resumed from.
        """

    @abstractmethod
    async def stream_position(self, consumer: str) -> StreamPosition | None:
        """Where the named consumer last saved its place in the stream, if it ever did."""

    @abstractmethod
    async def save_stream_position(
        self, consumer: str, position: StreamPosition, now: datetime
    ) -> None: ...


class AnalyticsRepository(ABC):
    """Aggregations over matches, always scoped to one server or one player."""

    @abstractmethod
    async def leaderboard(
        self,
        guild_id: int,
        stat: Stat,
        *,
        since: datetime | None,
        mode: Mode | None,
        min_matches: int,
        limit: int,
    ) -> list[LeaderboardRow]:
        """Players of a server ranked by their average (K/D: total kills / total deaths)."""

    @abstractmethod
    async def series(
        self, user_id: int, stat: Stat, *, guild_id: int | None, mode: Mode | None, last: int
    ) -> list[SeriesPoint]:
        """The stat in the player's last matches, oldest first."""

    @abstractmethod
    async def summary(
        self, user_id: int, *, guild_id: int | None, mode: Mode | None, since: datetime | None
    ) -> PlayerSummary:
        """The player's results, totals, averages and bests over the matches in scope: in one
        server or all, one mode or all, played since a time or ever."""

    @abstractmethod
    async def personal_bests(
        self, user_id: int, mode: Mode, *, excluding_match_id: str | None = None
    ) -> Mapping[Stat, float]:
        """The player's best value of every stat of the mode, over all their matches.

        The debrief runs after its match is saved: it excludes that match, or the match
        could never beat its own "previous" best.
        """

    @abstractmethod
    async def career_totals(self, user_id: int, guild_id: int) -> CareerTotals:
        """The player's matches, wins and kills over everything they have logged in that
        server (what its milestones count)."""

    @abstractmethod
    async def week_totals(self, guild_id: int, since: datetime, until: datetime) -> WeekTotals:
        """What a server played in [since, until)."""


class GuardedQueryRunner(ABC):
    @abstractmethod
    async def run_guarded(
        self, pipeline: Sequence[Mapping[str, Any]], *, max_time_ms: int
    ) -> list[dict[str, Any]]:
        """Run an /ask pipeline that the guard has checked and scoped. Nothing else may call it."""


class CooldownRepository(ABC):
    @abstractmethod
    async def start(self, key: str, now: datetime, duration: timedelta) -> timedelta | None:
        """Start a cooldown; if one is already running, return the time it has left instead.

        Atomic, so two shards or two clicks at once cannot both get through.
        """

    @abstractmethod
    async def give_back(self, key: str, started: datetime, duration: timedelta) -> None:
        """End the cooldown that `start(key, started, duration)` started, for work that failed
        without the player's fault. A cooldown started since by anyone else is left alone."""


class DigestRunRepository(ABC):
    @abstractmethod
    async def claim(
        self, guild_id: int, week: str, now: datetime, *, request_key: str | None = None
    ) -> bool:
        """True for exactly one caller per server and ISO week, across shards and restarts;
        the claim keeps ``request_key``, the "post now" request that took it (None: the
        schedule)."""

    @abstractmethod
    async def release(self, guild_id: int, week: str) -> None:
        """Give the week back after a failed post, so the next run tries again."""

    @abstractmethod
    async def claim_of(self, guild_id: int, week: str) -> DigestClaim | None:
        """Who took on the server's digest of that week, written or being written; None when
        nobody holds it."""


class ChannelDirectory(ABC):
    """Which server a Discord channel belongs to, as Discord says now (never as we stored it)."""

    @abstractmethod
    async def guild_of(self, channel_id: int) -> int | None:
        """The server of a text channel the bot can post in; None when the channel does not
        exist, is not a server text channel, or is out of the bot's reach."""


class Announcer(ABC):
    """Posts on the bot's own initiative (not as a reply): one method per outbox kind, the same
    for the live send and for a replay by the outbox consumer."""

    @abstractmethod
    async def post_digest(
        self, guild_id: int, channel_id: int, week: str, text: str, totals: WeekTotals
    ) -> None:
        """Post the weekly digest; raise ChannelOutsideServer if the channel is not (or no
        longer) one of ``guild_id``'s, anything else if Discord fails, so it is retried."""

    @abstractmethod
    async def post_record(self, guild_id: int, channel_id: int, user_id: int, text: str) -> None:
        """Post a player's new personal best or milestone; raise ChannelOutsideServer if the
        channel is not (or no longer) one of ``guild_id``'s, anything else if Discord fails."""

    @abstractmethod
    async def tell_admin(self, guild_id: int, user_id: int, text: str) -> None:
        """Tell a server admin, privately, about a problem with their settings; raise if
        Discord fails, so it is retried."""


class CaptureNotifier(ABC):
    """Tells a squad mate that a match was recorded for them from another member's upload;
    the same for the live send and a replay by the outbox consumer."""

    @abstractmethod
    async def tell_captured(self, notice: CaptureNotice, match: Match) -> None:
        """Privately, with Fix and Not me; where the member's DMs are closed, in the upload's
        channel without a mention. Raise if Discord fails, so it is retried."""


class MatchReplySender(ABC):
    """Sends a /debrief or /log reply into Discord: the same for the live reply and a replay.

    Each call raises when Discord or the network fails, so the reply stays owed.
    """

    @abstractmethod
    async def follow_up(
        self,
        request: MatchReplyRequest,
        match: Match,
        debrief: Debrief | None,
        captured: Sequence[Match] = (),
    ) -> bool:
        """The match for the channel, then the private "saved" line in place of the
        acknowledgement; False (nothing sent) when Discord no longer takes the token.

        `captured`: the matches the upload also recorded for squad mates, named in the line."""

    @abstractmethod
    async def post_in_channel(
        self,
        request: MatchReplyRequest,
        match: Match,
        debrief: Debrief | None,
        captured: Sequence[Match] = (),
    ) -> None:
        """The match posted in the interaction's channel, naming the player."""

    @abstractmethod
    async def tell_not_saved(self, request: MatchReplyRequest) -> None:
        """Privately, in place of the acknowledgement: nothing was saved, run it again."""


class GamertagLinkRepository(ABC):
    """Members' linked gamertags: one owner per (server, normalised name), and at most
    MAX_LINKS_PER_MEMBER names per member, both kept by the database under any race."""

    @abstractmethod
    async def add(self, link: GamertagLink) -> GamertagLink:
        """Link the name; the member's own existing link of it is returned as it is. Raise
        GamertagTaken when another member owns it, TooManyLinks when the member already has
        the cap of other names, whoever got there first under a race."""

    @abstractmethod
    async def move(self, link: GamertagLink) -> GamertagLink:
        """Give the name to `link.user_id`, whoever owned it (an admin resolving a conflict);
        TooManyLinks when that member already has the cap of other names."""

    @abstractmethod
    async def owner_of(self, guild_id: int, key: str) -> GamertagLink | None: ...

    @abstractmethod
    async def owners_of(self, guild_id: int, keys: Collection[str]) -> list[GamertagLink]:
        """The links of those names in that server (a scoreboard's names: one query)."""

    @abstractmethod
    async def has_auto_record_besides(self, guild_id: int, user_id: int) -> bool:
        """Whether another member of the server linked a name with auto_record on: only then
        can an upload's other rows capture anything, so only then are they read."""

    @abstractmethod
    async def of_member(self, guild_id: int, user_id: int) -> list[GamertagLink]:
        """The member's linked names in that server, in the order they linked them."""

    @abstractmethod
    async def remove(self, guild_id: int, key: str, user_id: int | None) -> bool:
        """Unlink the name; with `user_id`, only if it is that member's."""


class SeasonRepository(ABC):
    @abstractmethod
    async def start(self, season: SeasonFields) -> Season:
        """Insert the new season. Its idempotency key known already: that season. Its number
        taken by another start: raise SeasonRace (nothing written)."""

    @abstractmethod
    async def current(self, guild_id: int) -> Season | None:
        """The season with the highest number; None if the server never started one."""

    @abstractmethod
    async def all_of(self, guild_id: int) -> list[Season]:
        """Every season of the server, newest first (a server starts a few a year)."""
