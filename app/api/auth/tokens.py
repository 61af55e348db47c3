"""Short-lived access tokens: signed JWTs naming the Discord user and their session.

Every claim is checked on the way in (signature with the one algorithm we issue, expiry,
issuer, audience, and the presence of sub, sid, iat, exp and jti), so a token minted for
another service, or with `alg: none`, is refused. `sid` is the session's refresh-token family:
logging out or revoking the family ends the access tokens issued for it too (ActiveSessions).
"""

from __future__ import annotations

import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from app.core.clock import Clock
from app.shared.settings import Environment, Settings

logger = logging.getLogger(__name__)

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["sub", "sid", "iat", "exp", "jti", "iss", "aud"]
# Clocks of API replicas drift a little; more would stretch the token's life.
LEEWAY = timedelta(seconds=10)


class InvalidToken(Exception):
    """The token is missing, malformed, forged, expired or meant for someone else."""


@dataclass(frozen=True, slots=True)
class AccessClaims:
    discord_id: int
    session_id: str
    token_id: str
    expires_at: datetime


class AccessTokens:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self._secret = _signing_secret(settings)
        self._issuer = settings.jwt_issuer
        self._audience = settings.jwt_audience
        self._ttl = timedelta(seconds=settings.access_token_ttl_s)
        self._clock = clock

    @property
    def lifetime(self) -> timedelta:
        return self._ttl

    def issue(self, discord_id: int, session_id: str) -> tuple[str, datetime]:
        now = self._clock()
        expires_at = now + self._ttl
        claims = {
            "sub": str(discord_id),
            "sid": session_id,
            "iat": int(now.timestamp()),
            "exp": int(expires_at.timestamp()),
            "jti": uuid.uuid4().hex,
            "iss": self._issuer,
            "aud": self._audience,
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM), expires_at

    def verify(self, token: str) -> AccessClaims:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                leeway=LEEWAY,
                options={"require": REQUIRED_CLAIMS},
            )
            session_id = claims["sid"]
            if not isinstance(session_id, str) or not session_id:
                raise TypeError("sid")
            return AccessClaims(
                discord_id=int(claims["sub"]),
                session_id=session_id,
                token_id=str(claims["jti"]),
                expires_at=datetime.fromtimestamp(int(claims["exp"]), tz=self._clock().tzinfo),
            )
        except (jwt.PyJWTError, ValueError, TypeError) as error:
            # The reason is useful to operators; the token itself never goes to the log.
            logger.info("access token refused: %s", type(error).__name__)
            raise InvalidToken from None


def _signing_secret(settings: Settings) -> str:
    if settings.jwt_secret is not None:
        return settings.jwt_secret.get_secret_value()
    if settings.debrief_env is Environment.PRODUCTION:  # settings refuse this; belt and braces
        raise RuntimeError("JWT_SECRET is required in production")
    logger.warning("no JWT_SECRET: using a random one, so logins end when the API restarts")
    return secrets.token_urlsafe(48)
