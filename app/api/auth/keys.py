"""Keys for the login machinery, each derived from JWT_SECRET for one purpose.

One secret to configure and rotate, yet a key that leaks from one use (say, the OAuth session
cookie's signature) tells nothing about the others.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from app.shared.settings import Settings

OAUTH_SESSION_PURPOSE = "debrief/oauth-session-cookie"
DISCORD_SEAL_PURPOSE = "debrief/discord-token-cookie"
CSRF_PURPOSE = "debrief/csrf-token"


def derived_key(settings: Settings, purpose: str) -> bytes:
    """32 bytes for `purpose`; random (so valid until restart) when no JWT_SECRET is set.

    Production refuses to start without a strong JWT_SECRET, so the random fallback only
    serves development and the sandbox, where AccessTokens already warns about it.
    """
    if settings.jwt_secret is None:
        return secrets.token_bytes(32)
    root = settings.jwt_secret.get_secret_value().encode()
    return hmac.new(root, purpose.encode(), hashlib.sha256).digest()
