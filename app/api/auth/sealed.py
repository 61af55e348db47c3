"""The user's Discord access token, sealed into a cookie that only this API can open.

The API keeps no Discord token in its database. To refresh the server snapshot at
/auth/refresh it needs one, so the browser carries it: encrypted and authenticated (Fernet,
with a key derived from JWT_SECRET), in an HttpOnly cookie scoped to /api/v1/auth.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime

from cryptography.fernet import Fernet, InvalidToken

from app.api.auth.discord import DiscordGrant


class DiscordTokenSeal:
    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def seal(self, grant: DiscordGrant, now: datetime) -> str:
        expires_at = int(now.timestamp()) + grant.expires_in
        payload = json.dumps({"token": grant.access_token, "expires_at": expires_at})
        return self._fernet.encrypt(payload.encode()).decode()

    def open(self, sealed: str, now: datetime) -> DiscordGrant | None:
        """The grant inside, or None if the cookie was forged, altered or has expired."""
        try:
            payload = json.loads(self._fernet.decrypt(sealed.encode()))
            remaining = int(payload["expires_at"]) - int(now.timestamp())
            token = str(payload["token"])
        except (InvalidToken, ValueError, TypeError, KeyError):
            return None
        return DiscordGrant(token, remaining) if remaining > 0 else None
