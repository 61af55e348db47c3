"""Saving, correcting and deleting matches through the bus, with fakes."""

from __future__ import annotations

import pytest

from app.core.actors import Actor
from app.core.commands import CorrectMatch, DeleteMatch, RecordMatch, UpdateGuildConfig
from app.core.debriefs import DebriefFields, DebriefSource
from app.core.errors import DuplicateMatch, Forbidden, NotFound
from app.core.game.errors import InvalidMatchStats
from app.core.guilds import AskScope
from app.core.handlers.guilds import InvalidConfig
from app.core.matches import Match, MatchSource
from tests.support.factories import T0, raw_hardpoint
from tests.unit.fakes import FrozenClock
from tests.unit.wiring import fake_bus, fake_dependencies

OWNER, STRANGER, ADMIN, GUILD = 3, 4, 5, 1


def record(
    interaction_id: int = 10, hashes: tuple[str, ...] = ("h1",), **raw: object
) -> RecordMatch:
    return RecordMatch(
        guild_id=GUILD,
        channel_id=2,
        user_id=OWNER,
        interaction_id=interaction_id,
        raw_stats={**raw_hardpoint(), **raw},
        source=MatchSource.AI,
        played_at=T0,
        screenshot_hashes=hashes,
    )


@pytest.fixture
def deps():
    return fake_dependencies(FrozenClock())


async def test_record_normalises_names_and_flags_unknown_weapons(deps) -> None:
    weapons = [{"name": "Not A Real Gun", "kills": 3, "headshots": 1, "accuracy": 20.0}]
    match: Match = await fake_bus(deps).handle(record(weapons=weapons))

    assert match.stats.weapons[0].name == "Not A Real Gun"
    assert [(f.kind, f.raw) for f in match.catalog_flags] == [("weapon", "Not A Real Gun")]
    assert match.created_at == T0


async def test_a_replayed_interaction_or_reuploaded_screenshot_is_refused(deps) -> None:
    bus = fake_bus(deps)
    first = await bus.handle(record())

    with pytest.raises(DuplicateMatch) as replay:
        await bus.handle(record())
    with pytest.raises(DuplicateMatch) as reupload:
        await bus.handle(record(interaction_id=11))

    assert replay.value.existing_match_id == reupload.value.existing_match_id == first.id
    assert f"match {first.id}" in reupload.value.user_message
    assert len(deps.matches.rows) == 1


async def test_invalid_stats_save_nothing(deps) -> None:
    with pytest.raises(InvalidMatchStats):
        await fake_bus(deps).handle(record(team_score=999))
    assert deps.matches.rows == {}


async def test_owner_and_admin_may_correct_a_stranger_may_not(deps) -> None:
    bus = fake_bus(deps)
    match = await bus.handle(record())
    fixed = raw_hardpoint(kills=35)

    with pytest.raises(Forbidden):
        await bus.handle(CorrectMatch(match_id=match.id, actor=Actor(STRANGER), raw_stats=fixed))
    by_owner = await bus.handle(
        CorrectMatch(match_id=match.id, actor=Actor(OWNER), raw_stats=fixed)
    )
    by_admin = await bus.handle(
        CorrectMatch(match_id=match.id, actor=Actor(ADMIN, frozenset({GUILD})), raw_stats=fixed)
    )

    assert by_owner.corrected and by_owner.stats.player.kills == 35
    assert by_admin.corrected
    with pytest.raises(Forbidden):
        await bus.handle(DeleteMatch(match_id=match.id, actor=Actor(ADMIN, frozenset({GUILD + 1}))))


async def test_deleting_a_match_deletes_its_debrief(deps) -> None:
    bus = fake_bus(deps)
    match = await bus.handle(record())
    await deps.debriefs.save(
        DebriefFields(
            match_id=match.id,
            guild_id=GUILD,
            user_id=OWNER,
            headline="GG",
            strengths=[],
            to_work_on=[],
            source=DebriefSource.TEMPLATE,
            created_at=T0,
        )
    )

    await bus.handle(DeleteMatch(match_id=match.id, actor=Actor(OWNER)))

    assert deps.matches.rows == {}
    assert await deps.debriefs.get_for_match(match.id) is None
    with pytest.raises(NotFound):
        await bus.handle(DeleteMatch(match_id=match.id, actor=Actor(OWNER)))


async def test_guild_config_needs_an_admin_and_valid_values(deps) -> None:
    bus = fake_bus(deps)
    admin = Actor(ADMIN, frozenset({GUILD}))

    with pytest.raises(Forbidden):
        await bus.handle(
            UpdateGuildConfig(guild_id=GUILD, actor=Actor(OWNER), changes={"ask_scope": "me"})
        )
    with pytest.raises(InvalidConfig, match="digest hour: 25 is more than the maximum of 23") as e:
        await bus.handle(
            UpdateGuildConfig(guild_id=GUILD, actor=admin, changes={"digest_hour_utc": 25})
        )
    assert e.value.problems == (("digest_hour_utc", "25 is more than the maximum of 23"),)
    with pytest.raises(InvalidConfig, match="guild_id"):
        await bus.handle(UpdateGuildConfig(guild_id=GUILD, actor=admin, changes={"guild_id": 9}))

    saved = await bus.handle(
        UpdateGuildConfig(guild_id=GUILD, actor=admin, changes={"ask_scope": "me"})
    )

    assert saved.ask_scope is AskScope.ME
    assert saved.updated_by == ADMIN and saved.updated_at == T0
    assert (await deps.guild_configs.get(GUILD)).ask_scope is AskScope.ME
