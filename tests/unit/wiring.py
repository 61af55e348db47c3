"""Everything a process gets from bootstrap(), as in-memory fakes."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from app.core.ai import (
    AIUsage,
    DebriefText,
    DebriefWriter,
    DigestWriter,
    Extraction,
    ImagePreparer,
    PreparedImage,
    StatsReader,
)
from app.core.analytics import WeekTotals
from app.core.bootstrap import AIDependencies, Dependencies, bootstrap
from app.core.bus import MessageBus
from app.core.debriefs import Debrief
from app.core.errors import AIUnavailable, ChannelOutsideServer
from app.core.game.catalog import Catalog
from app.core.handlers import BOT_HANDLERS, HandlerTables
from app.core.matches import Match
from app.core.ports import Announcer, CaptureNotifier, ChannelDirectory, MatchReplySender
from app.core.replies import MatchReplyRequest, reply_lease
from app.core.squad.notices import CaptureNotice
from app.shared.catalog.loader import load_catalog
from tests.unit.fakes import (
    FakeDebriefs,
    FakeGuildConfigs,
    FakeMatches,
    FakeOutbox,
    FakeRefreshTokens,
    FakeUsers,
    FrozenClock,
)
from tests.unit.fakes_analytics import FakeAnalytics, FakeCooldowns, FakeDigestRuns
from tests.unit.fakes_ask import FakeQueryPlanner, FakeQueryRunner
from tests.unit.fakes_links import FakeGamertagLinks, FakeSeasons

USAGE = AIUsage(model="fake")
_CATALOG: Catalog | None = None


def packaged_catalog() -> Catalog:
    global _CATALOG  # loaded once: it is immutable and parsing it for every test is waste
    if _CATALOG is None:
        _CATALOG = load_catalog()
    return _CATALOG


def fake_dependencies(clock: FrozenClock | None = None) -> Dependencies:
    matches = FakeMatches()
    return Dependencies(
        matches=matches,
        debriefs=FakeDebriefs(),
        guild_configs=FakeGuildConfigs(),
        users=FakeUsers(),
        refresh_tokens=FakeRefreshTokens(),
        outbox=FakeOutbox(),
        analytics=FakeAnalytics(matches),
        cooldowns=FakeCooldowns(),
        digest_runs=FakeDigestRuns(),
        gamertag_links=FakeGamertagLinks(),
        seasons=FakeSeasons(),
        guarded_queries=FakeQueryRunner(),
        catalog=packaged_catalog(),
        clock=clock or FrozenClock(),
    )


class FakeImages(ImagePreparer):
    async def prepare(self, data: bytes, mime_type: str) -> PreparedImage:
        return PreparedImage(data, mime_type, 1, 1, hashlib.sha256(data).hexdigest())


class FakeAI(StatsReader, DebriefWriter, DigestWriter):
    """Reads whatever raw stats it is given; writes short fixed texts; can be switched off."""

    def __init__(
        self,
        raw_stats: Mapping[str, Any] | None = None,
        *,
        down: bool = False,
        lobby: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        self.raw_stats = raw_stats or {}
        # The scoreboard's other rows, as a reader fills `Extraction.lobby`.
        self.lobby = tuple(lobby)
        self.down = down
        self.calls: list[str] = []
        # The names each read_stats call was given, in order.
        self.names_given: list[tuple[str, ...]] = []
        # Whether each read_stats call asked for the other rows.
        self.lobby_asked: list[bool] = []

    async def read_stats(
        self,
        images: Sequence[PreparedImage],
        note: str | None,
        known_gamertags: Sequence[str] = (),
        *,
        with_lobby: bool = False,
    ) -> Extraction:
        self._call("read_stats")
        self.names_given.append(tuple(known_gamertags))
        self.lobby_asked.append(with_lobby)
        return Extraction(self.raw_stats, USAGE, lobby=self.lobby if with_lobby else ())

    async def write_debrief(self, facts: Mapping[str, Any]) -> DebriefText:
        self._call("write_debrief")
        return DebriefText("Solid game", ("Hill time",), ("Trading",), USAGE)

    async def write_digest(self, facts: Mapping[str, Any]) -> str:
        self._call("write_digest")
        return f"A week of {facts['matches']} matches."

    def _call(self, name: str) -> None:
        self.calls.append(name)
        if self.down:
            raise AIUnavailable


class FakeChannels(ChannelDirectory):
    """Discord's channels as a table: channel id → server id."""

    def __init__(self, guild_of: Mapping[int, int] | None = None) -> None:
        self.guilds = dict(guild_of or {})

    async def guild_of(self, channel_id: int) -> int | None:
        return self.guilds.get(channel_id)


