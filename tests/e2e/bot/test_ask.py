"""/ask through the real bot: a question becomes a guarded query, a table and a sentence."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import pytest

from app.bot.cogs.config import ASK_SCOPE_LABELS
from app.core.ask.local import AIUnavailableForQuestion
from app.core.errors import RefusedQuestion
from app.core.handlers.ask import ONLY_YOUR_MATCHES
from app.shared.db.connection import Database
from app.shared.gemini import prompts
from devtools.discord_emulator import Member
from devtools.gemini_stub import JsonAnswer, Match, Rule, TextAnswer
from devtools.sandbox.orchestrator import Sandbox
from tests.e2e.bot.support import (
    fields,
    hardpoint,
    hours_ago,
    invoke,
    new_member,
    only_embed,
    private_outcome,
    profiled,
    seed_matches,
)

ACK = "Thinking about it…"
PLAN_PROMPT = prompts.PLAN_SYSTEM.splitlines()[0]
PHRASE_PROMPT = prompts.PHRASE_SYSTEM.splitlines()[0]
EMBED_TOTAL = 6000
DESCRIPTION = 4096


def plan(stack: Sandbox, pipeline: Sequence[dict[str, Any]], title: str) -> None:
    """The planner's answer. Texts longer than the descriptions ask for still follow the
    schema (Gemini's subset has no maxLength): the lengths are enforced after parsing."""
    answer = {"answerable": True, "title": title, "pipeline_json": json.dumps(pipeline)}
    stack.stub.add_rule(Rule.always(Match(prompt_contains=PLAN_PROMPT), JsonAnswer(answer)))


def phrase(stack: Sandbox, sentence: str) -> None:
    answer = JsonAnswer({"sentence": sentence})
    stack.stub.add_rule(Rule.always(Match(prompt_contains=PHRASE_PROMPT), answer))


def phrase_requests(stack: Sandbox) -> int:
    return sum(1 for request in stack.stub.requests if PHRASE_PROMPT in request.prompt.all_text)


def embed_size(embed: dict[str, Any]) -> int:
    """What Discord counts towards an embed's 6000 characters."""
    texts = [embed.get("title", ""), embed.get("description", "")]
    texts += [embed.get("footer", {}).get("text", ""), embed.get("author", {}).get("name", "")]
    texts += [f["name"] + f["value"] for f in embed.get("fields", [])]
    return sum(len(text) for text in texts)


async def test_a_question_gets_a_public_table_and_a_sentence(
    stack: Sandbox, database: Database, member: Member
) -> None:
    kills_by_map = [("Den", 30), ("Den", 20), ("Scar", 12)]
    await seed_matches(
        stack,
        member,
        [hardpoint(name, kills=kills) for name, kills in kills_by_map],
        hours_ago(3),
    )
    plan(
        stack,
        [
            {
                "$group": {
                    "_id": "$stats.map",
                    "avg_kills": {"$avg": "$stats.player.kills"},
                    "matches": {"$sum": 1},
                }
            },
            {"$sort": {"avg_kills": -1}},
        ],
        "Average kills by map",
    )
    phrase(stack, "You average 25 kills on Den, your best map.")

    async with profiled(database) as profile:
        handle = invoke(stack, "ask", member, question="my kills by map", scope="me")
        private = await private_outcome(handle, ACK)
        ran = await profile.aggregations("matches")

    assert private.content == "Answer posted."
    posted = await handle.wait_for_followup()
    assert not posted.ephemeral
    embed = only_embed(stack, posted)
    assert embed["title"] == "Average kills by map"
    sentence, table = embed["description"].split("\n", 1)
    assert sentence == "You average 25 kills on Den, your best map."
    lines = table.strip("`\n").splitlines()
    assert re.split(r"\s+", lines[0]) == ["map", "avg_kills", "matches"]
    assert [re.split(r"\s+", line) for line in lines[2:]] == [
        ["Den", "25.00", "2"],
        ["Scar", "12.00", "1"],
    ]
    assert not re.search(r"[{}\[\]]|_id|\$", embed["description"]), "never raw JSON"
    assert embed["footer"]["text"] == "Q: my kills by map"
    [aggregation] = ran
    assert aggregation["pipeline"][0] == {
        "$match": {"guild_id": stack.world.guild.id, "user_id": member.user.id}
    }, "the asker's scope comes first"


HOSTILE_PIPELINES = {
    "lookup another collection": [
        {
            "$lookup": {
                "from": "users",
                "localField": "user_id",
                "foreignField": "discord_id",
                "as": "u",
            }
        }
    ],
    "where with JavaScript": [{"$match": {"$where": "sleep(5000) || true"}}],
    "function in an expression": [
        {
            "$addFields": {
                "x": {"$function": {"body": "function() { return 1 }", "args": [], "lang": "js"}}
            }
        }
    ],
    "root document nested in a group": [
        {"$group": {"_id": None, "all": {"$push": {"$mergeObjects": ["$$ROOT", {}]}}}}
    ],
    "root document in a projection": [{"$project": {"doc": "$$ROOT"}}],
    "union with every server's matches": [{"$unionWith": {"coll": "matches"}}],
    "write the results elsewhere": [{"$match": {}}, {"$out": "matches_copy"}],
}


@pytest.mark.parametrize("pipeline", HOSTILE_PIPELINES.values(), ids=HOSTILE_PIPELINES.keys())
async def test_a_hostile_plan_is_refused_and_nothing_runs(
    stack: Sandbox, database: Database, member: Member, pipeline: list[dict[str, Any]]
) -> None:
    plan(stack, pipeline, "Everything")
    phrase(stack, "Here is everything.")

    async with profiled(database) as profile:
        handle = invoke(stack, "ask", member, question="show me everything, all servers")
        private = await private_outcome(handle, ACK)
        ran = await profile.aggregations("matches")

    assert private.content == RefusedQuestion.user_message
    assert not private.embeds and not handle.followups
    assert ran == [], "no pipeline reached the database"
    assert phrase_requests(stack) == 0
    assert await database.db["matches_copy"].count_documents({}) == 0


async def test_a_long_answer_stays_within_discords_embed_limits(
    stack: Sandbox, database: Database, member: Member
) -> None:
    await seed_matches(stack, member, [hardpoint(kills=k) for k in range(1, 31)], hours_ago(30))
    # Eight wide computed columns for every match: far more than an embed can hold.
    wide = {f"column_{n}": {"$concat": ["$stats.map", " " + "long text " * 8]} for n in range(8)}
    plan(stack, [{"$project": wide}], "T" * 200)
    phrase(stack, "S" * 1000)
    question = "q" * 300

    handle = invoke(stack, "ask", member, question=question, scope="me")

    assert (await private_outcome(handle, ACK)).content == "Answer posted."
    embed = only_embed(stack, await handle.wait_for_followup())
    assert len(embed["description"]) <= DESCRIPTION
    assert embed_size(embed) <= EMBED_TOTAL
    assert len(embed["title"]) <= 256
    header, rule, *rows, more = embed["description"].split("```")[1].strip("\n").splitlines()
    assert header.split() == [f"column_{n}" for n in range(6)], "at most six columns"
    assert set(rule) == {"-", " "}
    assert more == f"… {30 - len(rows)} more", "every row the query found is counted"


DEEP = 10_000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            json.dumps(
                {"answerable": True, "title": "T", "pipeline_json": "[" * DEEP + "]" * DEEP}
            ),
            RefusedQuestion.user_message,
        ),
        # Not a question the local planner reads, or it would answer instead.
        ('{"a":' * DEEP + "1" + "}" * DEEP, AIUnavailableForQuestion().user_message),
    ],
    ids=["deep pipeline", "deep answer"],
)
async def test_a_plan_nested_ten_thousand_deep_gets_a_clear_private_message(
    stack: Sandbox, database: Database, member: Member, text: str, message: str
) -> None:
    stack.stub.add_rule(Rule.always(Match(prompt_contains=PLAN_PROMPT), TextAnswer(text)))

    async with profiled(database) as profile:
        handle = invoke(stack, "ask", member, question="tell me a story, nested")
        private = await private_outcome(handle, ACK)
        ran = await profile.aggregations("matches")

    assert private.content == message
    assert not private.embeds and not handle.followups
    assert ran == [], "no pipeline reached the database"


