"""MongoDB failing under the bot and the API: a 10-second outage, and single failed commands.

The outage stops this package's own server and starts it again on the same port and storage,
with the bot and the API left running. Single commands fail through `configureFailPoint`
(`failCommand`, scoped to the bot's connections by their application name).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from pymongo import AsyncMongoClient
from pymongo.errors import OperationFailure

from app.core.replies import NO_ONE_TO_TELL, MatchReplyRequest, match_reply
from app.shared.db.connection import Database
from app.shared.db.repositories import BeanieOutboxRepository
from devtools.discord_emulator import Member
from tests.e2e.bot.support import (
    DEBRIEF_ACK,
    HARDPOINT_SCOREBOARD,
    OVERLOAD_SCOREBOARD,
    SAVED_AS,
    SLOW,
    attach_sample,
    debrief,
    eventually,
    new_member,
    private_outcome,
    saved_matches,
)
from tests.e2e.faults.processes import FaultStack
from tests.e2e.faults.support import (
    DATABASE_UNAVAILABLE,
    GENERIC,
    Figures,
    follow_ups_sent,
    owed_reply,
    reply_status_is,
)

OUTAGE_S = 10.0
NO_LEASE = timedelta(0)
# The application name the bot gives its MongoDB connections.
BOT_APP_NAME = "debrief-bot"
# ShutdownInProgress: a code mongod labels RetryableWriteError.
SHUTDOWN_IN_PROGRESS = 91
# Unauthorized: no retry can fix it.
UNAUTHORIZED = 13


async def status_of(url: str) -> int:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status


async def test_a_10_s_outage_costs_one_clear_message_and_nothing_else(
    stack: FaultStack,
    database: Database,
    member: Member,
    api_headers: dict[str, str],
    figures: Figures,
) -> None:
    unlucky = new_member(stack.sandbox, "outage-unlucky")
    loop = asyncio.get_running_loop()
    await asyncio.to_thread(stack.database_server.stop)
    stopped_at = loop.time()

    # At once: the bot waits its whole server-selection timeout (10 s), then gives up.
    early = debrief(stack.sandbox, unlucky, attach_sample(stack.sandbox, OVERLOAD_SCOREBOARD))
    readiness = asyncio.ensure_future(status_of(f"{stack.api_url}/readyz"))
    await asyncio.sleep(OUTAGE_S / 2)
    # Half-way: the server is back before this one's wait runs out.
    late = debrief(stack.sandbox, member, attach_sample(stack.sandbox, HARDPOINT_SCOREBOARD))
    told = await private_outcome(early, DEBRIEF_ACK, within=2 * OUTAGE_S)
    figures.record("outage → first command told", loop.time() - stopped_at, "s")
    assert await readiness == 503
    await asyncio.sleep(max(0.0, stopped_at + OUTAGE_S - loop.time()))
    await asyncio.to_thread(stack.database_server.start)
    restarted = time.monotonic()
    figures.record("server down for", loop.time() - stopped_at, "s")

    assert told.content == DATABASE_UNAVAILABLE
    assert not early.followups
    saved = SAVED_AS.match((await private_outcome(late, DEBRIEF_ACK, within=SLOW)).content)
    assert saved, "the command in flight waited for the server and went through"
    figures.seconds_since(restarted, "restart → waiting command saved and answered")
    assert len(late.followups) == 1
    assert follow_ups_sent(stack, late, 200) == 1
    # Nothing half-saved, nothing twice.
    assert await saved_matches(database, unlucky) == []
    assert await owed_reply(database, early) is None
    assert [str(m["_id"]) for m in await saved_matches(database, member)] == [saved.group(1)]
    await eventually(
        lambda: reply_status_is(database, late, "delivered"), what="the reply delivered"
    )
    # And everything works again without a restart: the API...
    await eventually(
        lambda: api_lists(stack, api_headers, saved.group(1)), what="the API to list the match"
    )
    figures.seconds_since(restarted, "restart → API answers again")
    # ...and the bot's outbox consumer, which settles a message that falls due now.
    orphan = await queue_orphan_reply(stack)
    await eventually(lambda: settled(orphan), what="the outbox consumer to settle a message")
    figures.seconds_since(restarted, "restart → bot's outbox consumer delivering again")
    message = await BeanieOutboxRepository().get(orphan)
    assert message is not None and message.last_error == NO_ONE_TO_TELL


async def api_lists(stack: FaultStack, headers: dict[str, str], match_id: str) -> bool:
    async with (
        aiohttp.ClientSession(headers=headers) as http,
        http.get(f"{stack.api_url}/api/v1/matches") as response,
    ):
        if response.status != 200:
            return False
        page = await response.json()
    return [item["id"] for item in page["items"]] == [match_id]


async def queue_orphan_reply(stack: FaultStack) -> str:
    """A due reply to an interaction that saved nothing and whose token has expired."""
    now = datetime.now(UTC)
    request = MatchReplyRequest(
        interaction_id=1,
        application_id=stack.emulator.state.application.id,
        interaction_token="expired-token",
        token_expires_at=now - timedelta(minutes=1),
        guild_id=stack.world.guild.id,
        channel_id=stack.world.channel.id,
        user_id=1,
        match_interaction_id=1,
    )
    queued = await BeanieOutboxRepository().enqueue(match_reply(request, now=now, lease=NO_LEASE))
    return queued.id


async def settled(message_id: str) -> bool:
    message = await BeanieOutboxRepository().get(message_id)
    return message is not None and message.status != "pending"


# -- single commands failed on purpose ---------------------------------------------------------


@pytest.fixture
async def fail_point(stack: FaultStack, database: Database) -> AsyncIterator[Any]:
    """Arms `failCommand` for the bot's connections; always switched off afterwards."""

    async def arm(mode: dict[str, int], **data: Any) -> None:
        await database.client.admin.command(
            {
                "configureFailPoint": "failCommand",
                "mode": mode,
                "data": {"appName": BOT_APP_NAME, **data},
            }
        )

    yield arm
    await database.client.admin.command({"configureFailPoint": "failCommand", "mode": "off"})


