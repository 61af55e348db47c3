"""Same-match detection under a race, on the real database: squad mates uploading one match at
the same moment, each board showing the others, record it exactly once for every member,
whether by their own upload or by a capture from a mate's."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from app.core.actors import Actor
from app.core.ai import Extraction, PreparedImage
from app.core.bootstrap import Dependencies, bootstrap
from app.core.bus import MessageBus
from app.core.commands import AnalyzeScreenshots, LinkGamertag, Upload
from app.core.errors import Conflict
from app.core.events import LobbyRead, MatchCaptured, MatchSaved
from app.core.game.modes import MatchStats
from app.core.handlers import BOT_HANDLERS
from app.core.matches import MatchFilter, MatchSource
from app.core.squad.claims import CLAIM_STALE, Claimed, MatchClaim, claim_for, claim_match
from app.core.squad.matching import SAME_MATCH_WINDOW
from app.shared.db.connection import Database
from tests.support.factories import T0, raw_hardpoint
from tests.unit.wiring import USAGE, FakeAI, FakeCaptureNotices, fake_ai, packaged_catalog

GUILD, CHANNEL = 50, 7
SQUAD = (1, 2, 3, 4, 5, 6)


def name(user_id: int) -> str:
    return f"Player_{user_id}"


def their_row(user_id: int) -> dict[str, Any]:
    return {
        "gamertag": name(user_id),
        "team": "ally",
        "score": 3000 + user_id,
        "kills": 20,
        "deaths": 15,
        "assists": 4,
        "objective_time_s": 60,
        "captures": 2,
    }


class EachSeesTheirOwnBoard(FakeAI):
    """Reads the board its uploader posted: their row as the player, every mate's as the lobby.
    The uploader is known by the linked name the reader is given."""

    async def read_stats(
        self,
        images: Sequence[PreparedImage],
        note: str | None,
        known_gamertags: Sequence[str] = (),
        *,
        with_lobby: bool = False,
    ) -> Extraction:
        assert with_lobby  # every member opted in
        [own] = known_gamertags
        user_id = int(own.removeprefix("Player_"))
        lobby: tuple[Mapping[str, Any], ...] = tuple(
            their_row(mate) for mate in SQUAD if mate != user_id
        )
        # A pause as a real reading has one: every upload is in flight before any saves.
        await asyncio.sleep(0.05)
        return Extraction(raw_hardpoint(gamertag=own), USAGE, lobby=lobby)


@pytest.fixture
def dependencies(database: Database) -> Dependencies:
    return database.dependencies(packaged_catalog())


def squad_bus(dependencies: Dependencies) -> MessageBus:
    return bootstrap(
        dependencies,
        fake_ai(EachSeesTheirOwnBoard()),
        handlers=BOT_HANDLERS.only(
            commands=(AnalyzeScreenshots, LinkGamertag),
            events=(MatchSaved, LobbyRead, MatchCaptured),
        ),
        extra_dependencies={"capture_notifier": FakeCaptureNotices()},
    )


def upload(user_id: int) -> AnalyzeScreenshots:
    png = b"\x89PNG\r\n\x1a\n" + f"board of {user_id}".encode()
    return AnalyzeScreenshots(
        guild_id=GUILD,
        channel_id=CHANNEL,
        user_id=user_id,
        interaction_id=1000 + user_id,
        uploads=(Upload(filename="b.png", declared_type="image/png", data=png),),
        size_limit=2**20,
        played_at=T0,
    )


@pytest.mark.parametrize("uploaders", [SQUAD[:2], SQUAD], ids=["two mates", "whole squad"])
async def test_concurrent_uploads_record_the_match_once_for_every_member(
    dependencies: Dependencies, uploaders: tuple[int, ...]
) -> None:
    bus = squad_bus(dependencies)
    for user_id in SQUAD:
        actor = Actor(user_id, member_of=frozenset({GUILD}))
        await bus.handle(
            LinkGamertag(guild_id=GUILD, actor=actor, gamertag=name(user_id), auto_record=True)
        )

    outcomes = await asyncio.gather(
        *(bus.handle(upload(user_id)) for user_id in uploaders), return_exceptions=True
    )

    # An upload that lost to a capture of the same match is told so, and saves nothing.
    assert all(not isinstance(o, Exception) or isinstance(o, Conflict) for o in outcomes), outcomes
    assert any(not isinstance(o, Exception) for o in outcomes)
    for user_id in SQUAD:
        page = await dependencies.matches.page(
            MatchFilter(guild_id=GUILD, user_id=user_id), limit=10
        )
        assert len(page.matches) == 1, (user_id, [m.source for m in page.matches])
    for user_id in set(SQUAD) - set(uploaders):
        [captured] = (
            await dependencies.matches.page(MatchFilter(guild_id=GUILD, user_id=user_id), limit=1)
        ).matches
        assert captured.source is MatchSource.CAPTURED


def claim(holder: int, *, hours: float = 0, captured: bool = True) -> MatchClaim:
    return claim_for(
        MatchStats.model_validate(raw_hardpoint()),
        guild_id=GUILD,
        user_id=9,
        played_at=T0 + timedelta(hours=hours),
        holder=holder,
        captured=captured,
        now=T0 + timedelta(hours=hours),
    )


async def test_a_claim_holds_its_key_within_the_window_only(dependencies: Dependencies) -> None:
    matches, window = dependencies.matches, SAME_MATCH_WINDOW
    first = claim(1)
    assert await matches.take_claim(first, window) is None
    # Within the window: the first holds it, whoever asks (a capture, or an own upload).
    assert await matches.take_claim(claim(2, hours=1.5), window) == first
    assert await matches.take_claim(claim(3, hours=-1, captured=False), window) == first
    # A rematch with the same score outside the window is another match: it takes the key.
    rematch = claim(4, hours=2.5)
    assert await matches.take_claim(rematch, window) is None
    assert await matches.take_claim(claim(5, hours=2), window) == rematch


async def test_own_uploads_pass_over_each_other_and_a_released_key_is_free(
    dependencies: Dependencies,
) -> None:
    matches, window = dependencies.matches, SAME_MATCH_WINDOW
    own = claim(1, captured=False)
    assert await matches.take_claim(own, window) is None
    second_own = claim(2, hours=0.5, captured=False)
    assert await matches.take_claim(second_own, window) is None
    assert await matches.take_claim(claim(3), window) == second_own
    await matches.release_claim(own)  # not the holder any more: nothing happens
    assert await matches.take_claim(claim(3), window) == second_own
    await matches.release_claim(second_own)
    assert await matches.take_claim(claim(3), window) is None


async def test_a_stale_claim_is_taken_over_once(dependencies: Dependencies) -> None:
    matches, window = dependencies.matches, SAME_MATCH_WINDOW
    stale = claim(1)
    await matches.take_claim(stale, window)
    late = replace(claim(2), claimed_at=T0 + CLAIM_STALE * 2)

    # Nobody saved a match under the stale holder: the late recording takes over.
    assert isinstance(await claim_match(matches, late, window), Claimed)
    assert not await matches.take_over_claim(claim(3), stale)
    assert await matches.take_claim(claim(3), window) == late