async def set_ask_scope(stack: Sandbox, scope: str) -> None:
    """/config ask-scope by the server's admin, through the real bot."""
    handle = invoke(stack, "config", stack.world.player, subcommand="ask-scope", scope=scope)
    saved = await private_outcome(handle, "Saving…")
    shown = fields(only_embed(stack, saved))["/ask answers about"]
    assert shown == ASK_SCOPE_LABELS[scope]


async def test_a_member_cannot_widen_the_servers_me_scope(
    stack: Sandbox, database: Database, member: Member
) -> None:
    mate = new_member(stack, "mate")
    await seed_matches(stack, member, [hardpoint(kills=11)], hours_ago(1))
    await seed_matches(stack, mate, [hardpoint(kills=44)], hours_ago(1))
    plan(
        stack,
        [{"$group": {"_id": "$user_id", "kills": {"$sum": "$stats.player.kills"}}}],
        "Kills by player",
    )
    phrase(stack, "Here are the kills.")
    await set_ask_scope(stack, "me")
    try:
        async with profiled(database) as profile:
            handle = invoke(stack, "ask", member, question="kills of everyone", scope="server")
            private = await private_outcome(handle, ACK)
            ran = await profile.aggregations("matches")
    finally:
        await set_ask_scope(stack, "server")

    assert private.content == "Answer posted."
    description = only_embed(stack, await handle.wait_for_followup())["description"]
    assert ONLY_YOUR_MATCHES in description, "the narrowing is said, not silent"
    # Word-bounded: a snowflake in the table may contain the digits 44 by chance.
    assert not re.search(r"\b44\b", description), "the mate's kills are not shown"
    assert re.search(r"\b11\b", description) and str(mate.user.id) not in description
    [aggregation] = ran
    assert aggregation["pipeline"][0] == {
        "$match": {"guild_id": stack.world.guild.id, "user_id": member.user.id}
    }
