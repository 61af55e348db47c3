"""OAuth2 endpoints: the authorize redirect, the token endpoint and revocation."""

from __future__ import annotations

import base64
import binascii

from aiohttp import web

from .core import EmulatorCore
from .oauth import OAuthError
from .responses import json_response
from .routing import RouteTable

# Discord serves these with and without the version prefix; authorize also outside /api.
_API_PREFIXES = ("/api", "/api/v10")


class OAuthRoutes:
    def __init__(self, core: EmulatorCore) -> None:
        self._core = core

    def register(self, table: RouteTable) -> None:
        table.raw("GET", "/oauth2/authorize", self.authorize)
        for prefix in _API_PREFIXES:
            table.raw("GET", prefix + "/oauth2/authorize", self.authorize)
            table.raw("POST", prefix + "/oauth2/token", self.token)
            table.raw("POST", prefix + "/oauth2/token/revoke", self.revoke)

    async def authorize(self, request: web.Request) -> web.Response:
        """Approve at once as the configured test user and send the browser back."""
        try:
            location = self._core.oauth.authorize(request.query)
        except OAuthError as error:
            return json_response(error.to_payload(), status=error.status)
        raise web.HTTPFound(location)

    async def token(self, request: web.Request) -> web.Response:
        form = {key: str(value) for key, value in (await request.post()).items()}
        try:
            grant = self._core.oauth.exchange(form, _basic_credentials(request))
        except OAuthError as error:
            return json_response(error.to_payload(), status=error.status)
        return json_response(grant)

    async def revoke(self, request: web.Request) -> web.Response:
        form = {key: str(value) for key, value in (await request.post()).items()}
        try:
            self._core.oauth.revoke(form, _basic_credentials(request))
        except OAuthError as error:
            return json_response(error.to_payload(), status=error.status)
        return json_response({})


def _basic_credentials(request: web.Request) -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return None
    try:
        decoded = base64.b64decode(header.removeprefix("Basic ")).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, _, secret = decoded.partition(":")
    return client_id, secret
