"""Each request answered in its client's language: the API's problem details and the
dashboard's pages.

The language is the visitor's own choice on the dashboard (the language cookie its picker
sets), else the best of the Accept-Language header that Debrief speaks, else English. It is
set for the request's own task only (a context variable), so concurrent requests in different
languages never see each other's; the response says which it is (Content-Language).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.i18n import DEFAULT_LANGUAGE, Language, language_of_locale, speaking

API_PREFIX = "/api/"
# The dashboard's pages and its language picker (the docs pages and static files stay as is).
PAGE_PATHS = ("/", "/dashboard", "/language")
PAGE_PREFIX = "/dashboard/"
# The visitor's choice on the dashboard: a language code, for a year, on this site only.
LANGUAGE_COOKIE = "debrief_language"


def preferred_language(header: str | None) -> Language:
    """The best language of an Accept-Language header that Debrief speaks; else English.

    "es-419,es;q=0.9,en;q=0.8" → Spanish; "fr, de;q=0.5" → English."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")):
        code, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue  # a malformed weight: as if that language were not listed
        if code and weight > 0:
            ranked.append((-weight, position, code))
    for _, _, code in sorted(ranked):
        language = language_of_locale(code)
        if language is not None:
            return language
    return DEFAULT_LANGUAGE


def speaks_languages(path: str) -> bool:
    return path.startswith((API_PREFIX, PAGE_PREFIX)) or path in PAGE_PATHS


def cookie_language(cookie_header: str) -> Language | None:
    """The language the visitor chose on the dashboard, from the request's Cookie header."""
    for part in cookie_header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == LANGUAGE_COOKIE:
            try:
                return Language(value.strip())
            except ValueError:
                return None  # a language Debrief no longer speaks: as if none were chosen
    return None


def request_language(headers: dict[bytes, bytes]) -> Language:
    chosen = cookie_language(headers.get(b"cookie", b"").decode("latin-1"))
    accepted = headers.get(b"accept-language", b"").decode("latin-1")
    return chosen or preferred_language(accepted)


def scope_language(scope: Scope) -> Language:
    """The language a request is answered in: its own on the paths that speak languages."""
    if not speaks_languages(scope["path"]):
        return DEFAULT_LANGUAGE
    return request_language(dict(scope["headers"]))


class AcceptLanguage:
    """Translate what a request's handlers and pages say into the client's language, and say
    which it is (Content-Language)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not speaks_languages(scope["path"]):
            await self.app(scope, receive, send)
            return
        language = request_language(dict(scope["headers"]))

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [
                    (b"content-language", language.value.encode()),
                    (b"vary", b"Accept-Language, Cookie"),
                ]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        # The request's own task: what its handlers translate is in `language`, no one else's.
        with speaking(language):
            await self.app(scope, receive, send_with_language)
