"""Access tokens for tests that sign a user in without the Discord round trip.

An access token is only honoured while its session (refresh-token family) is active, so each
one here comes with a family stored in the database, as a real login starts one.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from app.api.auth.refresh_tokens import hash_token
from app.api.auth.tokens import AccessTokens
from app.core.accounts import RefreshTokenFields
from app.core.clock import utc_now
from app.core.ports import RefreshTokenRepository
from tests.support.log_guard import remember_secret

SESSION_LIFETIME = timedelta(days=1)


async def start_session(repository: RefreshTokenRepository, discord_id: int) -> str:
    """A new active session of `discord_id`; its id, the access tokens' `sid`."""
    now = utc_now()
    family_id = uuid.uuid4().hex
    await repository.add(
        RefreshTokenFields(
            token_hash=hash_token(secrets.token_urlsafe(32)),
            family_id=family_id,
            user_id=discord_id,
            issued_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    return family_id


async def bearer_headers(
    tokens: AccessTokens, repository: RefreshTokenRepository, discord_id: int
) -> dict[str, str]:
    """`Authorization: Bearer` for a new session of `discord_id`."""
    token, _ = tokens.issue(discord_id, await start_session(repository, discord_id))
    remember_secret("access token", token)
    return {"Authorization": f"Bearer {token}"}
