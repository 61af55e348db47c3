"""The readers' disagreements in /api/v1/matches: listed with the match, settled by PATCH."""

from __future__ import annotations

import uuid

import httpx

from app.core.accounts import GuildMembership
from app.core.game.disagreements import ReaderFlag
from app.shared.runtime import Runtime
from tests.e2e.api.conftest import SignIn
from tests.support.factories import match_fields, raw_hardpoint

KILLS = {"kind": "reader_disagreement", "field": "player.kills", "used": 31, "other": 34}
ACCURACY = {
    "kind": "reader_disagreement",
    "field": "weapons.M15 Mod 0.accuracy",
    "used": 23.5,
    "other": 32.5,
}


def snowflake() -> int:
    return uuid.uuid4().int >> 66


async def test_a_match_shows_its_flags_until_a_correction_settles_them(
    client: httpx.AsyncClient, runtime: Runtime, sign_in: SignIn
) -> None:
    me, guild = snowflake(), snowflake()
    headers = await sign_in(me, [GuildMembership(guild_id=guild, name="Home")])
    flags = [ReaderFlag.model_validate(KILLS), ReaderFlag.model_validate(ACCURACY)]
    match = await runtime.dependencies.matches.add(
        match_fields(guild_id=guild, user_id=me, reader_flags=flags)
    )

    shown = await client.get(f"/api/v1/matches/{match.id}", headers=headers)
    listed = await client.get("/api/v1/matches", headers=headers)

    assert shown.status_code == 200, shown.text
    assert shown.json()["reader_flags"] == [KILLS, ACCURACY]
    assert listed.json()["items"][0]["reader_flags"] == [KILLS, ACCURACY]

    corrected = raw_hardpoint(kills=34)
    corrected["player"].pop("gamertag")
    patched = await client.patch(f"/api/v1/matches/{match.id}", json=corrected, headers=headers)

    assert patched.status_code == 200, patched.text
    assert patched.json()["reader_flags"] == [], "a PATCH gives every field: nothing left open"
    stored = await runtime.dependencies.matches.get(match.id)
    assert stored is not None and stored.reader_flags == []
