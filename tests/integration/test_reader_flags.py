"""Two readers' disagreements on the real database: saved with the match, read back as
saved, and settled by a correction of the fields they are about."""

from __future__ import annotations

from dataclasses import replace

from bson import ObjectId

from app.bot.ui.forms import form_fields
from app.core.actors import Actor
from app.core.bootstrap import Dependencies, bootstrap
from app.core.bus import MessageBus
from app.core.commands import AnalyzeScreenshots, CorrectMatch, Upload
from app.core.cross_check import CrossCheckedReader
from app.core.game.disagreements import ReaderFlag
from app.core.game.rules import Mode
from app.core.handlers import BOT_HANDLERS
from app.core.matches import Match
from app.shared.db.connection import Database
from app.shared.db.documents import MatchDocument
from tests.support.factories import T0, raw_hardpoint
from tests.unit.wiring import FakeAI, fake_ai, packaged_catalog

USER = 333
KILLS = ReaderFlag(field="player.kills", used=31, other=34)
WEAPONS = ReaderFlag(field="weapons", used="M15 Mod 0", other="none")


def cross_checked_bus(dependencies: Dependencies) -> MessageBus:
    """/debrief and Fix, with a check reader that reads 34 kills and no weapons."""
    other = {**raw_hardpoint(kills=34), "weapons": []}
    reader = CrossCheckedReader(FakeAI(raw_hardpoint()), FakeAI(other))
    return bootstrap(
        dependencies,
        replace(fake_ai(), stats_reader=reader),
        handlers=BOT_HANDLERS.only(commands=(AnalyzeScreenshots, CorrectMatch), events=()),
    )


async def debriefed(bus: MessageBus) -> Match:
    match: Match = await bus.handle(
        AnalyzeScreenshots(
            guild_id=111,
            channel_id=222,
            user_id=USER,
            interaction_id=1,
            uploads=(Upload(filename="a.png", declared_type=None, data=b"\x89PNG\r\n\x1a\nx"),),
            size_limit=2**20,
            played_at=T0,
        )
    )
    return match


async def stored_flags(database: Database, match_id: str) -> object:
    document = await database.db["matches"].find_one({"_id": ObjectId(match_id)})
    assert document is not None
    return document["reader_flags"]


async def test_flags_are_stored_with_the_match_and_read_back_as_saved(database: Database) -> None:
    dependencies = database.dependencies(packaged_catalog())
    match = await debriefed(cross_checked_bus(dependencies))

    assert match.reader_flags == [KILLS, WEAPONS]
    assert await stored_flags(database, match.id) == [
        {"kind": "reader_disagreement", "field": "player.kills", "used": 31, "other": 34},
        {"kind": "reader_disagreement", "field": "weapons", "used": "M15 Mod 0", "other": "none"},
    ]
    assert await dependencies.matches.get(match.id) == match


async def test_fix_settles_the_flags_of_the_fields_its_form_shows(database: Database) -> None:
    dependencies = database.dependencies(packaged_catalog())
    bus = cross_checked_bus(dependencies)
    match = await debriefed(bus)

    fixed = await bus.handle(
        CorrectMatch(
            match_id=match.id,
            actor=Actor(USER),
            raw_stats=raw_hardpoint(kills=34),
            reviewed=form_fields(Mode.HARDPOINT),
        )
    )

    assert fixed.reader_flags == [WEAPONS], "the form does not show the weapons"
    assert await dependencies.matches.get(match.id) == fixed
    assert await stored_flags(database, match.id) == [WEAPONS.model_dump(mode="json")]

    rewritten = await bus.handle(
        CorrectMatch(match_id=match.id, actor=Actor(USER), raw_stats=raw_hardpoint(kills=34))
    )
    assert rewritten.reader_flags == []
    assert await stored_flags(database, match.id) == []


async def test_a_match_stored_before_the_check_existed_has_no_flags(database: Database) -> None:
    dependencies = database.dependencies(packaged_catalog())
    match = await debriefed(cross_checked_bus(dependencies))
    await MatchDocument.get_pymongo_collection().update_one(
        {"_id": ObjectId(match.id)}, {"$unset": {"reader_flags": ""}}
    )

    loaded = await dependencies.matches.get(match.id)

    assert loaded is not None and loaded.reader_flags == []
