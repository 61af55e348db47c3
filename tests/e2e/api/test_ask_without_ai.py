"""/api/v1/ask on an API without a Gemini key: the local planner answers the common shapes."""

from __future__ import annotations

import uuid

import httpx

from app.core.accounts import GuildMembership
from app.core.ask.local import QuestionOutsideShapes
from app.shared.runtime import Runtime
from tests.e2e.api.conftest import SignIn
from tests.support.factories import match_fields, raw_hardpoint


def snowflake() -> int:
    return uuid.uuid4().int >> 66


async def test_a_common_question_is_answered_without_an_ai(
    client: httpx.AsyncClient, runtime: Runtime, sign_in: SignIn
) -> None:
    guild, me = snowflake(), snowflake()
    headers = await sign_in(me, [GuildMembership(guild_id=guild, name="Home")])
    for kills, deaths in [(30, 15), (10, 20)]:
        raw = {**raw_hardpoint(kills=kills, deaths=deaths), "weapons": []}
        await runtime.dependencies.matches.add(
            match_fields(guild_id=guild, user_id=me, raw_stats=raw)
        )

    response = await client.post(
        "/api/v1/ask", json={"question": "what's my K/D?", "guild_id": str(guild)}, headers=headers
    )

    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["title"] == "K/D overall"
    assert answer["columns"] == ["kd", "kills", "deaths", "matches"]
    assert answer["rows"] == [[1.14, 40, 35, 2]]
    assert answer["sentence"] == "Your K/D overall is 1.14 over 2 matches (40 kills, 35 deaths)."


async def test_another_question_is_a_problem_that_lists_the_shapes(
    client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    guild = snowflake()
    headers = await sign_in(snowflake(), [GuildMembership(guild_id=guild, name="Home")])

    response = await client.post(
        "/api/v1/ask",
        json={"question": "what's the weather tomorrow?", "guild_id": str(guild)},
        headers=headers,
    )

    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "/problems/refused-question"
    assert problem["detail"] == QuestionOutsideShapes().user_message
    assert "try again" not in problem["detail"]
