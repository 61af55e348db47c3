"""The API's problem details in the client's language (Accept-Language); English otherwise.
The dashboard's pages: tests/e2e/api/test_dashboard_language.py."""

from __future__ import annotations

import uuid

import httpx
import pytest

from app.api.language import preferred_language
from app.core.accounts import GuildMembership
from app.core.i18n import Language
from tests.e2e.api.conftest import SignIn
from tests.e2e.api.test_request_limits import HUNDRED_MB, CountingBody

UNKNOWN_MATCH = f"/api/v1/matches/{'0' * 24}"
SPANISH = {"Accept-Language": "es"}


@pytest.fixture
async def headers(sign_in: SignIn) -> dict[str, str]:
    guild = uuid.uuid4().int >> 66
    return await sign_in(uuid.uuid4().int >> 66, [GuildMembership(guild_id=guild, name="Home")])


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-ES", Language.SPANISH),
        ("es-419,es;q=0.9,en;q=0.8", Language.SPANISH),
        ("fr-FR, es;q=0.5", Language.SPANISH),  # the best one Debrief speaks
        ("en;q=0.9, es;q=0.8", Language.ENGLISH),
        ("es;q=0, fr", Language.ENGLISH),  # q=0 means "not this one"
        ("es;q=bad, de", Language.ENGLISH),
        (None, Language.ENGLISH),
    ],
)
def test_the_best_accepted_language_debrief_speaks(header: str | None, expected: Language) -> None:
    assert preferred_language(header) is expected


async def test_a_spanish_client_reads_the_problem_in_spanish(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    spanish = await client.get(UNKNOWN_MATCH, headers={**headers, "Accept-Language": "es-ES"})
    english = await client.get(UNKNOWN_MATCH, headers=headers)

    assert spanish.status_code == english.status_code == 404
    assert spanish.json()["detail"] == "No hay ninguna partida con ese id."
    assert spanish.json()["title"] == "No encontrado"
    assert english.json()["title"] == "Not found"
    assert spanish.headers["content-language"] == "es"
    assert english.json()["detail"] == "No match with that id."
    assert english.headers["content-language"] == "en"


async def test_the_docs_pages_say_no_language(client: httpx.AsyncClient) -> None:
    """Developer pages are English and not negotiated: only the API and the dashboard are."""
    page = await client.get("/docs", headers={"Accept-Language": "es"})

    assert "content-language" not in page.headers


async def test_a_refused_body_is_explained_in_spanish_without_echoing_it(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    spanish = await client.get(
        "/api/v1/matches", params={"limit": "<b>many</b>"}, headers={**headers, **SPANISH}
    )

    problem = spanish.json()
    assert spanish.status_code == 422
    assert problem["title"] == "Solicitud no válida"
    assert problem["detail"] == "Revisa estos campos: query.limit."
    assert problem["errors"] == [
        {"field": "query.limit", "message": "se esperaba un número entero"}
    ]
    assert "<b>" not in spanish.text


async def test_a_plain_http_refusal_reads_in_spanish(client: httpx.AsyncClient) -> None:
    """A detail marked where it is raised (here: no session) is translated when answered."""
    spanish = await client.get("/api/v1/auth/me", headers=SPANISH)
    english = await client.get("/api/v1/auth/me")

    assert spanish.status_code == english.status_code == 401
    assert spanish.json()["detail"] == "Inicia sesión para usar esto."
    assert english.json()["detail"] == "Log in to use this."


async def test_a_body_over_the_cap_is_refused_in_spanish(client: httpx.AsyncClient) -> None:
    """The size limits answer before the language middleware runs, in the request's language."""
    too_large = {"content-length": str(HUNDRED_MB), "content-type": "application/json"}
    response = await client.post(
        "/api/v1/ask", headers={**SPANISH, **too_large}, content=CountingBody(HUNDRED_MB)
    )

    assert response.status_code == 413
    assert response.json()["title"] == "Cuerpo de la solicitud demasiado grande"
    assert response.json()["detail"].startswith("El cuerpo de la solicitud debe tener como máximo")
