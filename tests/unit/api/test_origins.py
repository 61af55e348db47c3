"""Which origins may refresh or end a cookie session, and what counts as one."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from app.api.auth.origins import allowed_origins, origin_of
from app.shared.settings import SettingsError, load_settings

SECRET = SecretStr("a-strong-jwt-secret-" + "z" * 40)


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://Debrief.Example.com", "https://debrief.example.com"),
        ("https://debrief.example.com:443/matches?x=1", "https://debrief.example.com"),
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000"),
        ("http://[::1]:8000", "http://[::1]:8000"),
        ("null", None),
        ("", None),
        ("file:///etc/passwd", None),
        ("https://host:99999", None),
        ("javascript:alert(1)", None),
    ],
)
def test_origin_of(url: str, origin: str | None) -> None:
    assert origin_of(url) == origin


def test_the_public_base_url_and_the_web_origins_are_allowed() -> None:
    settings = load_settings(
        debrief_env="production",
        jwt_secret=SECRET,
        public_base_url="https://api.example.com/",
        web_origins="https://app.example.com, http://localhost:5173",
    )

    assert allowed_origins(settings) == {
        "https://api.example.com",
        "https://app.example.com",
        "http://localhost:5173",
    }


@pytest.mark.parametrize(
    "value", ["app.example.com", "https://app.example.com/login", "ftp://x", "https://x:abc"]
)
def test_web_origins_must_be_origins(value: str) -> None:
    with pytest.raises(SettingsError, match="WEB_ORIGINS"):
        load_settings(debrief_env="production", jwt_secret=SECRET, web_origins=value)
