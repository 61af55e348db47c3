"""What one /debrief asks of the database: each thing once, nothing read back.

The events of a /debrief carry the match and its debrief to the reply, so neither is read back
after it is written; the known-match check runs once, before the AI is paid for. Before this
was so, a /debrief also looked the interaction and the screenshots up a second time, read the
match back by id to debrief it, and read the debrief back to reply: 14 operations, then 10;
11 since milestones (issue 16) count the player's career totals; 14 since whole-squad capture
(issue 16) looks for a match a squad mate's upload recorded for the player, looks up who linked
the scoreboard's other names, and the reply names the squad mates it recorded the match for.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from app.shared.db.connection import Database
from devtools.discord_emulator import Member
from devtools.sandbox.orchestrator import Sandbox
from tests.e2e.bot.support import (
    DEBRIEF_ACK,
    HARDPOINT_SCOREBOARD,
    SAVED_AS,
    Profile,
    attach_sample,
    debrief,
    eventually,
    private_outcome,
    profiled,
    program_stub,
)

JSON = dict[str, Any]
# The collections a /debrief touches; the bot's background rounds are left out (`describe`).
COLLECTIONS = (
    "matches",
    "debriefs",
    "outbox",
    "guild_configs",
    "cooldowns",
    "gamertag_links",
    "match_claims",
    "guild_days",
    "player_days",
)
OPS = ("query", "insert", "update", "command")


async def test_a_debrief_reads_nothing_twice_and_nothing_it_wrote(
    stack: Sandbox, database: Database, member: Member
) -> None:
    program_stub(stack.stub)
    history_queries = 1 if database.backend.pushes_limit_down else 3
    guild_id = stack.world.guild.id
    # Discord's language for the server, as the bot stores it once (the first read of the
    # settings that finds it missing): stored already, as for every server after its first use.
    locale = stack.emulator.state.guilds[guild_id].preferred_locale
    await database.db["guild_configs"].update_one(
        {"guild_id": guild_id}, {"$set": {"discord_locale": locale}}, upsert=True
    )
    async with profiled(database) as profile:
        handle = debrief(stack, member, attach_sample(stack, HARDPOINT_SCOREBOARD))
        saved = SAVED_AS.match((await private_outcome(handle, DEBRIEF_ACK)).content)
        assert saved, "the match was saved and the player told"
        await eventually(lambda: delivered(profile), what="the reply marked delivered")
        operations = await ledger(profile)

    assert operations == Counter(
        {
            # The known-match check, once: by interaction and by screenshot, at once.
            ("matches", "find", "interaction_id"): 1,
            ("matches", "find", "screenshot_hashes,user_id"): 1,
            ("guild_configs", "find", "guild_id"): 1,
            ("cooldowns", "update", "expires_at,key"): 1,
            # The player's linked names, for the reader (none here: the highlighted row).
            ("gamertag_links", "find", "guild_id,user_id"): 1,
            # Whether another member opted in to capture (nobody here): the reader is not asked
            # for the other rows, so no look-up of their names on the name index follows, and
            # the match is not marked for the capture sweeper (issue 16 item 2's follow-up).
            ("gamertag_links", "find", "auto_record,guild_id"): 1,
            # The match's same-match claim (a new key: one insert), before the match itself.
            ("match_claims", "insert", ""): 1,
            ("matches", "insert", ""): 1,
            # A match a squad mate's upload recorded for the player already (none here), on
            # the (server, player, mode, played_at) index; and, for the reply, the matches this
            # upload recorded for squad mates (none).
            ("matches", "find", "captured_from.match_id,source"): 1,
            # The day rollups of the match's key: marked pending in both documents before the
            # insert; then its version bumped, its matches read, its entries set (by the
            # debrief, alongside its reads and the AI's writing: not on the reply's way).
            ("guild_days", "update", "day,guild_id"): 1,
            ("player_days", "update", "day,user_id"): 1,
            ("guild_days", "findAndModify", "day,guild_id"): 1,
            # The rollup refresh, and the same-match check before the save.
            ("matches", "find", "guild_id,played_at,stats.player.mode,user_id"): 2,
            ("guild_days", "update", f"day,entry_versions.{member.user.id}:hardpoint,guild_id"): 1,
            ("player_days", "update", f"day,entry_versions.{guild_id}:hardpoint,user_id"): 1,
            # The debrief: the player's history, a week then three more then the rest (on
            # SecantusDB, which reads all a query covers; the player has one match), personal
            # bests and career totals (for milestones), then the debrief saved. No records here
            # (a first match), so the server's announce setting is not even read.
            ("matches", "find", "played_at,stats.player.mode,user_id"): history_queries,
            ("matches", "aggregate", ""): 2,
            ("debriefs", "findAndModify", "match_id"): 1,
            # The reply: on record before the work, marked delivered after it.
            ("outbox", "insert", ""): 1,
            ("outbox", "update", "_id"): 1,
        }
    ), "no lookup twice, no match or debrief read back by id"


async def ledger(profile: Profile) -> Counter[tuple[str, str, str]]:
    """(collection, operation, filtered fields) of everything run, without consumer polling."""
    seen: Counter[tuple[str, str, str]] = Counter()
    for collection in COLLECTIONS:
        for op in OPS:
            for entry in await profile.commands(collection, op):
                described = describe(collection, entry["command"])
                if described is not None:
                    seen[described] += 1
    return seen


def describe(collection: str, command: JSON) -> tuple[str, str, str] | None:
    name = next(iter(command))
    if name == "find":
        where = command["filter"]
    elif name in ("update", "delete"):
        where = command[f"{name}s"][0]["q"]
    elif name == "findAndModify":
        where = command["query"]
    else:
        where = {}
    fields = ",".join(sorted(where))
    if collection == "outbox" and name != "insert" and "_id" not in where:
        return None  # the outbox consumer's polling (due messages, deadlines)
    if collection == "guild_configs" and "digest_weekday" in where:
        return None  # the digest scheduler's round
    if collection == "matches" and "capture_pending" in where:
        return None  # the capture sweeper's round (every minute)
    return collection, name, fields


async def delivered(profile: Profile) -> bool:
    updates = await profile.commands("outbox", "update")
    return any(
        statement["u"].get("$set", {}).get("status") == "delivered"
        for entry in updates
        for statement in entry["command"]["updates"]
    )
