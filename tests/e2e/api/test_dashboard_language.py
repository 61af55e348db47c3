"""The dashboard's pages in the visitor's language, through the real API app: the language
picker's choice, else the browser's Accept-Language, else English; `<html lang>` and
Content-Language say which; two pages rendered at once in two languages keep their own."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from app.api.auth.cookies import CSRF_COOKIE
from app.api.language import LANGUAGE_COOKIE
from app.core.accounts import GuildMembership
from app.core.matches import Match
from app.shared.runtime import Runtime
from tests.e2e.api.conftest import API_ORIGIN
from tests.e2e.api.dashboard_session import log_in_cookies
from tests.support.factories import match_fields, raw_search_and_destroy, user_fields

pytestmark = pytest.mark.e2e

SPANISH = {"Accept-Language": "es-ES,es;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en-GB"}
HTML_LANG = re.compile(r'<html lang="([a-z]+)">')
HEADING = re.compile(r"<h1>([^<]+)</h1>")


def page_language(page: httpx.Response) -> str:
    found = HTML_LANG.search(page.text)
    assert found, page.text[:200]
    return found.group(1)


def heading(page: httpx.Response) -> str:
    found = HEADING.search(page.text)
    assert found, page.text[:500]
    return found.group(1).strip()


@pytest.fixture
async def visitor(app: FastAPI) -> AsyncIterator[tuple[httpx.AsyncClient, Match]]:
    """A logged-in visitor with one Search and Destroy loss in their server."""
    runtime: Runtime = app.state.runtime
    deps = runtime.dependencies
    user_id, guild_id = uuid.uuid4().int >> 66, uuid.uuid4().int >> 66
    await deps.users.upsert(
        user_fields(user_id, guilds=[GuildMembership(guild_id=guild_id, name="Escuadra")])
    )
    match = await deps.matches.add(
        match_fields(user_id=user_id, guild_id=guild_id, raw_stats=raw_search_and_destroy())
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=API_ORIGIN, headers={"Origin": API_ORIGIN}
    ) as client:
        await log_in_cookies(app, client, user_id)
        yield client, match


async def test_a_spanish_browser_reads_the_landing_page_in_spanish(
    client: httpx.AsyncClient,
) -> None:
    spanish = await client.get("/", headers=SPANISH)
    english = await client.get("/", headers=ENGLISH)
    default = await client.get("/")

    assert page_language(spanish) == "es"
    assert spanish.headers["content-language"] == "es"
    assert "Iniciar sesión con Discord" in spanish.text
    assert "Login with Discord" not in spanish.text
    # The markup a sentence carries is the page's, not the translation's.
    assert "con <code>/debrief</code>: Debrief lo lee" in spanish.text
    for page in (english, default):
        assert page_language(page) == "en"
        assert page.headers["content-language"] == "en"
        assert "Login with Discord" in page.text


async def test_a_spanish_visitor_reads_their_match_in_spanish(
    visitor: tuple[httpx.AsyncClient, Match],
) -> None:
    client, match = visitor
    listing = await client.get("/dashboard/matches", headers=SPANISH)
    page = await client.get(f"/dashboard/matches/{match.id}", headers=SPANISH)

    assert listing.status_code == page.status_code == 200
    assert heading(listing) == "Mis partidas"
    assert "Descargar estas partidas en CSV" in listing.text
    assert page_language(page) == "es"
    assert "Buscar y destruir en Scar" in page.text
    assert "Derrota 4–6" in page.text
    assert "Corregir las stats" in page.text
    assert "Objetivos de Sobrecarga" in page.text
    english = await client.get(f"/dashboard/matches/{match.id}")
    assert "Search and Destroy on Scar" in english.text
    assert "Loss 4–6" in english.text


async def test_a_refused_form_explains_itself_in_spanish(
    visitor: tuple[httpx.AsyncClient, Match],
) -> None:
    client, match = visitor
    csrf = client.cookies.get(CSRF_COOKIE) or ""
    refused = await client.post(
        f"/dashboard/matches/{match.id}/delete", data={"csrf_token": csrf}, headers=SPANISH
    )

    assert refused.status_code == 422
    assert "No se guardó nada" in refused.text
    assert "Marca la casilla para borrar esta partida." in refused.text


async def test_pages_rendered_at_once_in_two_languages_keep_their_own(
    visitor: tuple[httpx.AsyncClient, Match],
) -> None:
    client, _match = visitor
    # As many at once as a visitor may have reads in flight (READ_MAX_IN_FLIGHT, 4).
    languages = [SPANISH, ENGLISH] * 2
    expected = [("es", "Mis partidas"), ("en", "My matches")] * 2
    for _round in range(3):
        pages = await asyncio.gather(
            *(client.get("/dashboard/matches", headers=headers) for headers in languages)
        )
        assert [(page_language(page), heading(page)) for page in pages] == expected
        assert [page.headers["content-language"] for page in pages] == [e[0] for e in expected]


async def test_the_picker_s_choice_outranks_the_browser(
    visitor: tuple[httpx.AsyncClient, Match],
) -> None:
    client, _match = visitor
    chosen = await client.get(
        "/language?lang=es", headers={"Referer": f"{API_ORIGIN}/dashboard/matches?period=week"}
    )

    assert chosen.status_code == 303
    assert chosen.headers["location"] == "/dashboard/matches?period=week"
    assert client.cookies.get(LANGUAGE_COOKIE) == "es"
    page = await client.get("/dashboard/matches", headers=ENGLISH)
    assert (page_language(page), heading(page)) == ("es", "Mis partidas")

    back = await client.get("/language?lang=", headers={"Referer": "https://elsewhere.example/"})
    assert back.headers["location"] == "/"
    assert client.cookies.get(LANGUAGE_COOKIE) is None
    page = await client.get("/dashboard/matches", headers=ENGLISH)
    assert (page_language(page), heading(page)) == ("en", "My matches")
