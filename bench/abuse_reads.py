"""One user's burst of listings against another user's one request, with and without the
per-user read limit. Prints a Markdown table.

    PYTHONPATH=. python -m bench.abuse_reads [--burst 200] [--matches 300]

The real app (create_app + lifespan) in-process over ASGI, on a throwaway embedded database;
"no limit" is READ_RATE_LIMIT set out of reach, "default" is the shipped READ_RATE_LIMIT.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager
from pydantic import SecretStr

from app.api.app import create_app
from app.api.auth.tokens import AccessTokens
from app.shared.embedded_db import EmbeddedDatabase
from app.shared.runtime import Runtime
from app.shared.settings import Settings, load_settings
from tests.support.factories import match_fields, user_fields
from tests.support.sessions import bearer_headers

GREEDY, PATIENT = 1001, 1002
LISTING = "/api/v1/matches?limit=50"


async def run(settings: Settings, burst: int, matches: int) -> dict[str, object]:
    app = create_app(settings)
    async with LifespanManager(app):
        runtime: Runtime = app.state.runtime
        tokens: AccessTokens = app.state.access_tokens
        for user in (GREEDY, PATIENT):
            await runtime.dependencies.users.upsert(user_fields(user))
        for _ in range(matches):
            await runtime.dependencies.matches.add(match_fields(user_id=GREEDY))
        await runtime.dependencies.matches.add(match_fields(user_id=PATIENT))
        sessions = runtime.dependencies.refresh_tokens
        greedy = await bearer_headers(tokens, sessions, GREEDY)
        patient = await bearer_headers(tokens, sessions, PATIENT)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://bench") as http:
            idle_s = await timed(http, patient)
            flood = [asyncio.create_task(http.get(LISTING, headers=greedy)) for _ in range(burst)]
            await asyncio.sleep(0)  # the burst is in flight before the other user asks
            during_s = await timed(http, patient)
            statuses = Counter(r.status_code for r in await asyncio.gather(*flood))
        await runtime.database.client.drop_database(settings.mongodb_database)
    return {"statuses": statuses, "idle_ms": idle_s * 1000, "during_ms": during_s * 1000}


async def timed(http: httpx.AsyncClient, headers: dict[str, str]) -> float:
    started = time.perf_counter()
    response = await http.get(LISTING, headers=headers)
    assert response.status_code == 200, response.status_code
    return time.perf_counter() - started


async def main(burst: int, matches: int) -> None:
    with (
        tempfile.TemporaryDirectory() as workdir,
        EmbeddedDatabase(storage=Path(workdir) / "data") as server,
    ):
        base = load_settings(
            _env_file=None,
            debrief_env="production",
            mongodb_uri=SecretStr(server.uri),
            jwt_secret=SecretStr(secrets.token_urlsafe(48)),
            debrief_data_dir=Path(workdir),
        )
        print(
            f"User A sends {burst} concurrent listings ({matches} matches, 50 a page); "
            "user B sends one listing while they run.\n"
        )
        print(
            "| read limit | reads in flight per user | A: 200 | A: 429 | B alone (ms) "
            "| B during A's burst (ms) |"
        )
        print("|---|---|---|---|---|---|")
        unlimited = ("none", "1000000/minute", "none", 1000)
        rate_only = (f"{base.read_rate_limit}", None, "none", 1000)
        defaults = (f"{base.read_rate_limit}", None, f"{base.read_max_in_flight}", None)
        for label, limit, in_flight_label, in_flight in (unlimited, rate_only, defaults):
            settings = base.model_copy(
                update={
                    "mongodb_database": f"abuse_{secrets.token_hex(4)}",
                    "read_rate_limit": limit or base.read_rate_limit,
                    "read_max_in_flight": in_flight or base.read_max_in_flight,
                }
            )
            figures = await run(settings, burst, matches)
            statuses: Counter[int] = figures["statuses"]  # type: ignore[assignment]
            print(
                f"| {label} | {in_flight_label} | {statuses[200]} | {statuses[429]} | "
                f"{figures['idle_ms']:.0f} | {figures['during_ms']:.0f} |"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--matches", type=int, default=300)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.burst, arguments.matches))
