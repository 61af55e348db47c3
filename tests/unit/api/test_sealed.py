"""The sealed Discord token cookie opens only with our key, and only until it expires."""

from __future__ import annotations

from datetime import timedelta

from app.api.auth.discord import DiscordGrant
from app.api.auth.sealed import DiscordTokenSeal
from tests.support.factories import T0

KEY = bytes(range(32))
GRANT = DiscordGrant("discord-access-token", 3600)


def test_a_sealed_grant_opens_with_its_remaining_lifetime() -> None:
    seal = DiscordTokenSeal(KEY)
    sealed = seal.seal(GRANT, T0)

    opened = seal.open(sealed, T0 + timedelta(minutes=10))

    assert GRANT.access_token not in sealed
    assert opened == DiscordGrant(GRANT.access_token, 3000)


def test_an_expired_grant_does_not_open() -> None:
    seal = DiscordTokenSeal(KEY)

    assert seal.open(seal.seal(GRANT, T0), T0 + timedelta(hours=1)) is None


def test_an_altered_or_foreign_seal_does_not_open() -> None:
    sealed = DiscordTokenSeal(KEY).seal(GRANT, T0)
    altered = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")

    assert DiscordTokenSeal(KEY).open(altered, T0) is None
    assert DiscordTokenSeal(bytes(32)).open(sealed, T0) is None
    assert DiscordTokenSeal(KEY).open("not a seal at all", T0) is None
