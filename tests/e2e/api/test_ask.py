"""/api/v1/ask through the real app and the real Gemini client, against the Gemini stub."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from pydantic import SecretStr

from app.api.app import create_app
from app.core.accounts import GuildMembership
from app.core.guilds import AskScope, GuildConfig
from app.core.handlers.ask import ONLY_YOUR_MATCHES
from app.shared.gemini import prompts
from app.shared.gemini.models import DEFAULT_MODEL
from app.shared.runtime import Runtime
from app.shared.settings import Settings
from devtools.gemini_stub import ErrorAnswer, GeminiStub, JsonAnswer, Match, Rule, TextAnswer
from tests.e2e.api.conftest import SignIn
from tests.support.factories import match_fields, raw_hardpoint

PLAN_PROMPT = prompts.PLAN_SYSTEM.splitlines()[0]
PHRASE_PROMPT = prompts.PHRASE_SYSTEM.splitlines()[0]
KILLS_BY_PLAYER: list[dict[str, Any]] = [
    {"$group": {"_id": "$user_id", "kills": {"$sum": "$stats.player.kills"}}},
    {"$sort": {"kills": -1}},
]


def snowflake() -> int:
    return uuid.uuid4().int >> 66


def plan(pipeline: list[dict[str, Any]], title: str = "Kills by player") -> JsonAnswer:
    return JsonAnswer({"answerable": True, "title": title, "pipeline_json": json.dumps(pipeline)})


@pytest.fixture(scope="module")
async def stub() -> AsyncIterator[GeminiStub]:
    async with GeminiStub(api_key="test-gemini-key") as running:
        yield running


@pytest.fixture(scope="module")
async def app(api_settings: Settings, stub: GeminiStub) -> AsyncIterator[FastAPI]:
    """The API with the AI configured, pointed at the stub."""
    settings = api_settings.model_copy(
        update={"gemini_api_key": SecretStr(stub.api_key), "gemini_base_url": stub.base_url}
    )
    application = create_app(settings)
    async with LifespanManager(application):
        yield application
        runtime: Runtime = application.state.runtime
        await runtime.database.client.drop_database(settings.mongodb_database)


@pytest.fixture(autouse=True)
def fresh_stub(stub: GeminiStub) -> None:
    stub.reset()


@pytest.fixture
def guild() -> int:
    return snowflake()


@pytest.fixture
def me() -> int:
    return snowflake()


@pytest.fixture
async def headers(sign_in: SignIn, me: int, guild: int) -> dict[str, str]:
    return await sign_in(me, [GuildMembership(guild_id=guild, name="Home")])


async def seed(runtime: Runtime, guild: int, *players: tuple[int, int]) -> None:
    for user_id, kills in players:
        raw = raw_hardpoint(kills=kills)
        raw["weapons"] = []
        await runtime.dependencies.matches.add(
            match_fields(guild_id=guild, user_id=user_id, raw_stats=raw)
        )


async def test_a_question_is_answered_with_a_table_and_a_sentence(
    client: httpx.AsyncClient,
    runtime: Runtime,
    stub: GeminiStub,
    headers: dict[str, str],
    me: int,
    guild: int,
) -> None:
    mate = snowflake()
    await seed(runtime, guild, (me, 31), (mate, 40))
    await seed(runtime, snowflake(), (mate, 99))  # another server: never counted
    stub.add_rule(Rule.always(Match(prompt_contains=PLAN_PROMPT), plan(KILLS_BY_PLAYER)))
    sentence = JsonAnswer({"sentence": "Your squadmate leads on kills."})
    stub.add_rule(Rule.always(Match(prompt_contains=PHRASE_PROMPT), sentence))

    response = await client.post(
        "/api/v1/ask",
        json={"question": "who has the most kills?", "guild_id": str(guild)},
        headers=headers,
    )

    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["question"] == "who has the most kills?"
    assert answer["title"] == "Kills by player"
    assert answer["columns"] == ["player", "kills"]
    assert answer["rows"] == [[f"<@{mate}>", 40], [f"<@{me}>", 31]]
    assert answer["sentence"] == "Your squadmate leads on kills."
    assert answer["omitted"] == 0


async def test_scope_me_keeps_only_my_matches(
    client: httpx.AsyncClient,
    runtime: Runtime,
    stub: GeminiStub,
    headers: dict[str, str],
    me: int,
    guild: int,
) -> None:
    await seed(runtime, guild, (me, 31), (snowflake(), 40))
    stub.add_rule(Rule.always(Match(prompt_contains=PLAN_PROMPT), plan(KILLS_BY_PLAYER)))
    stub.add_rule(
        Rule.always(Match(prompt_contains=PHRASE_PROMPT), JsonAnswer({"sentence": "Ok."}))
    )

    response = await client.post(
        "/api/v1/ask",
        json={"question": "my kills", "guild_id": str(guild), "scope": "me"},
        headers=headers,
    )

    assert response.json()["rows"] == [[f"<@{me}>", 31]]
    assert response.json()["note"] is None


async def test_the_servers_me_scope_is_a_ceiling_a_member_cannot_widen(
    client: httpx.AsyncClient,
    runtime: Runtime,
    stub: GeminiStub,
    headers: dict[str, str],
    me: int,
    guild: int,
) -> None:
    await runtime.dependencies.guild_configs.save(
        GuildConfig(guild_id=guild, ask_scope=AskScope.ME)
    )
    await seed(runtime, guild, (me, 31), (snowflake(), 40))
    stub.add_rule(Rule.always(Match(prompt_contains=PLAN_PROMPT), plan(KILLS_BY_PLAYER)))
    stub.add_rule(
        Rule.always(Match(prompt_contains=PHRASE_PROMPT), JsonAnswer({"sentence": "Ok."}))
    )

    response = await client.post(
        "/api/v1/ask",
        json={"question": "everyone's kills", "guild_id": str(guild), "scope": "server"},
        headers=headers,
    )

    assert response.status_code == 200, response.text
    assert response.json()["rows"] == [[f"<@{me}>", 31]]
    assert response.json()["note"] == ONLY_YOUR_MATCHES


async def test_a_server_i_am_not_in_is_not_found_and_the_ai_is_never_asked(
    client: httpx.AsyncClient, stub: GeminiStub, headers: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/ask", json={"question": "kills?", "guild_id": str(snowflake())}, headers=headers
    )
    assert response.status_code == 404
    assert stub.requests == ()


async def test_a_plan_that_breaks_the_guard_is_refused(
    client: httpx.AsyncClient, stub: GeminiStub, headers: dict[str, str], guild: int
) -> None:
    escape: list[dict[str, Any]] = [{"$lookup": {"from": "users", "as": "u", "pipeline": []}}]
    stub.add_rule(Rule.always(Match(prompt_contains=PLAN_PROMPT), plan(escape)))

    response = await client.post(
        "/api/v1/ask",
        json={"question": "everyone's tokens", "guild_id": str(guild)},
        headers=headers,
    )

    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "/problems/refused-question"
    assert "lookup" not in problem["detail"]  # the rule stays in the logs


async def test_the_ai_failing_on_a_question_only_it_can_plan_is_a_503_problem(
    client: httpx.AsyncClient, stub: GeminiStub, headers: dict[str, str], guild: int
) -> None:
    stub.add_rule(Rule.always(Match(prompt_contains=PLAN_PROMPT), ErrorAnswer(400)))

    response = await client.post(
        "/api/v1/ask",
        json={"question": "write a poem about our squad", "guild_id": str(guild)},
        headers=headers,
    )

    assert response.status_code == 503
    problem = response.json()
    assert problem["type"] == "/problems/ai-unavailable"
    assert "my average kills this week" in problem["detail"], "it says what works meanwhile"


async def test_the_ai_failing_on_a_common_question_is_answered_by_the_local_planner(
    client: httpx.AsyncClient,
    runtime: Runtime,
    stub: GeminiStub,
    headers: dict[str, str],
    me: int,
    guild: int,
) -> None:
    mate = snowflake()
    await seed(runtime, guild, (me, 31), (mate, 40), (mate, 20))
    stub.add_rule(Rule.always(Match(prompt_contains=PLAN_PROMPT), ErrorAnswer(503)))

    response = await client.post(
        "/api/v1/ask",
        json={"question": "who has the most kills?", "guild_id": str(guild)},
        headers=headers,
    )

    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["columns"] == ["player", "total_kills", "avg_kills", "matches"]
    assert answer["rows"] == [[f"<@{mate}>", 60, 30, 2], [f"<@{me}>", 31, 31, 1]]
    assert answer["sentence"] == (
        f"<@{mate}> has the highest total kills overall: 60 over 2 matches. You are 2nd with 31."
    )
    assert not [r for r in stub.requests if PHRASE_PROMPT in r.prompt.all_text]


async def test_the_servers_ask_cooldown_applies_as_in_discord(
    client: httpx.AsyncClient, stub: GeminiStub, headers: dict[str, str], guild: int
) -> None:
    stub.add_rule(Rule.always(Match(prompt_contains=PLAN_PROMPT), plan(KILLS_BY_PLAYER)))
    body = {"question": "kills?", "guild_id": str(guild)}

    first = await client.post("/api/v1/ask", json=body, headers=headers)
    second = await client.post("/api/v1/ask", json=body, headers=headers)

    assert first.status_code == 200
    assert second.status_code == 429
    assert 1 <= int(second.headers["retry-after"]) <= 15
    assert second.json()["type"] == "/problems/rate-limited"


DEEP = 10_000
DEEP_PLANS = {
    # The plan's pipeline nested 10,000 deep: refused like a plan the guard finds too deep.
    "deep pipeline": (
        json.dumps({"answerable": True, "title": "T", "pipeline_json": "[" * DEEP + "]" * DEEP}),
        422,
        "/problems/refused-question",
    ),
    # The answer itself nested 10,000 deep: not an answer at all.
    "deep answer": ("[" * DEEP + "]" * DEEP, 503, "/problems/ai-unavailable"),
}


@pytest.mark.parametrize(("text", "status", "kind"), DEEP_PLANS.values(), ids=DEEP_PLANS.keys())
async def test_a_plan_nested_ten_thousand_deep_is_a_problem_not_a_500(
    client: httpx.AsyncClient,
    stub: GeminiStub,
    headers: dict[str, str],
    guild: int,
    text: str,
    status: int,
    kind: str,
) -> None:
    stub.add_rule(Rule.always(Match(prompt_contains=PLAN_PROMPT), TextAnswer(text)))

    # Not a question the local planner reads, or it would answer when the AI cannot.
    question = {"question": "tell me a story", "guild_id": str(guild)}
    response = await client.post("/api/v1/ask", json=question, headers=headers)

    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == kind
    assert "[[" not in response.text


def gemini_counter(exposition: str, name: str, task: str) -> float:
    """A Gemini counter's value for the default model and ``task`` (0 before its first call)."""
    labels = f'model="{DEFAULT_MODEL}",task="{task}"'
    for line in exposition.splitlines():
        if line.startswith(f"{name}{{{labels}}} "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_gemini_tokens_and_dollars_of_each_call_are_on_metrics(
    client: httpx.AsyncClient,
    runtime: Runtime,
    stub: GeminiStub,
    headers: dict[str, str],
    me: int,
    guild: int,
) -> None:
    await seed(runtime, guild, (me, 31))
    stub.add_rule(Rule.always(Match(prompt_contains=PLAN_PROMPT), plan(KILLS_BY_PLAYER)))
    sentence = JsonAnswer({"sentence": "You have 31 kills."})
    stub.add_rule(Rule.always(Match(prompt_contains=PHRASE_PROMPT), sentence))
    before = (await client.get("/metrics")).text

    response = await client.post(
        "/api/v1/ask", json={"question": "my kills?", "guild_id": str(guild)}, headers=headers
    )

    assert response.status_code == 200, response.text
    after = (await client.get("/metrics")).text
    plan_call, phrase_call = stub.requests
    for task, call in (("plan_query", plan_call), ("phrase_answer", phrase_call)):
        assert call.usage is not None

        def grew(name: str, text_before: str = before, task: str = task) -> float:
            return gemini_counter(after, name, task) - gemini_counter(text_before, name, task)

        assert grew("gemini_calls_total") == 1
        assert grew("gemini_prompt_tokens_total") == call.usage.prompt_tokens
        assert grew("gemini_output_tokens_total") == call.usage.output_tokens
        assert grew("gemini_thoughts_tokens_total") == call.usage.thoughts_tokens
        assert grew("gemini_cost_usd_total") == pytest.approx(
            (call.usage.prompt_tokens * 0.30 + call.usage.output_tokens * 2.50) / 1_000_000
        )
    # Planning thinks at the minimal level, phrasing at a low one.
    assert plan_call.usage is not None and phrase_call.usage is not None
    assert plan_call.usage.thoughts_tokens == 0 < phrase_call.usage.thoughts_tokens
