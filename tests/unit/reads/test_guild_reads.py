"""A server's settings and the commands queued for the bot: for its admins and requesters."""

from __future__ import annotations

import pytest

from app.core.actors import NotAMember
from app.core.errors import Forbidden, NotFound
from app.core.outbox import POST_DIGEST_KIND
from app.core.reads.guilds import guild_settings, visible_command
from tests.support.factories import outbox_fields
from tests.unit.fakes import FakeGuildConfigs, FakeOutbox
from tests.unit.reads.world import ADMIN, AWAY_ADMIN, HOME, MATE, MATE_ID, STRANGER


async def test_settings_are_for_the_servers_admins() -> None:
    configs = FakeGuildConfigs()

    assert (await guild_settings(configs, ADMIN, HOME)).guild_id == HOME
    with pytest.raises(Forbidden):
        await guild_settings(configs, MATE, HOME)
    with pytest.raises(NotAMember):
        await guild_settings(configs, STRANGER, HOME)


async def test_a_command_is_followed_by_its_requester_and_the_servers_admins() -> None:
    outbox = FakeOutbox()
    digest = await outbox.enqueue(
        outbox_fields(kind=POST_DIGEST_KIND, payload={"guild_id": HOME, "requested_by": MATE_ID})
    )
    reply = await outbox.enqueue(outbox_fields(payload={"guild_id": HOME, "requested_by": MATE_ID}))

    assert (await visible_command(outbox, MATE, digest.id)).id == digest.id
    assert (await visible_command(outbox, ADMIN, digest.id)).id == digest.id
    for actor, command_id in ((AWAY_ADMIN, digest.id), (MATE, reply.id), (MATE, "f" * 24)):
        with pytest.raises(NotFound):
            await visible_command(outbox, actor, command_id)
