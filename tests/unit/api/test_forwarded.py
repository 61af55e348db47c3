"""The client address behind proxies: X-Forwarded-For is believed only from trusted ones."""

from __future__ import annotations

import ipaddress

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.api.forwarded import TrustedProxies

PROXY = "10.0.0.5"
addresses = st.ip_addresses(v=4).map(str)
forwarded_values = st.lists(st.lists(addresses, max_size=4).map(", ".join), max_size=3)
relaxed = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@relaxed
@given(peer=addresses, forwarded_for=forwarded_values)
def test_with_no_trusted_proxy_the_client_is_who_connected(
    peer: str, forwarded_for: list[str]
) -> None:
    assert TrustedProxies([]).client_of(peer, forwarded_for) == peer


@relaxed
@given(peer=addresses, forwarded_for=forwarded_values)
def test_an_untrusted_peer_cannot_name_another_client(peer: str, forwarded_for: list[str]) -> None:
    proxies = TrustedProxies(["10.0.0.0/8"])
    if ipaddress.ip_address(peer) not in ipaddress.ip_network("10.0.0.0/8"):
        assert proxies.client_of(peer, forwarded_for) == peer


@relaxed
@given(spoofed=st.lists(addresses, max_size=3), client=addresses)
def test_behind_a_trusted_proxy_the_client_is_the_hop_it_added(
    spoofed: list[str], client: str
) -> None:
    # The client may prepend anything; the proxy appends the address it really saw.
    forwarded_for = ", ".join([*spoofed, client])
    proxies = TrustedProxies([PROXY])
    if client != PROXY:
        assert proxies.client_of(PROXY, [forwarded_for]) == client


def test_a_chain_of_trusted_proxies_is_skipped_right_to_left() -> None:
    proxies = TrustedProxies(["10.0.0.0/8", "fd00::/8"])
    chain = ["6.6.6.6, 203.0.113.9", "10.1.2.3, fd00::7"]
    assert proxies.client_of("10.0.0.5", chain) == "203.0.113.9"


def test_a_trusted_proxy_without_forwarded_for_is_the_client() -> None:
    assert TrustedProxies([PROXY]).client_of(PROXY, []) == PROXY


def test_names_that_are_not_addresses_are_never_trusted() -> None:
    proxies = TrustedProxies(["127.0.0.0/8"])
    assert "localhost" not in proxies
    assert "unknown" not in proxies
    assert "127.0.0.1" in proxies
