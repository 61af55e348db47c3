"""What the bot end-to-end tests do as Discord users, and read back as Discord renders it."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import inspect
import itertools
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from app.shared.db.connection import Database
from app.shared.db.repositories import BeanieMatchRepository
from app.shared.gemini import prompts
from devtools.discord_emulator import InteractionHandle, Member, Message
from devtools.gemini_stub import GeminiStub, JsonAnswer, Match, Rule
from devtools.gemini_stub.sample_rules import as_sent_by_the_app, sample_rules
from devtools.samples import load_manifest
from devtools.sandbox.orchestrator import Sandbox
from devtools.sandbox.world import EVERYDAY_PERMISSIONS
from tests.support.factories import match_fields, raw_hardpoint

JSON = dict[str, Any]
EPHEMERAL = 1 << 6
BUTTON, TEXT_INPUT, LABEL = 2, 4, 18
# The bot's digest scheduler looks every second instead of every five minutes, so the digest
# test sees it post (and not post again) within a few seconds.
DIGEST_CHECK_INTERVAL_S = 1
# /debrief commands the bot works on at once (its DEBRIEF_CONCURRENCY here).
DEBRIEF_CONCURRENCY = 2
# Waits that include Gemini retries (about 0.5 s, then 1 s, plus jitter) get more room.
SLOW = 15.0

MANIFEST = load_manifest()
HARDPOINT_SCOREBOARD = "hardpoint_den_scoreboard.png"
HARDPOINT_WEAPONS = "hardpoint_den_weapons.png"
SND_SCOREBOARD = "search_and_destroy_exposure_scoreboard.png"
SND_WEAPONS = "search_and_destroy_exposure_weapons.png"
OVERLOAD_SCOREBOARD = "overload_scar_scoreboard.png"

DEBRIEF_ACK = "Reading your screenshots…"
SAVED_AS = re.compile(r"^Saved as match ([0-9a-f]{24})\. Use Fix under it to correct anything\.$")

# What the stub writes for every debrief: each part is easy to find in an embed.
AI_DEBRIEF = {
    "headline": "Hill anchor: 1:52 on the point carried the win",
    "strengths": ["31 kills, 9 above your recent average", "4 captures, a personal best"],
    "to_work_on": ["22 deaths: trade less in the open", "Kogot-7 accuracy 24.6%: burst more"],
}
# The debrief task's system prompt, and nothing else's, starts with this line.
DEBRIEF_PROMPT = prompts.DEBRIEF_SYSTEM.splitlines()[0]

_names = itertools.count(1)


def program_stub(stub: GeminiStub) -> None:
    """Forget every rule and request; read the sample screenshots and write AI debriefs."""
    stub.reset()
    for rule in _sample_rules():
        stub.add_rule(rule)
    stub.add_rule(Rule.always(Match(prompt_contains=DEBRIEF_PROMPT), JsonAnswer(AI_DEBRIEF)))


@functools.cache
def _sample_rules() -> tuple[Rule, ...]:
    # Preparing every sample as the bot would takes a quarter of a second: once is enough.
    return tuple(sample_rules(MANIFEST))


@functools.cache
def prepared_sha256(sample_file: str) -> str:
    """The hash of a sample as the bot sends it to Gemini (the default model's form)."""
    return hashlib.sha256(as_sent_by_the_app(MANIFEST.by_file(sample_file))).hexdigest()


def sample_bytes(sample_file: str) -> bytes:
    return MANIFEST.by_file(sample_file).read_bytes()


def new_member(stack: Sandbox, label: str) -> Member:
    """A new everyday member (no Manage Server) of the sandbox guild; `label` names them."""
    # Discord usernames are at most 32 characters.
    username = f"{next(_names)}-{label}"[:32]
    return stack.emulator.driver.create_member(
        stack.world.guild.id, username, permissions=EVERYDAY_PERMISSIONS
    )


def attach(stack: Sandbox, data: bytes, filename: str, content_type: str) -> JSON:
    """A file as a user attaches it to a slash command."""
    return stack.emulator.driver.register_attachment(data, filename, content_type)


def attach_sample(stack: Sandbox, sample_file: str) -> JSON:
    return attach(stack, sample_bytes(sample_file), sample_file, "image/png")


def invoke(
    stack: Sandbox,
    name: str,
    member: Member,
    *,
    subcommand: str | None = None,
    **options: Any,
) -> InteractionHandle:
    """Run a slash command in the sandbox channel; options given as None are left out."""
    return stack.emulator.driver.invoke_command(
        name,
        member=member,
        channel_id=stack.world.channel.id,
        subcommand=subcommand,
        options={key: value for key, value in options.items() if value is not None},
    )


def debrief(
    stack: Sandbox,
    member: Member,
    scoreboard: JSON,
    weapons: JSON | None = None,
    note: str | None = None,
) -> InteractionHandle:
    return invoke(stack, "debrief", member, scoreboard=scoreboard, weapons=weapons, note=note)


def payload(stack: Sandbox, message: Message) -> JSON:
    """The message as Discord's client receives it."""
    return stack.emulator.driver.message_payload(message)


def only_embed(stack: Sandbox, message: Message) -> JSON:
    embeds = payload(stack, message)["embeds"]
    assert len(embeds) == 1, embeds
    embed: JSON = embeds[0]
    return embed


def fields(embed: Mapping[str, Any]) -> dict[str, str]:
    return {field["name"]: field["value"] for field in embed.get("fields", [])}


def buttons(message: Message) -> dict[str, str]:
    """Button labels by custom id."""
    found: dict[str, str] = {}
    for row in message.components:
        for component in row.get("components", []):
            if component.get("type") == BUTTON:
                found[component["custom_id"]] = component.get("label", "")
    return found


def not_the_ack(ack: str) -> Callable[[Message], bool]:
    """True once the private acknowledgement has been replaced by the outcome."""
    return lambda message: message.content != ack or bool(message.embeds)


async def private_outcome(handle: InteractionHandle, ack: str, *, within: float = SLOW) -> Message:
    """The private line that replaced the acknowledgement, checked to be private."""
    await handle.wait_for_ack()
    message = await handle.wait_for_original(not_the_ack(ack), timeout=within)
    assert message.ephemeral, f"{message.content!r} should be private"
    return message


async def count(database: Database, collection: str, **where: Any) -> int:
    return await database.db[collection].count_documents(where)


async def saved_matches(database: Database, member: Member) -> list[JSON]:
    cursor = database.db["matches"].find({"user_id": member.user.id})
    return [document async for document in cursor]


def extraction_requests(stack: Sandbox) -> int:
    """How many requests asked Gemini to read screenshots."""
    return sum(1 for request in stack.stub.requests if request.image_count)


async def eventually(
    check: Callable[[], bool | Awaitable[bool]],
    *,
    what: str,
    within: float = SLOW,
    every: float = 0.05,
) -> None:
    """Wait until `check()` holds, for things the emulator has no wait helper for."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        outcome = check()
        if await outcome if inspect.isawaitable(outcome) else outcome:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out after {within} s waiting for {what}")
        await asyncio.sleep(every)


async def posted_debrief(
    stack: Sandbox, member: Member, sample_file: str = OVERLOAD_SCOREBOARD
) -> tuple[Message, str]:
    """A match read from a sample screenshot: the public message and the match id."""
    handle = debrief(stack, member, attach_sample(stack, sample_file))
    private = await private_outcome(handle, DEBRIEF_ACK)
    saved = SAVED_AS.match(private.content)
    assert saved, private.content
    return await handle.wait_for_followup(), saved.group(1)


def modal_inputs(modal: Mapping[str, Any]) -> dict[str, JSON]:
    """A modal's text inputs by label, whether laid out in action rows or in labels."""
    inputs: dict[str, JSON] = {}
    for component in modal.get("components", []):
        if component.get("type") == LABEL:
            inputs[component["label"]] = component["component"]
        for child in component.get("components", []):
            if child.get("type") == TEXT_INPUT:
                inputs[child["label"]] = child
    return inputs


def filled(modal: Mapping[str, Any], by_label: Mapping[str, str]) -> dict[str, str]:
    """Submitted values keyed by custom id, from values keyed by the labels a user reads."""
    inputs = modal_inputs(modal)
    return {inputs[label]["custom_id"]: value for label, value in by_label.items()}


def hours_ago(count: int) -> list[datetime]:
    """`count` moments, an hour apart, newest first, the newest an hour ago."""
    now = datetime.now(UTC)
    return [now - timedelta(hours=hours) for hours in range(1, count + 1)]


def hardpoint(map_name: str = "Den", **player: Any) -> JSON:
    """A plausible Hardpoint scoreboard without weapons, with `player` stats changed."""
    return {**raw_hardpoint(**player), "map": map_name, "weapons": []}


async def seed_matches(
    stack: Sandbox, member: Member, raw_stats: Sequence[JSON], played_at: Sequence[datetime]
) -> list[str]:
    """Matches of `member` in the sandbox guild, saved through the app's repository."""
    repository = BeanieMatchRepository()
    saved = []
    for raw, when in zip(raw_stats, played_at, strict=True):
        match = match_fields(
            guild_id=stack.world.guild.id,
            channel_id=stack.world.channel.id,
            user_id=member.user.id,
            raw_stats=raw,
            played_at=when,
        )
        saved.append((await repository.add(match)).id)
    return saved


class Profile:
    """What the database ran while profiling: proof that something did, or did not, run."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def commands(self, collection: str, op: str) -> list[JSON]:
        namespace = f"{self._database.db.name}.{collection}"
        cursor = self._database.db["system.profile"].find({"ns": namespace, "op": op})
        return [entry async for entry in cursor]

    async def aggregations(self, collection: str) -> list[JSON]:
        entries = await self.commands(collection, "command")
        return [entry["command"] for entry in entries if "aggregate" in entry["command"]]


@contextlib.asynccontextmanager
async def profiled(database: Database) -> AsyncIterator[Profile]:
    """Record every operation on the bot's database, from a clean profile, until the end."""
    await database.db.command({"profile": 0})
    await database.db.drop_collection("system.profile")
    await database.db.command({"profile": 2})
    try:
        yield Profile(database)
    finally:
        await database.db.command({"profile": 0})
