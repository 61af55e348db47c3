"""Personal bests and milestones through the bus: in the debrief, and in the squad channel when
the server turned `announce_bests` on; once per record, whatever is replayed."""

from __future__ import annotations

from datetime import timedelta

from app.core.actors import Actor
from app.core.bootstrap import Dependencies
from app.core.commands import CorrectMatch, DeleteMatch, RecordMatch, ReplayRecordAnnouncement
from app.core.deliveries import RecordAnnouncement
from app.core.events import DebriefWritten, MatchSaved
from app.core.guilds import GuildConfig
from app.core.handlers import API_HANDLERS
from app.core.matches import Match, MatchSource
from app.core.outbox import RECORD_KIND, OutboxStatus
from tests.support.factories import T0, raw_hardpoint
from tests.unit.fakes import FrozenClock
from tests.unit.wiring import FakeAnnouncer, FakeChannels, fake_bus, fake_dependencies

GUILD, CHANNEL, OTHER_GUILD, PLAYER = 1, 50, 2, 3
BEST = "New personal best: 34 kills in Hardpoint"


def stats(kills: int) -> dict[str, object]:
    """Hardpoint with these kills, and a weapon that got no more of them."""
    raw = raw_hardpoint(kills=kills)
    raw["weapons"] = [{"name": "M15 Mod 0", "kills": kills, "headshots": 0, "accuracy": 23.5}]
    return raw


class Squad:
    def __init__(
        self, *, announce: bool = True, down: bool = False, deps: Dependencies | None = None
    ) -> None:
        self.deps = deps or fake_dependencies(FrozenClock())
        self.channels = FakeChannels({CHANNEL: GUILD})
        self.announcer = FakeAnnouncer(self.channels, down=down)
        self.bus = fake_bus(
            self.deps,
            extra_dependencies={"announcer": self.announcer, "channels": self.channels},
        )
        self.announce = announce
        self._interactions = iter(range(100, 1000))

    async def configure(self) -> None:
        # No cooldown: these tests log one match after another.
        config = GuildConfig(
            guild_id=GUILD,
            digest_channel_id=CHANNEL,
            announce_bests=self.announce,
            debrief_cooldown_s=0,
        )
        await self.deps.guild_configs.save(config)

    async def play(self, kills: int, *, minutes: int, guild_id: int = GUILD) -> Match:
        interaction = next(self._interactions)
        match: Match = await self.bus.handle(
            RecordMatch(
                guild_id=guild_id,
                channel_id=CHANNEL,
                user_id=PLAYER,
                interaction_id=interaction,
                raw_stats=stats(kills),
                source=MatchSource.MANUAL,
                played_at=T0 + timedelta(minutes=minutes),
            )
        )
        return match

    async def records_of(self, match: Match) -> list[str]:
        debrief = await self.deps.debriefs.get_for_match(match.id)
        assert debrief is not None
        return [record.text for record in debrief.records]

    def posted(self) -> list[str]:
        return [text for _, _, text in self.announcer.records]

    def posted_kills(self) -> list[str]:
        """The kills records only: a best in kills is usually a best in K/D and score too."""
        return [text for text in self.posted() if text.endswith("kills in Hardpoint")]


async def squad_with_history(**options: bool) -> Squad:
    squad = Squad(**options)
    await squad.configure()
    for minutes in range(3):
        await squad.play(20, minutes=minutes)
    return squad


async def test_a_new_best_is_in_the_debrief_and_posted_once_when_turned_on() -> None:
    squad = await squad_with_history()

    best = await squad.play(34, minutes=10)

    assert BEST in await squad.records_of(best)
    assert squad.posted_kills() == [BEST]
    assert len(squad.posted()) == len(await squad.records_of(best))
    assert {(channel, user) for channel, user, _ in squad.announcer.records} == {(CHANNEL, PLAYER)}


async def test_nothing_is_posted_while_the_setting_is_off() -> None:
    squad = await squad_with_history(announce=False)

    best = await squad.play(34, minutes=10)

    assert BEST in await squad.records_of(best)
    assert squad.posted() == []
    assert squad.deps.outbox.rows == {}


async def test_a_replayed_save_or_debrief_never_posts_twice() -> None:
    squad = await squad_with_history()
    best = await squad.play(34, minutes=10)
    debrief = await squad.deps.debriefs.get_for_match(best.id)
    assert debrief is not None

    await squad.bus.publish(MatchSaved(match=best))
    await squad.bus.publish(DebriefWritten(match=best, debrief=debrief))

    queued = [m for m in squad.deps.outbox.rows.values() if m.kind == RECORD_KIND]
    assert len(squad.posted()) == len(queued) == len(debrief.records)
    assert squad.posted_kills() == [BEST]


