"""Announcing personal bests and milestones in the squad's channel, when the server wants it.

    DebriefWritten (with records) ─▶ announce_records: `announce_bests` on and a channel set?
        queue one entry per record (dedupe key: the record's own key), post each now
    the post failed, or this process died ─▶ ReplayRecordAnnouncement (outbox consumer)

The API, which never posts into Discord, queues the same entries due at once
(`hand_records_to_the_bot`), for the bot's outbox consumer to post: a correction on the web
announces a new best like one in Discord.

The dedupe key names the record for good (the player, the stat, the value), so a replayed
save, a debrief rewritten after a correction, or a match deleted and logged again never posts
the same record twice; a correction that sets a higher best is a new record, posted once.
"""

from __future__ import annotations

from app.core.bus import Emit
from app.core.clock import Clock
from app.core.commands import ReplayRecordAnnouncement
from app.core.deliveries import RecordAnnouncement
from app.core.errors import ChannelOutsideServer, DomainError
from app.core.events import DebriefWritten
from app.core.handlers.deliveries import send_now
from app.core.i18n import N_
from app.core.ports import Announcer, GuildConfigRepository, OutboxRepository


class RecordChannelGone(DomainError):
    user_message = N_("The squad channel is no longer a channel of this server.")


async def announce_records(
    event: DebriefWritten,
    *,
    emit: Emit,
    guild_configs: GuildConfigRepository,
    outbox: OutboxRepository,
    announcer: Announcer,
    clock: Clock,
) -> None:
    """Queue each record, leased to this process, and post it now."""
    for announcement in await announcements_of(event, guild_configs):
        message = await outbox.enqueue(announcement.outbox_message(clock()))

        async def post(announcement: RecordAnnouncement = announcement) -> None:
            await post_record(announcement, announcer)

        await send_now(message, post, outbox=outbox, clock=clock)


async def hand_records_to_the_bot(
    event: DebriefWritten,
    *,
    emit: Emit,
    guild_configs: GuildConfigRepository,
    outbox: OutboxRepository,
    clock: Clock,
) -> None:
    """Queue each record due at once: the bot's outbox consumer posts it."""
    for announcement in await announcements_of(event, guild_configs):
        await outbox.enqueue(announcement.outbox_message(clock(), leased=False))


async def announcements_of(
    event: DebriefWritten, guild_configs: GuildConfigRepository
) -> list[RecordAnnouncement]:
    """The debrief's records, to post, if its server turned announcements on and has a channel."""
    if not event.debrief.records:
        return []
    config = await guild_configs.get(event.match.guild_id)
    if not config.announce_bests or config.digest_channel_id is None:
        return []
    return [
        RecordAnnouncement(
            guild_id=event.match.guild_id,
            channel_id=config.digest_channel_id,
            user_id=event.match.user_id,
            match_id=event.match.id,
            record_key=record.key,
            text=record.text,
        )
        for record in event.debrief.records
    ]


async def replay_record_announcement(
    cmd: ReplayRecordAnnouncement, *, emit: Emit, announcer: Announcer
) -> None:
    """An announcement the outbox consumer claimed; the consumer records the outcome."""
    await post_record(cmd.announcement, announcer)


async def post_record(announcement: RecordAnnouncement, announcer: Announcer) -> None:
    """A channel that left the server is final (RecordChannelGone): retrying cannot help."""
    try:
        await announcer.post_record(
            announcement.guild_id, announcement.channel_id, announcement.user_id, announcement.text
        )
    except ChannelOutsideServer:
        raise RecordChannelGone from None
