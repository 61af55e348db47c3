"""A record announcement whose live post failed, replayed by the bot's outbox consumer on the
real database: posted once, and never again however often the debrief is replayed."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from app.bot.outbox import BusDelivery, Delivered
from app.core.clock import utc_now
from app.core.events import DebriefWritten
from app.core.outbox import RECORD_KIND, OutboxStatus
from app.shared.db.connection import Database
from tests.unit.core.test_record_announcements import BEST, Squad
from tests.unit.fakes import FrozenClock
from tests.unit.wiring import packaged_catalog


async def test_a_failed_record_post_is_replayed_once_by_the_outbox_consumer(
    database: Database,
) -> None:
    dependencies = replace(database.dependencies(packaged_catalog()), clock=FrozenClock(utc_now()))
    squad = Squad(deps=dependencies, down=True)
    await squad.configure()
    for minutes in range(3):
        await squad.play(20, minutes=minutes)
    best = await squad.play(34, minutes=10)
    debrief = await dependencies.debriefs.get_for_match(best.id)
    assert debrief is not None and squad.posted() == []

    squad.announcer.down = False  # Discord is back; the consumer claims what was handed over
    delivered = 0
    while message := await dependencies.outbox.claim_due(
        utc_now() + timedelta(minutes=1), timedelta(minutes=5), {RECORD_KIND}
    ):
        assert await BusDelivery(squad.bus)(message) == Delivered()
        await dependencies.outbox.mark_delivered(message.id, utc_now())
        delivered += 1
    await squad.bus.publish(DebriefWritten(match=best, debrief=debrief))

    assert delivered == len(debrief.records) == len(squad.posted()) > 0
    assert BEST in squad.posted()
    for record in debrief.records:
        entry = await dependencies.outbox.find(f"{RECORD_KIND}:{record.key}")
        assert entry is not None and entry.status is OutboxStatus.DELIVERED
