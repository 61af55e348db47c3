"""/docs and /redoc load nothing from another site: their scripts and styles are the API's."""

from __future__ import annotations

import re

import httpx
import pytest

# Every URL a page loads or links to: src, href, ReDoc's spec-url, Swagger UI's url: '...'.
REFERENCED = re.compile(r"""(?:src|href|spec-url)\s*=\s*["']([^"']+)["']|url:\s*['"]([^'"]+)['"]""")
EXPECTED_TYPES = {".js": "javascript", ".css": "text/css", ".png": "image/png"}


def referenced_urls(html: str) -> list[str]:
    return [a or b for a, b in REFERENCED.findall(html)]


@pytest.mark.parametrize(
    ("page", "assets"),
    [
        ("/docs", {"swagger-ui-bundle.js", "swagger-ui.css", "favicon.png"}),
        ("/redoc", {"redoc.standalone.js", "favicon.png"}),
    ],
)
async def test_the_docs_pages_load_only_what_the_api_serves(
    client: httpx.AsyncClient, page: str, assets: set[str]
) -> None:
    response = await client.get(page)

    assert response.status_code == 200
    # What the bundles themselves would fetch (ReDoc's logo) is refused by the browser.
    assert response.headers["content-security-policy"] == "img-src 'self' data:"
    if page == "/docs":  # no badge from the public spec validator
        assert '"validatorUrl": null' in response.text
    urls = referenced_urls(response.text)
    assert "/openapi.json" in urls
    assert all(url.startswith("/") and not url.startswith("//") for url in urls), urls
    assert "fonts.googleapis" not in response.text
    assert {url.rsplit("/", 1)[1] for url in urls if url.startswith("/docs-assets/")} == assets
    for url in urls:
        served = await client.get(url)
        assert served.status_code == 200, url
        suffix = "." + url.rsplit(".", 1)[-1]
        if suffix in EXPECTED_TYPES:
            assert EXPECTED_TYPES[suffix] in served.headers["content-type"], url
            assert len(served.content) > 1000, url


async def test_the_docs_assets_are_not_operations_of_the_api(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()

    assert not [path for path in schema["paths"] if path.startswith(("/docs", "/redoc"))]


async def test_the_docs_assets_are_read_only_and_hold_nothing_else(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.post("/docs-assets/swagger-ui.css")).status_code == 405
    assert (await client.get("/docs-assets/core.py")).status_code == 404
    assert (await client.get("/docs-assets/%2e%2e/core.py")).status_code == 404