class FakeAnnouncer(Announcer):
    """Posts only into channels that `channels` says are the server's, like the bot's.

    `down` fails every call as Discord does in an outage.
    """

    def __init__(self, channels: FakeChannels | None = None, *, down: bool = False) -> None:
        self.channels = channels
        self.down = down
        self.posted: list[tuple[int, str, str]] = []
        self.told: list[tuple[int, int, str]] = []
        self.records: list[tuple[int, int, str]] = []

    async def post_digest(
        self, guild_id: int, channel_id: int, week: str, text: str, totals: WeekTotals
    ) -> None:
        self._fail_if_down()  # the bot's check asks Discord too
        if self.channels is not None and await self.channels.guild_of(channel_id) != guild_id:
            raise ChannelOutsideServer
        self.posted.append((channel_id, week, text))

    async def post_record(self, guild_id: int, channel_id: int, user_id: int, text: str) -> None:
        self._fail_if_down()
        if self.channels is not None and await self.channels.guild_of(channel_id) != guild_id:
            raise ChannelOutsideServer
        self.records.append((channel_id, user_id, text))

    async def tell_admin(self, guild_id: int, user_id: int, text: str) -> None:
        self._fail_if_down()
        self.told.append((guild_id, user_id, text))

    def _fail_if_down(self) -> None:
        if self.down:
            raise ConnectionError("Discord is down")


class FakeMatchReplies(MatchReplySender):
    """Discord's side of the match replies: what was sent, and how it can fail.

    `refuse_token` answers follow-ups as Discord does once the token has expired (nothing sent);
    `down` fails every call as Discord does in an outage.
    """

    def __init__(self, *, refuse_token: bool = False, down: bool = False) -> None:
        self.refuse_token = refuse_token
        self.down = down
        # ("follow_up" | "channel" | "not_saved", interaction id, match id or None, headline)
        self.sent: list[tuple[str, int, str | None, str | None]] = []
        # Per replied match: the squad mates' matches the reply named.
        self.captured: dict[str, list[str]] = {}

    async def follow_up(
        self,
        request: MatchReplyRequest,
        match: Match,
        debrief: Debrief | None,
        captured: Sequence[Match] = (),
    ) -> bool:
        self._fail_if_down()
        if self.refuse_token:
            return False
        self.sent.append(("follow_up", request.interaction_id, match.id, _headline(debrief)))
        self.captured[match.id] = [m.id for m in captured]
        return True

    async def post_in_channel(
        self,
        request: MatchReplyRequest,
        match: Match,
        debrief: Debrief | None,
        captured: Sequence[Match] = (),
    ) -> None:
        self._fail_if_down()
        self.sent.append(("channel", request.interaction_id, match.id, _headline(debrief)))
        self.captured[match.id] = [m.id for m in captured]

    async def tell_not_saved(self, request: MatchReplyRequest) -> None:
        self._fail_if_down()
        self.sent.append(("not_saved", request.interaction_id, None, None))

    def _fail_if_down(self) -> None:
        if self.down:
            raise ConnectionError("Discord is down")


class FakeCaptureNotices(CaptureNotifier):
    """Squad mates' DMs: `closed_dms` members get the line in the channel instead; `down`
    fails every call as Discord does in an outage."""

    def __init__(self, *, closed_dms: frozenset[int] = frozenset(), down: bool = False) -> None:
        self.closed_dms = closed_dms
        self.down = down
        # ("dm" | "channel", member, match id)
        self.sent: list[tuple[str, int, str]] = []

    async def tell_captured(self, notice: CaptureNotice, match: Match) -> None:
        if self.down:
            raise ConnectionError("Discord is down")
        where = "channel" if notice.user_id in self.closed_dms else "dm"
        self.sent.append((where, notice.user_id, match.id))


def _headline(debrief: Debrief | None) -> str | None:
    return None if debrief is None else debrief.headline


# The bot's shortest lease on a reply it owes.
FAKE_REPLY_LEASE = reply_lease(timedelta(seconds=10), 3, timedelta(seconds=8))


def fake_ai(ai: FakeAI | None = None, planner: FakeQueryPlanner | None = None) -> AIDependencies:
    ai = ai or FakeAI()
    return AIDependencies(
        images=FakeImages(),
        stats_reader=ai,
        debrief_writer=ai,
        planner=planner or FakeQueryPlanner(),
        digest_writer=ai,
    )


def fake_bus(
    deps: Dependencies,
    ai: AIDependencies | None = None,
    *,
    handlers: HandlerTables = BOT_HANDLERS,
    extra_dependencies: Mapping[str, object] | None = None,
    **options: Any,
) -> MessageBus:
    """bootstrap() as the bot calls it, with fakes for the AI and everything Discord."""
    return bootstrap(
        deps,
        ai or fake_ai(),
        handlers=handlers,
        extra_dependencies={
            "announcer": FakeAnnouncer(),
            "capture_notifier": FakeCaptureNotices(),
            "channels": FakeChannels(),
            "match_replies": FakeMatchReplies(),
            "match_reply_lease": FAKE_REPLY_LEASE,
            **(extra_dependencies or {}),
        },
        **options,
    )
