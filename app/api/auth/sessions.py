"""Web sessions: a short-lived access JWT plus a rotating refresh token and a CSRF token.

A session is a refresh-token family; its id travels in the access token (`sid`) and signs
the CSRF token, so ending the family ends all three.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.api.auth.csrf import CsrfTokens
from app.api.auth.refresh_tokens import IssuedRefreshToken, RefreshTokens
from app.api.auth.tokens import AccessTokens


@dataclass(frozen=True, slots=True)
class IssuedSession:
    user_id: int
    access_token: str = field(repr=False)
    access_max_age: int
    refresh_token: str = field(repr=False)
    refresh_max_age: int
    # A fresh one with every session and renewal: pages read the cookie when they send it.
    csrf_token: str = field(repr=False)


class Sessions:
    def __init__(
        self, access_tokens: AccessTokens, refresh_tokens: RefreshTokens, csrf_tokens: CsrfTokens
    ) -> None:
        self._access = access_tokens
        self._refresh = refresh_tokens
        self._csrf = csrf_tokens

    async def start(self, user_id: int) -> IssuedSession:
        """A new session (and refresh-token family) for a user who just logged in."""
        return self._issue(user_id, await self._refresh.start_family(user_id))

    async def renew(self, presented_refresh_token: str) -> IssuedSession:
        """Rotate the refresh token; raises RefreshRefused (and may revoke its family)."""
        rotation = await self._refresh.rotate(presented_refresh_token)
        return self._issue(rotation.user_id, rotation.issued)

    async def end(self, session_id: str, user_id: int, presented_refresh_token: str | None) -> None:
        """End the session of the access token, and that of the refresh cookie if it differs."""
        await self._refresh.revoke_family(session_id)
        if presented_refresh_token:
            await self._refresh.revoke(presented_refresh_token, user_id=user_id)

    def _issue(self, user_id: int, refresh: IssuedRefreshToken) -> IssuedSession:
        access_token, _ = self._access.issue(user_id, refresh.family_id)
        return IssuedSession(
            user_id=user_id,
            access_token=access_token,
            access_max_age=int(self._access.lifetime.total_seconds()),
            refresh_token=refresh.token,
            refresh_max_age=int(self._refresh.lifetime.total_seconds()),
            csrf_token=self._csrf.issue(refresh.family_id),
        )
