"""Personal bests and milestones on the real database: right after saves, corrections and
deletions, and announced once however often a save or a debrief is replayed."""

from __future__ import annotations

from dataclasses import replace

from app.core.actors import Actor
from app.core.commands import CorrectMatch, DeleteMatch
from app.core.debriefs import Record
from app.core.events import DebriefWritten, MatchSaved
from app.core.guilds import GuildConfig
from app.core.outbox import RECORD_KIND
from app.shared.db.connection import Database
from tests.unit.core.test_record_announcements import (
    BEST,
    GUILD,
    OTHER_GUILD,
    PLAYER,
    Squad,
    stats,
)
from tests.unit.fakes import FrozenClock
from tests.unit.wiring import packaged_catalog


async def squad_on(database: Database) -> Squad:
    dependencies = replace(database.dependencies(packaged_catalog()), clock=FrozenClock())
    squad = Squad(deps=dependencies)
    await squad.configure()
    return squad


async def queued_ids(squad: Squad, records: list[Record]) -> list[str]:
    """The outbox entry of each record, by its dedupe key (unique in the outbox)."""
    entries = [await squad.deps.outbox.find(f"{RECORD_KIND}:{record.key}") for record in records]
    return [entry.id for entry in entries if entry is not None]


async def test_bests_follow_saves_corrections_and_deletions(database: Database) -> None:
    squad = await squad_on(database)
    for minutes in range(3):
        await squad.play(20, minutes=minutes)

    best = await squad.play(34, minutes=10)
    assert BEST in await squad.records_of(best)

    owner = Actor(PLAYER)
    await squad.bus.handle(CorrectMatch(match_id=best.id, actor=owner, raw_stats=stats(36)))
    assert "New personal best: 36 kills in Hardpoint" in await squad.records_of(best)
    await squad.bus.handle(CorrectMatch(match_id=best.id, actor=owner, raw_stats=stats(18)))
    assert await squad.records_of(best) == []

    await squad.bus.handle(DeleteMatch(match_id=best.id, actor=owner))
    after = await squad.play(25, minutes=20)
    assert "New personal best: 25 kills in Hardpoint" in await squad.records_of(after)
    assert squad.posted_kills() == [
        BEST,
        "New personal best: 36 kills in Hardpoint",
        "New personal best: 25 kills in Hardpoint",
    ]


async def test_replays_never_queue_or_post_a_record_twice(database: Database) -> None:
    squad = await squad_on(database)
    for minutes in range(3):
        await squad.play(20, minutes=minutes)
    best = await squad.play(34, minutes=10)
    debrief = await squad.deps.debriefs.get_for_match(best.id)
    assert debrief is not None
    posted, queued = squad.posted(), await queued_ids(squad, debrief.records)
    assert len(posted) == len(queued) == len(debrief.records) > 0

    for _ in range(2):
        await squad.bus.publish(MatchSaved(match=best))
        await squad.bus.publish(DebriefWritten(match=best, debrief=debrief))

    assert squad.posted() == posted
    assert await queued_ids(squad, debrief.records) == queued


async def test_the_thousandth_kill_is_a_milestone_counted_by_the_database(
    database: Database,
) -> None:
    squad = await squad_on(database)
    for minutes in range(24):
        await squad.play(40, minutes=minutes)  # 960 kills

    thousandth = await squad.play(40, minutes=30)

    assert "Milestone: 1,000 kills in this server" in await squad.records_of(thousandth)
    totals = await squad.deps.analytics.career_totals(PLAYER, GUILD)
    assert (totals.matches, totals.kills) == (25, 1000)
    await squad.bus.publish(MatchSaved(match=thousandth))
    assert squad.posted().count("Milestone: 1,000 kills in this server") == 1


async def test_a_servers_milestones_count_only_its_own_matches(database: Database) -> None:
    squad = await squad_on(database)
    await squad.deps.guild_configs.save(GuildConfig(guild_id=OTHER_GUILD, debrief_cooldown_s=0))
    for minutes in range(20):
        await squad.play(40, minutes=minutes, guild_id=OTHER_GUILD)  # 800 kills there
    for minutes in range(20, 24):
        await squad.play(40, minutes=minutes)  # 160 here

    here = await squad.play(40, minutes=30)

    assert not [text for text in await squad.records_of(here) if "Milestone" in text]
    totals_here = await squad.deps.analytics.career_totals(PLAYER, GUILD)
    totals_there = await squad.deps.analytics.career_totals(PLAYER, OTHER_GUILD)
    assert (totals_here.matches, totals_here.kills) == (5, 200)
    assert (totals_there.matches, totals_there.kills) == (20, 800)