async def test_a_correction_that_sets_a_higher_best_is_a_new_record() -> None:
    squad = await squad_with_history()
    best = await squad.play(34, minutes=10)
    owner = Actor(PLAYER)

    await squad.bus.handle(CorrectMatch(match_id=best.id, actor=owner, raw_stats=stats(36)))
    await squad.bus.handle(CorrectMatch(match_id=best.id, actor=owner, raw_stats=stats(18)))

    assert squad.posted_kills() == [BEST, "New personal best: 36 kills in Hardpoint"]
    assert await squad.records_of(best) == []  # 18 kills is nobody's best


async def test_a_deleted_best_leaves_no_stale_best_behind() -> None:
    squad = await squad_with_history()
    best = await squad.play(34, minutes=10)
    await squad.bus.handle(DeleteMatch(match_id=best.id, actor=Actor(PLAYER)))

    after = await squad.play(30, minutes=20)

    assert "New personal best: 30 kills in Hardpoint" in await squad.records_of(after)


async def test_a_post_that_fails_stays_in_the_outbox_and_its_replay_posts_it() -> None:
    squad = await squad_with_history(down=True)
    await squad.play(34, minutes=10)
    queued = [m for m in squad.deps.outbox.rows.values() if m.kind == RECORD_KIND]
    assert queued and all(m.status is OutboxStatus.PENDING and m.last_error for m in queued)

    squad.announcer.down = False
    for message in queued:
        announcement = RecordAnnouncement.model_validate(message.payload)
        await squad.bus.handle(ReplayRecordAnnouncement(announcement=announcement))

    assert squad.posted_kills() == [BEST]


async def test_a_channel_outside_the_server_fails_the_post_for_good() -> None:
    squad = await squad_with_history()
    squad.channels.guilds[CHANNEL] = OTHER_GUILD

    await squad.play(34, minutes=10)

    queued = [m for m in squad.deps.outbox.rows.values() if m.kind == RECORD_KIND]
    assert queued and all(m.status is OutboxStatus.FAILED for m in queued)
    assert squad.posted() == []


async def test_the_hundredth_win_is_a_milestone_once() -> None:
    squad = Squad()
    await squad.configure()
    for minute in range(99):
        await squad.play(5, minutes=minute)
    hundredth = await squad.play(5, minutes=500)

    assert "Milestone: 100th win in this server" in await squad.records_of(hundredth)
    assert "Milestone: 100th match logged in this server" in await squad.records_of(hundredth)
    await squad.bus.publish(MatchSaved(match=hundredth))
    assert squad.posted().count("Milestone: 100th win in this server") == 1


async def test_milestones_count_the_servers_own_matches_and_each_server_has_its_own() -> None:
    squad = Squad()
    await squad.configure()
    await squad.deps.guild_configs.save(
        GuildConfig(guild_id=OTHER_GUILD, announce_bests=False, debrief_cooldown_s=0)
    )
    for minute in range(60):  # 60 wins in the player's other server
        await squad.play(5, minutes=minute, guild_id=OTHER_GUILD)
    for minute in range(60, 99):  # 39 here: 99 in all
        await squad.play(5, minutes=minute)

    here = await squad.play(5, minutes=200)
    assert not [text for text in await squad.records_of(here) if "Milestone" in text], (
        "the 40th win here is not this server's 100th"
    )
    for minute in range(201, 260):  # 99 here
        await squad.play(5, minutes=minute)
    hundredth_here = await squad.play(5, minutes=300)

    expected = "Milestone: 100th win in this server"
    assert expected in await squad.records_of(hundredth_here)
    assert squad.posted().count(expected) == 1
    assert {channel for channel, _, _ in squad.announcer.records} == {CHANNEL}


async def test_a_best_set_by_a_correction_on_the_web_is_queued_for_the_bot() -> None:
    squad = await squad_with_history(announce=True)
    match = await squad.play(20, minutes=10)
    api = fake_bus(squad.deps, handlers=API_HANDLERS)
    now = squad.deps.clock()

    await api.handle(CorrectMatch(match_id=match.id, actor=Actor(PLAYER), raw_stats=stats(34)))

    queued = [m for m in squad.deps.outbox.rows.values() if m.kind == RECORD_KIND]
    assert queued and all(m.available_at == now for m in queued), "due at once, for the bot"
    assert squad.posted() == []  # the API never posts into Discord itself
    for message in queued:
        announcement = RecordAnnouncement.model_validate(message.payload)
        await squad.bus.handle(ReplayRecordAnnouncement(announcement=announcement))
    assert squad.posted_kills() == [BEST]


async def test_nothing_is_queued_without_a_squad_channel() -> None:
    squad = await squad_with_history()
    await squad.deps.guild_configs.save(
        GuildConfig(
            guild_id=GUILD, digest_channel_id=None, announce_bests=True, debrief_cooldown_s=0
        )
    )

    best = await squad.play(34, minutes=10)

    assert BEST in await squad.records_of(best)
    assert squad.deps.outbox.rows == {} and squad.posted() == []
