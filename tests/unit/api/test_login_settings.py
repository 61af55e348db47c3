"""Keys derived from JWT_SECRET, and when cookies are Secure."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from app.api.auth.cookies import cookies_are_secure
from app.api.auth.keys import DISCORD_SEAL_PURPOSE, OAUTH_SESSION_PURPOSE, derived_key
from app.shared.settings import load_settings

SECRET = SecretStr("a-strong-jwt-secret-" + "z" * 40)


def test_each_purpose_has_its_own_stable_key() -> None:
    settings = load_settings(debrief_env="production", jwt_secret=SECRET)

    session_key = derived_key(settings, OAUTH_SESSION_PURPOSE)

    assert session_key == derived_key(settings, OAUTH_SESSION_PURPOSE)
    assert session_key != derived_key(settings, DISCORD_SEAL_PURPOSE)
    assert SECRET.get_secret_value().encode() not in session_key
    assert len(session_key) == 32


@pytest.mark.parametrize(
    ("environment", "public_base_url", "secure"),
    [
        ("production", "https://debrief.example.com", True),
        ("production", "http://debrief.internal", True),
        ("development", "https://127.0.0.1:8000", True),
        ("development", "http://127.0.0.1:8000", False),
        ("sandbox", "http://127.0.0.1:8000", False),
    ],
)
def test_cookies_are_secure_unless_a_local_api_runs_over_http(
    environment: str, public_base_url: str, secure: bool
) -> None:
    settings = load_settings(
        debrief_env=environment, jwt_secret=SECRET, public_base_url=public_base_url
    )

    assert cookies_are_secure(settings) is secure
