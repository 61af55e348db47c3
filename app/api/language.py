"""The API's problem details in the client's language, chosen by its Accept-Language header.

Only the JSON API (`/api/`): its `detail` is the same catalog message the bot shows, so a
Spanish client reads it in Spanish. The dashboard's pages are in English throughout, and
their error lines stay English too rather than mixing two languages on one page.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.i18n import DEFAULT_LANGUAGE, Language, language_of_locale, speaking

API_PREFIX = "/api/"


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


class AcceptLanguage:
    """Translate what an API request's handlers say into the client's language, and say
    which it is (Content-Language)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        accepted = headers.get(b"accept-language", b"").decode("latin-1")
        language = preferred_language(accepted)

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [
                    (b"content-language", language.value.encode()),
                    (b"vary", b"Accept-Language"),
                ]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        # The request's own task: what its handlers translate is in `language`, no one else's.
        with speaking(language):
            await self.app(scope, receive, send_with_language)
