"""/link and /unlink through the bus: one owner per name per server, admins settle conflicts,
and /debrief hands the uploader's names to the reader."""

from __future__ import annotations

from typing import Any

import pytest

from app.core.actors import Actor, NotAMember
from app.core.commands import AnalyzeScreenshots, LinkGamertag, UnlinkGamertag, Upload
from app.core.errors import Forbidden
from app.core.links import (
    MAX_LINKS_PER_MEMBER,
    GamertagTaken,
    InvalidGamertag,
    NotLinked,
    RowFoundBy,
    TooManyLinks,
    normalise_gamertag,
)
from tests.support.factories import T0, raw_hardpoint
from tests.unit.fakes_links import FakeGamertagLinks
from tests.unit.wiring import FakeAI, fake_ai, fake_bus, fake_dependencies

GUILD = 50
ALEX = Actor(1, member_of=frozenset({GUILD}))
BLAKE = Actor(2, member_of=frozenset({GUILD}))
ADMIN = Actor(3, admin_of=frozenset({GUILD}))


def link(actor: Actor, name: str, member: int | None = None) -> LinkGamertag:
    return LinkGamertag(guild_id=GUILD, actor=actor, gamertag=name, member_id=member)


def links_of(deps: Any) -> FakeGamertagLinks:
    store: FakeGamertagLinks = deps.gamertag_links
    return store


async def test_a_name_has_one_owner_per_server_whatever_its_spelling() -> None:
    deps = fake_dependencies()
    bus = fake_bus(deps)

    mine = await bus.handle(link(ALEX, "  Ghost "))
    with pytest.raises(GamertagTaken) as taken:
        await bus.handle(link(BLAKE, "GHOST"))

    assert (mine.gamertag, mine.key, mine.user_id) == ("Ghost", "ghost", ALEX.user_id)
    assert "<@1>" in taken.value.user_message and "member:@you" in taken.value.user_message
    assert [link.user_id for link in links_of(deps).links.values()] == [ALEX.user_id]


async def test_linking_ones_own_name_again_changes_nothing() -> None:
    deps = fake_dependencies()
    bus = fake_bus(deps)

    first = await bus.handle(link(ALEX, "Ghost"))
    again = await bus.handle(link(ALEX, "ghost"))

    assert again == first
    assert len(links_of(deps).links) == 1


async def test_a_member_links_a_few_names_and_no_more() -> None:
    deps = fake_dependencies()
    bus = fake_bus(deps)
    for n in range(MAX_LINKS_PER_MEMBER):
        await bus.handle(link(ALEX, f"Alt{n}"))

    with pytest.raises(TooManyLinks) as own:
        await bus.handle(link(ALEX, "OneTooMany"))
    with pytest.raises(TooManyLinks) as theirs:
        await bus.handle(link(ADMIN, "OneTooMany", member=ALEX.user_id))
    await bus.handle(link(ALEX, "alt0"))  # one of theirs again: no new name

    assert own.value.user_message.startswith("You already have 5 linked names")
    assert theirs.value.user_message.startswith("That member already has 5 linked names")
    assert len(await deps.gamertag_links.of_member(GUILD, ALEX.user_id)) == MAX_LINKS_PER_MEMBER


@pytest.mark.parametrize("name", ["", "   ", "x" * 33, "Gho\u200bst", "tab\tname"])
async def test_a_name_that_cannot_be_on_a_scoreboard_is_refused(name: str) -> None:
    deps = fake_dependencies()

    with pytest.raises(InvalidGamertag):
        await fake_bus(deps).handle(link(ALEX, name))

    assert links_of(deps).links == {}


async def test_only_an_admin_gives_a_name_to_someone_and_it_moves() -> None:
    deps = fake_dependencies()
    bus = fake_bus(deps)
    await bus.handle(link(ALEX, "Ghost"))

    with pytest.raises(Forbidden):
        await bus.handle(link(BLAKE, "Ghost", member=BLAKE.user_id))
    moved = await bus.handle(link(ADMIN, "Ghost", member=BLAKE.user_id))

    assert (moved.user_id, moved.linked_by) == (BLAKE.user_id, ADMIN.user_id)
    assert await deps.gamertag_links.of_member(GUILD, ALEX.user_id) == []


async def test_a_stranger_links_nothing_in_a_server_they_are_not_in() -> None:
    deps = fake_dependencies()

    with pytest.raises(NotAMember):
        await fake_bus(deps).handle(link(Actor(9), "Ghost"))


async def test_a_member_unlinks_their_own_name_only_and_an_admin_any() -> None:
    deps = fake_dependencies()
    bus = fake_bus(deps)
    await bus.handle(link(ALEX, "Ghost"))
    await bus.handle(link(ALEX, "Wraith"))

    with pytest.raises(NotLinked):
        await bus.handle(UnlinkGamertag(guild_id=GUILD, actor=BLAKE, gamertag="ghost"))
    await bus.handle(UnlinkGamertag(guild_id=GUILD, actor=ALEX, gamertag=" GHOST"))
    await bus.handle(UnlinkGamertag(guild_id=GUILD, actor=ADMIN, gamertag="Wraith"))

    assert links_of(deps).links == {}


def test_normalising_ignores_case_and_surrounding_space() -> None:
    assert normalise_gamertag("  ÉCHO ") == normalise_gamertag("écho") == "écho"


def screenshots(user: int, interaction: int) -> AnalyzeScreenshots:
    png = b"\x89PNG\r\n\x1a\n" + f"board {interaction}".encode()
    return AnalyzeScreenshots(
        guild_id=GUILD,
        channel_id=7,
        user_id=user,
        interaction_id=interaction,
        uploads=(Upload(filename="board.png", declared_type="image/png", data=png),),
        size_limit=10 * 2**20,
        played_at=T0,
    )


@pytest.mark.parametrize(
    ("row_name", "found_by"),
    [("ghost", RowFoundBy.LINKED_NAME), ("SomeoneElse", RowFoundBy.HIGHLIGHT)],
)
async def test_debrief_gives_the_reader_the_uploaders_names_and_records_how_it_read(
    row_name: str, found_by: RowFoundBy
) -> None:
    deps = fake_dependencies()
    reader = FakeAI(raw_hardpoint(gamertag=row_name))
    bus = fake_bus(deps, fake_ai(reader))
    await bus.handle(link(ALEX, "Ghost"))
    await bus.handle(link(ALEX, "Ghost2"))
    await bus.handle(link(BLAKE, "Blake"))

    match = await bus.handle(screenshots(ALEX.user_id, 1))

    assert reader.names_given == [("Ghost", "Ghost2")]
    assert match.row_found_by is found_by


async def test_without_linked_names_the_reader_reads_the_highlight_as_before() -> None:
    deps = fake_dependencies()
    reader = FakeAI(raw_hardpoint())
    bus = fake_bus(deps, fake_ai(reader))

    match = await bus.handle(screenshots(ALEX.user_id, 2))

    assert reader.names_given == [()]
    assert match.row_found_by is None
