"""Matches for the API to read: the sample screenshots' stats, saved through the repository."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime, timedelta

from app.core.game.catalog import apply_catalog
from app.core.game.validation import validate_extraction
from app.core.matches import MatchFields, MatchSource
from app.shared.catalog.loader import load_catalog
from app.shared.db.connection import connect_database
from app.shared.db.repositories import BeanieMatchRepository
from devtools.samples import load_manifest
from devtools.sandbox.world import SandboxWorld

# Far from any id the emulator hands out, so no seeded match collides with a real one.
FIRST_INTERACTION_ID = 1_100_000_000_000_000_000
BATCH = 50


async def seed_matches(uri: str, database: str, world: SandboxWorld, count: int) -> None:
    """`count` matches of the sandbox player in the sandbox server, one every 40 minutes back."""
    catalog = load_catalog()
    answers = [sample.answer for sample in load_manifest().samples]
    now = datetime.now(UTC)

    def match(number: int) -> MatchFields:
        stats, flags = apply_catalog(validate_extraction(answers[number % len(answers)]), catalog)
        return MatchFields(
            guild_id=world.guild.id,
            channel_id=world.channel.id,
            user_id=world.player.user.id,
            interaction_id=FIRST_INTERACTION_ID + number,
            stats=stats,
            source=MatchSource.AI,
            # A hash of its own: re-uploads are unique per player.
            screenshot_hashes=[hashlib.sha256(f"seed {number}".encode()).hexdigest()],
            catalog_flags=flags,
            played_at=now - timedelta(minutes=40 * number),
            created_at=now,
            updated_at=now,
        )

    async with connect_database(uri, database, app_name="debrief-bench"):
        matches = BeanieMatchRepository()
        for first in range(0, count, BATCH):
            numbers = range(first, min(first + BATCH, count))
            await asyncio.gather(*(matches.add(match(number)) for number in numbers))
