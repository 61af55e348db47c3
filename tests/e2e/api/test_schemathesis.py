"""Schemathesis over the whole OpenAPI document: generated requests never get a 5xx.

Schemathesis calls the ASGI app in-process from its own event-loop thread, where it also runs
the app's lifespan; a second app on the module's database is created for it, and its lifespan
is shut down when the module ends. Beanie binds its document classes to the client of the app
started last, so everything this module writes through the repositories happens first.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr
from schemathesis.checks import not_a_server_error
from schemathesis.core.transport import Response
from schemathesis.generation import GenerationMode
from schemathesis.generation.case import Case
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.schemas import APIOperation, BaseSchema

from app.api.app import create_app
from app.api.auth.tokens import AccessTokens
from app.core.accounts import GuildMembership
from app.core.guilds import GuildConfig
from app.shared.runtime import Runtime
from app.shared.settings import Settings
from tests.support.factories import match_fields, user_fields
from tests.support.sessions import bearer_headers

# Generated ids are often the smallest ones: the fuzzing user manages servers 0 and 1, so the
# generated requests reach past "not found" into the handlers.
FUZZER = 7
GUILDS = (0, 1)
MANAGE_GUILD = 1 << 5
EXAMPLES_PER_OPERATION = 30


@pytest.fixture(scope="module")
async def fuzz_headers(app: FastAPI) -> dict[str, str]:
    """A signed-in server admin with a few matches, written before the fuzzed app starts."""
    runtime: Runtime = app.state.runtime
    deps = runtime.dependencies
    memberships = [
        GuildMembership(guild_id=g, name=f"Server {g}", permissions=MANAGE_GUILD) for g in GUILDS
    ]
    await deps.users.upsert(user_fields(FUZZER, guilds=memberships))
    for guild in GUILDS:
        await deps.guild_configs.save(GuildConfig(guild_id=guild, digest_channel_id=10))
        await deps.matches.add(match_fields(guild_id=guild, user_id=FUZZER))
    tokens: AccessTokens = app.state.access_tokens
    return await bearer_headers(tokens, deps.refresh_tokens, FUZZER)


@pytest.fixture(scope="module")
def fuzzed_app(api_settings: Settings, fuzz_headers: dict[str, str]) -> Iterator[FastAPI]:
    # Login configured, so it redirects instead of answering 503 "not configured". Nothing
    # listens at that address, and no generated callback gets past the state check to call it.
    settings = api_settings.model_copy(
        update={
            "discord_client_id": "fuzz-client",
            "discord_client_secret": SecretStr("fuzz-client-secret"),
            "discord_api_base_url": "http://127.0.0.1:9/api/v10",
        }
    )
    yield create_app(settings)
    shutdown_lifespans()


@pytest.fixture(scope="module")
def api_schema(fuzzed_app: FastAPI) -> BaseSchema:
    loaded = schemathesis.openapi.from_asgi("/openapi.json", fuzzed_app)
    loaded.config.generation.update(max_examples=EXAMPLES_PER_OPERATION, deterministic=True)
    return loaded


def no_server_error(ctx: object, response: Response, case: Case) -> bool | None:
    """`not_a_server_error`, except the documented 503 of /ask: these tests run without an AI."""
    if response.status_code == 503 and case.path == "/api/v1/ask":
        assert json.loads(response.content)["type"] == "/problems/ai-unavailable"
        return None
    return not_a_server_error(ctx, response, case)  # type: ignore[arg-type]


def fuzz(operation: APIOperation, headers: dict[str, str]) -> None:
    """Valid and invalid requests for one operation, each checked for a server error."""
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @given(case=cases)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case: Case) -> None:
        # Redirects are not followed: the login redirects to Discord, which tests never reach.
        response = case.call(headers=headers, allow_redirects=False)
        case.validate_response(response, checks=[no_server_error])

    call()


def test_no_generated_request_gets_a_server_error(
    api_schema: BaseSchema, fuzz_headers: dict[str, str]
) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15
    failures = []
    for operation in operations:
        try:
            fuzz(operation, fuzz_headers)
        # Every operation is fuzzed, then every failure reported (Schemathesis raises groups).
        except (Exception, BaseExceptionGroup) as failure:
            failures.append(f"{operation.label}: {failure}")
    assert failures == []
