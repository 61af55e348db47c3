"""CSRF tokens bound to the session they were issued for.

A plain double-submit cookie only proves that the cookie and the header match, and a
sibling subdomain can plant a cookie of its choosing (with a header to match) in the
victim's browser. Ours carry an HMAC, under a key derived from JWT_SECRET, of the session id
(the refresh-token family, also the access token's `sid`), so a pair minted for another
session (the attacker's own, say) is refused. A random nonce gives each login and refresh a
fresh token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

NONCE_BYTES = 16


class CsrfTokens:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def issue(self, session_id: str) -> str:
        nonce = secrets.token_urlsafe(NONCE_BYTES)
        return f"{nonce}.{self._mac(session_id, nonce)}"

    def is_valid(self, token: str, session_id: str) -> bool:
        nonce, dot, mac = token.partition(".")
        if not nonce or not dot:
            return False
        return hmac.compare_digest(mac.encode(), self._mac(session_id, nonce).encode())

    def accepts(self, cookie: str, header: str, session_id: str) -> bool:
        """The header repeats the cookie, and both were issued for this session.

        Another site can make the browser send our cookies, but can neither read them nor
        set headers; planting a cookie does not help it either, since it cannot sign one for
        the victim's session.
        """
        same = hmac.compare_digest(cookie.encode(), header.encode())
        return bool(cookie) and same and self.is_valid(cookie, session_id)

    def _mac(self, session_id: str, nonce: str) -> str:
        message = f"{session_id}:{nonce}".encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
