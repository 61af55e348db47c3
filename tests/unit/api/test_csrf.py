"""CSRF tokens are bound to their session: a pair minted for another one is refused."""

from __future__ import annotations

import pytest

from app.api.auth.csrf import CsrfTokens

KEY = b"k" * 32
SESSION = "family-of-the-victim"


@pytest.fixture
def csrf() -> CsrfTokens:
    return CsrfTokens(KEY)


def test_a_token_is_accepted_for_its_own_session(csrf: CsrfTokens) -> None:
    token = csrf.issue(SESSION)

    assert csrf.accepts(token, token, SESSION)


def test_each_issue_is_a_fresh_token(csrf: CsrfTokens) -> None:
    assert csrf.issue(SESSION) != csrf.issue(SESSION)


def test_a_matching_pair_from_another_session_is_refused(csrf: CsrfTokens) -> None:
    planted = csrf.issue("family-of-the-attacker")

    assert not csrf.accepts(planted, planted, SESSION)


def test_a_token_signed_with_another_key_is_refused(csrf: CsrfTokens) -> None:
    forged = CsrfTokens(b"x" * 32).issue(SESSION)

    assert not csrf.accepts(forged, forged, SESSION)


@pytest.mark.parametrize(
    "token", ["", "no-dot", ".mac-without-nonce", "nonce.", "nonce.bad-mac", "ünïcode.mäc"]
)
def test_malformed_tokens_are_refused(csrf: CsrfTokens, token: str) -> None:
    assert not csrf.accepts(token, token, SESSION)


def test_the_header_must_repeat_the_cookie(csrf: CsrfTokens) -> None:
    token = csrf.issue(SESSION)

    assert not csrf.accepts(token, csrf.issue(SESSION), SESSION)
    assert not csrf.accepts(token, "", SESSION)
    assert not csrf.accepts("", token, SESSION)
    assert not csrf.accepts(token, "ü" + token, SESSION)
