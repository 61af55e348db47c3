"""/api/v1/matches/export.csv: the listing's matches as a spreadsheet-safe CSV stream."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from collections.abc import MutableMapping
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.core.accounts import GuildMembership
from app.core.reads.matches import EXPORT_PAGE_SIZE
from app.shared.runtime import Runtime
from tests.e2e.api.conftest import SignIn
from tests.support.factories import T0, match_fields, raw_hardpoint, raw_search_and_destroy

URL = "/api/v1/matches/export.csv"


def snowflake() -> int:
    return uuid.uuid4().int >> 66


def rows_of(response: httpx.Response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.text)))


@pytest.fixture
def guild() -> int:
    return snowflake()


@pytest.fixture
def me() -> int:
    return snowflake()


@pytest.fixture
async def headers(sign_in: SignIn, me: int, guild: int) -> dict[str, str]:
    return await sign_in(me, [GuildMembership(guild_id=guild, name="Home")])


async def test_the_export_is_an_attachment_with_one_row_per_match(
    client: httpx.AsyncClient, runtime: Runtime, headers: dict[str, str], me: int, guild: int
) -> None:
    matches = runtime.dependencies.matches
    hardpoint = await matches.add(match_fields(guild_id=guild, user_id=me, played_at=T0))
    sd = await matches.add(
        match_fields(
            guild_id=guild,
            user_id=me,
            played_at=T0 + timedelta(hours=1),
            raw_stats=raw_search_and_destroy(),
        )
    )

    response = await client.get(URL, headers=headers)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == ('attachment; filename="debrief-matches.csv"')
    rows = rows_of(response)
    assert [row["match_id"] for row in rows] == [sd.id, hardpoint.id]
    newest, oldest = rows
    assert newest["mode"] == "search_and_destroy" and newest["plants"] == "1"
    assert newest["captures"] == "" and newest["accuracy"] == ""
    assert oldest["kills"] == "31" and oldest["kd"] == "1.41" and oldest["accuracy"] == "23.5"
    assert oldest["weapons"] == "M15 Mod 0 (27 kills)"
    assert oldest["guild_id"] == str(guild) and oldest["user_id"] == str(me)


async def test_text_is_quoted_and_formulas_are_made_inert(
    client: httpx.AsyncClient, runtime: Runtime, headers: dict[str, str], me: int, guild: int
) -> None:
    raw = raw_hardpoint(gamertag='=HYPERLINK("http://evil","x")')
    raw["weapons"] = [{"name": "@SUM(A1)", "kills": 3, "headshots": 1}]
    note = 'line one, "quoted"\nline two'
    await runtime.dependencies.matches.add(
        match_fields(guild_id=guild, user_id=me, raw_stats=raw, note=note)
    )
    await runtime.dependencies.matches.add(
        match_fields(
            guild_id=guild, user_id=me, note="+1 for the squad", played_at=T0 - timedelta(1)
        )
    )

    rows = rows_of(await client.get(URL, headers=headers))

    assert rows[0]["gamertag"] == '\'=HYPERLINK("http://evil","x")'
    assert rows[0]["weapons"] == "'@SUM(A1) (3 kills)"
    assert rows[0]["note"] == note  # commas, quotes and newlines survive the round trip
    assert rows[1]["note"] == "'+1 for the squad"


async def asgi_get(app: FastAPI, path: str, headers: dict[str, str]) -> list[bytes]:
    """The body messages of a GET, as the server sends them (httpx would join them)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "https",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 443),
        "state": {},
    }
    bodies: list[bytes] = []
    requests = iter([{"type": "http.request", "body": b"", "more_body": False}])
    finished = asyncio.Event()

    async def receive() -> dict[str, Any]:
        # The request, then (as a server would) nothing until the client goes away.
        request = next(requests, None)
        if request is not None:
            return request
        await finished.wait()
        return {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.body":
            bodies.append(message.get("body", b""))
            if not message.get("more_body", False):
                finished.set()

    await app(scope, receive, send)
    return bodies


async def test_the_export_streams_every_page_as_it_reads_it(
    app: FastAPI, runtime: Runtime, headers: dict[str, str], me: int, guild: int
) -> None:
    count = EXPORT_PAGE_SIZE + 5
    for minute in range(count):
        await runtime.dependencies.matches.add(
            match_fields(guild_id=guild, user_id=me, played_at=T0 + timedelta(minutes=minute))
        )

    bodies = await asgi_get(app, URL, headers)

    rows = list(csv.DictReader(io.StringIO(b"".join(bodies).decode())))
    assert len(rows) == count
    assert len({row["match_id"] for row in rows}) == count
    # Sent a row at a time as the pages are read, never built whole in memory.
    assert len([body for body in bodies if body]) == count + 1


async def test_the_export_has_the_listings_visibility(
    client: httpx.AsyncClient, runtime: Runtime, headers: dict[str, str], guild: int
) -> None:
    mate, stranger_server = snowflake(), snowflake()
    await runtime.dependencies.matches.add(match_fields(guild_id=guild, user_id=mate))
    await runtime.dependencies.matches.add(match_fields(guild_id=stranger_server, user_id=mate))

    mine = await client.get(URL, headers=headers)
    server = await client.get(URL, params={"guild_id": guild}, headers=headers)
    elsewhere = await client.get(URL, params={"guild_id": stranger_server}, headers=headers)
    theirs = await client.get(URL, params={"user_id": mate}, headers=headers)

    assert rows_of(mine) == []
    assert [row["user_id"] for row in rows_of(server)] == [str(mate)]
    assert elsewhere.status_code == 404
    assert theirs.status_code == 403
    assert elsewhere.headers["content-type"] == "application/problem+json"
