"""Whole-squad capture through bootstrap() with fakes: one upload records the match for the
uploader's opted-in squad mates, never twice, and "Not me" takes it back."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from app.bot.outbox import BOT_KINDS, BusDelivery, Delivered
from app.core.actors import Actor
from app.core.commands import (
    AnalyzeScreenshots,
    DisownCapturedMatch,
    LinkGamertag,
    OweMatchReply,
    ReplayCaptureNotice,
    Upload,
)
from app.core.errors import DomainError, Forbidden
from app.core.events import LobbyRead
from app.core.game.rules import Result
from app.core.matches import Match, MatchSource
from app.core.outbox import CAPTURE_NOTICE_KIND, OutboxStatus
from app.core.replies import TOKEN_LIFETIME, MatchReplyRequest, OwedReply
from app.core.squad.matching import AlreadyRecorded, capture_interaction_id
from app.core.squad.notices import CaptureNotice
from tests.support.factories import T0, raw_hardpoint
from tests.unit.fakes import FakeMatches, FrozenClock
from tests.unit.wiring import (
    FakeAI,
    FakeCaptureNotices,
    FakeMatchReplies,
    fake_ai,
    fake_bus,
    fake_dependencies,
)

GUILD = 50
CHANNEL = 7
UPLOADER, VIPER, RAVEN, QUIET = 1, 2, 3, 4


def member(user_id: int) -> Actor:
    return Actor(user_id, member_of=frozenset({GUILD}))


def row(gamertag: str, team: str = "ally", **stats: Any) -> dict[str, Any]:
    return {
        "gamertag": gamertag,
        "team": team,
        "score": 4200,
        "kills": 20,
        "deaths": 18,
        "assists": 6,
        "objective_time_s": 60,
        "captures": 3,
        **stats,
    }


LOBBY = (
    row("Viper_21"),
    row("Raven", team="enemy"),
    row("Quiet"),  # linked, but never opted in
    row("Viper_21 alt", kills=None),  # unreadable cell: dropped
    row("Stranger"),  # nobody's name
)


class World:
    def __init__(self, lobby: tuple[dict[str, Any], ...] = LOBBY) -> None:
        self.clock = FrozenClock()
        self.deps = fake_dependencies(self.clock)
        self.ai = FakeAI(raw_hardpoint(), lobby=lobby)
        self.notices = FakeCaptureNotices(closed_dms=frozenset({RAVEN}))
        self.replies = FakeMatchReplies()
        self.bus = fake_bus(
            self.deps,
            fake_ai(self.ai),
            extra_dependencies={"capture_notifier": self.notices, "match_replies": self.replies},
        )

    async def link(self, user_id: int, name: str, *, auto_record: bool = True) -> None:
        await self.bus.handle(
            LinkGamertag(
                guild_id=GUILD, actor=member(user_id), gamertag=name, auto_record=auto_record
            )
        )

    async def squad(self) -> None:
        await self.link(VIPER, "Viper_21")
        await self.link(RAVEN, "raven")
        await self.link(QUIET, "Quiet", auto_record=False)

    async def upload(self, user_id: int = UPLOADER, interaction: int = 1001) -> Match:
        owed: OwedReply = await self.bus.handle(
            OweMatchReply(request=request(user_id, interaction))
        )
        saved: Match = await self.bus.handle(screenshots(user_id, interaction, reply=owed))
        return saved

    @property
    def matches(self) -> FakeMatches:
        store: FakeMatches = self.deps.matches  # type: ignore[assignment]
        return store

    def of(self, user_id: int) -> list[Match]:
        return [m for m in self.matches.rows.values() if m.user_id == user_id]


def request(user_id: int, interaction: int) -> MatchReplyRequest:
    return MatchReplyRequest(
        interaction_id=interaction,
        application_id=9,
        interaction_token="token",
        token_expires_at=T0 + TOKEN_LIFETIME,
        guild_id=GUILD,
        channel_id=CHANNEL,
        user_id=user_id,
        match_interaction_id=interaction,
    )


def screenshots(
    user_id: int, interaction: int, *, reply: OwedReply | None = None
) -> AnalyzeScreenshots:
    png = b"\x89PNG\r\n\x1a\n" + f"board {interaction}".encode()
    return AnalyzeScreenshots(
        guild_id=GUILD,
        channel_id=CHANNEL,
        user_id=user_id,
        interaction_id=interaction,
        uploads=(Upload(filename="board.png", declared_type="image/png", data=png),),
        size_limit=10 * 2**20,
        played_at=T0,
        reply=reply,
    )


async def test_only_opted_in_mates_get_the_match_and_an_enemy_sees_it_turned_round() -> None:
    world = World()
    await world.squad()

    origin = await world.upload()

    [viper] = world.of(VIPER)
    [raven] = world.of(RAVEN)
    assert world.of(QUIET) == []  # linked without auto_record: nothing recorded
    assert viper.source is MatchSource.CAPTURED
    assert viper.captured_from is not None
    assert (viper.captured_from.match_id, viper.captured_from.user_id) == (origin.id, UPLOADER)
    assert (viper.stats.result, viper.stats.team_score, viper.stats.enemy_score) == (
        Result.WIN,
        250,
        201,
    )
    assert (raven.stats.result, raven.stats.team_score, raven.stats.enemy_score) == (
        Result.LOSS,
        201,
        250,
    )
    assert (viper.stats.map, viper.played_at, viper.channel_id) == ("Den", T0, CHANNEL)
    assert viper.stats.player.gamertag == "Viper_21"
    assert viper.stats.player.kills == 20


async def test_each_mate_is_told_and_the_uploader_hears_who_was_recorded_too() -> None:
    world = World()
    await world.squad()

    origin = await world.upload()

    [viper] = world.of(VIPER)
    [raven] = world.of(RAVEN)
    assert sorted(world.notices.sent) == sorted(
        [("dm", VIPER, viper.id), ("channel", RAVEN, raven.id)]
    )
    assert world.replies.captured[origin.id] == sorted([viper.id, raven.id])
    for captured in (viper, raven):
        notice = await world.deps.outbox.find(f"{CAPTURE_NOTICE_KIND}:{captured.id}")
        assert notice is not None and notice.status is OutboxStatus.DELIVERED


async def test_an_invalid_row_is_dropped_and_the_uploader_keeps_their_match() -> None:
    world = World(lobby=(row("Viper_21", deaths=999), {"gamertag": "Raven"}, "not a row"))  # type: ignore[arg-type]
    await world.squad()

    origin = await world.upload()

    assert world.of(VIPER) == world.of(RAVEN) == []
    assert world.of(UPLOADER) == [origin]
    assert world.replies.captured[origin.id] == []


async def test_a_replayed_capture_records_nothing_twice() -> None:
    world = World()
    await world.squad()
    origin = await world.upload()

    # The subscriber run again (a retried handler), then the whole interaction replayed.
    await world.bus.publish(LobbyRead(match=origin, lobby=LOBBY))
    with pytest.raises(DomainError):
        await world.bus.handle(screenshots(UPLOADER, 1001))

    assert len(world.of(VIPER)) == len(world.of(RAVEN)) == 1
    assert len(world.notices.sent) == 2


async def test_the_capture_id_is_one_per_upload_and_member() -> None:
    assert capture_interaction_id("a" * 24, VIPER) == capture_interaction_id("a" * 24, VIPER)
    assert capture_interaction_id("a" * 24, VIPER) != capture_interaction_id("a" * 24, RAVEN)
    assert capture_interaction_id("a" * 24, VIPER) < 0  # never a Discord snowflake


async def test_a_mate_uploading_a_captured_match_is_pointed_at_it_not_given_a_duplicate() -> None:
    world = World()
    await world.squad()
    await world.upload()
    [captured] = world.of(VIPER)
    # Viper's own screenshot of the same match, a little later: other bytes, the same board.
    world.ai.raw_stats = raw_hardpoint(gamertag="Viper_21")
    world.clock.now = T0 + timedelta(minutes=20)

    with pytest.raises(AlreadyRecorded) as known:
        await world.bus.handle(screenshots(VIPER, 2002))

    assert known.value.existing_match_id == captured.id
    assert f"<@{UPLOADER}>" in known.value.user_message
    assert world.of(VIPER) == [captured]


async def test_a_mate_who_uploaded_first_is_not_given_a_second_match() -> None:
    world = World()
    await world.squad()
    world.ai.raw_stats = raw_hardpoint(gamertag="Viper_21")
    [own] = [await world.upload(VIPER, 3003)]
    world.ai.raw_stats = raw_hardpoint()

    await world.upload(UPLOADER, 1001)

    # By id: their own upload's capture marker was cleared since.
    assert [m.id for m in world.of(VIPER)] == [own.id]
    assert [sent[1] for sent in world.notices.sent] == [RAVEN]


async def test_another_match_of_the_same_evening_is_captured() -> None:
    world = World()
    await world.squad()
    await world.upload()
    world.ai.raw_stats = {**raw_hardpoint(), "team_score": 250, "enemy_score": 180}
    world.clock.now = T0 + timedelta(minutes=1)  # past the uploader's cooldown

    await world.upload(UPLOADER, 1002)

    assert len(world.of(VIPER)) == 2


async def test_a_match_beyond_the_window_is_another_match() -> None:
    world = World()
    await world.squad()
    await world.upload()
    [captured] = world.of(VIPER)
    world.ai.raw_stats = raw_hardpoint(gamertag="Viper_21")

    later = replace(screenshots(VIPER, 2002), played_at=T0 + timedelta(hours=3))
    saved: Match = await world.bus.handle(later)

    assert {m.id for m in world.of(VIPER)} == {captured.id, saved.id}


async def test_not_me_deletes_the_captured_match_and_its_debrief() -> None:
    world = World()
    await world.squad()
    await world.upload()
    [captured] = world.of(VIPER)
    assert await world.deps.debriefs.get_for_match(captured.id) is not None

    removed: Match = await world.bus.handle(
        DisownCapturedMatch(match_id=captured.id, actor=member(VIPER))
    )

    assert removed.id == captured.id
    assert world.of(VIPER) == []
    assert await world.deps.debriefs.get_for_match(captured.id) is None
    # The opt-in stays: the answer says how to turn it off.
    link = await world.deps.gamertag_links.owner_of(GUILD, "viper_21")
    assert link is not None and link.auto_record


async def test_only_the_captured_player_may_say_not_me_and_only_of_a_captured_match() -> None:
    world = World()
    await world.squad()
    origin = await world.upload()
    [captured] = world.of(VIPER)

    with pytest.raises(Forbidden):
        await world.bus.handle(DisownCapturedMatch(match_id=captured.id, actor=member(RAVEN)))
    with pytest.raises(DomainError):
        await world.bus.handle(DisownCapturedMatch(match_id=origin.id, actor=member(UPLOADER)))
    assert world.of(VIPER) == [captured]


async def test_a_notice_replayed_after_not_me_tells_nobody() -> None:
    world = World()
    await world.squad()
    await world.upload()
    [captured] = world.of(VIPER)
    notice = CaptureNotice(
        guild_id=GUILD,
        channel_id=CHANNEL,
        user_id=VIPER,
        uploader_id=UPLOADER,
        match_id=captured.id,
        gamertag="Viper_21",
    )
    await world.bus.handle(ReplayCaptureNotice(notice=notice))
    await world.bus.handle(DisownCapturedMatch(match_id=captured.id, actor=member(VIPER)))
    await world.bus.handle(ReplayCaptureNotice(notice=notice))

    assert [sent for sent in world.notices.sent if sent[1] == VIPER] == [
        ("dm", VIPER, captured.id),
        ("dm", VIPER, captured.id),
    ]


async def test_a_failed_notice_is_handed_to_the_outbox_and_the_matches_stay() -> None:
    world = World()
    world.notices.down = True
    await world.squad()

    await world.upload()

    [captured] = world.of(VIPER)
    notice = await world.deps.outbox.find(f"{CAPTURE_NOTICE_KIND}:{captured.id}")
    assert notice is not None and notice.status is OutboxStatus.PENDING
    assert notice.available_at == T0  # due at once for the outbox consumer


async def test_linking_again_changes_only_the_opt_in_and_only_when_given() -> None:
    world = World()
    await world.bus.handle(LinkGamertag(guild_id=GUILD, actor=member(VIPER), gamertag="Viper_21"))
    new = await world.deps.gamertag_links.owner_of(GUILD, "viper_21")
    await world.link(VIPER, "viper_21 ", auto_record=True)
    await world.bus.handle(LinkGamertag(guild_id=GUILD, actor=member(VIPER), gamertag="VIPER_21"))

    link = await world.deps.gamertag_links.owner_of(GUILD, "viper_21")
    assert new is not None and not new.auto_record  # off unless turned on
    assert link is not None and link.auto_record and link.gamertag == "Viper_21"
    assert link.linked_at == new.linked_at


async def test_an_admin_cannot_opt_someone_else_in() -> None:
    world = World()
    admin = Actor(9, admin_of=frozenset({GUILD}), member_of=frozenset({GUILD}))

    with pytest.raises(DomainError):
        await world.bus.handle(
            LinkGamertag(
                guild_id=GUILD, actor=admin, gamertag="Viper_21", member_id=VIPER, auto_record=True
            )
        )


async def test_the_outbox_consumer_delivers_a_notice_discord_refused_at_first() -> None:
    world = World()
    world.notices.down = True
    await world.squad()
    await world.upload()
    [captured] = world.of(VIPER)
    world.notices.down = False

    delivered = []
    outbox = world.deps.outbox
    while message := await outbox.claim_due(world.clock(), timedelta(minutes=1), BOT_KINDS):
        delivered.append((message.kind, await BusDelivery(world.bus)(message)))
        await outbox.mark_delivered(message.id, world.clock())

    assert (CAPTURE_NOTICE_KIND, Delivered()) in delivered
    assert ("dm", VIPER, captured.id) in world.notices.sent


async def test_the_lobby_is_read_only_where_another_member_opted_in() -> None:
    world = World()
    await world.link(UPLOADER, "Ghost", auto_record=True)  # the uploader's own opt-in: no use
    await world.link(QUIET, "Quiet", auto_record=False)
    first = await world.upload()
    await world.link(VIPER, "Viper_21")
    world.clock.now = T0 + timedelta(minutes=1)  # past the uploader's cooldown
    world.ai.raw_stats = {**raw_hardpoint(), "enemy_score": 180}  # another match

    await world.upload(interaction=1002)

    assert world.ai.lobby_asked == [False, True]
    assert not first.capture_pending
    assert len(world.of(VIPER)) == 1