async def fail_point_used_up(stack: FaultStack) -> bool:
    """True when the bot's connections spent the fail point: inserts as the bot now pass.

    Two inserts, because an unspent `skip` lets the first one through.
    """
    probe: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        stack.database_server.uri, appname=BOT_APP_NAME, retryWrites=False
    )
    try:
        for _ in range(2):
            await probe["debrief_faults_probe"]["probe"].insert_one({})
    except OperationFailure:
        return False
    finally:
        await probe.close()
    return True


# The reply is queued first (an insert into the outbox), then the match is inserted: skipping
# one insert fails the match's.
THE_MATCH_INSERT = {"skip": 1, "times": 1}


@pytest.mark.parametrize(
    "failure",
    [{"errorCode": SHUTDOWN_IN_PROGRESS}, {"closeConnection": True}],
    ids=["retryable-error", "connection-closed"],
)
async def test_a_match_insert_failing_once_is_retried_into_one_match(
    stack: FaultStack,
    database: Database,
    member: Member,
    fail_point: Any,
    failure: dict[str, Any],
    figures: Figures,
) -> None:
    await fail_point(THE_MATCH_INSERT, failCommands=["insert"], **failure)
    started = time.monotonic()

    handle = debrief(stack.sandbox, member, attach_sample(stack.sandbox, OVERLOAD_SCOREBOARD))

    private = await private_outcome(handle, DEBRIEF_ACK, within=SLOW)
    figures.seconds_since(started, "command → saved, with the retried insert")
    assert SAVED_AS.match(private.content), private.content
    assert await fail_point_used_up(stack), "the insert did fail once"
    assert len(await saved_matches(database, member)) == 1
    assert len(handle.followups) == 1
    await eventually(
        lambda: reply_status_is(database, handle, "delivered"), what="the reply delivered"
    )


async def test_a_match_insert_failing_for_good_is_a_clear_message_and_saves_nothing(
    stack: FaultStack, database: Database, member: Member, fail_point: Any
) -> None:
    await fail_point(THE_MATCH_INSERT, failCommands=["insert"], errorCode=UNAUTHORIZED)

    handle = debrief(stack.sandbox, member, attach_sample(stack.sandbox, OVERLOAD_SCOREBOARD))

    private = await private_outcome(handle, DEBRIEF_ACK, within=SLOW)
    assert private.content == GENERIC
    assert await fail_point_used_up(stack)
    assert await saved_matches(database, member) == []
    assert not handle.followups
    assert await reply_status_is(database, handle, "failed"), "no reply left owed"
