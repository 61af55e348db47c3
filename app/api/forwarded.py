"""Where a request comes from, believing `X-Forwarded-For` only from trusted proxies.

Anyone can send `X-Forwarded-For`; only a proxy we run may be believed when it says whom it
forwards for. With no trusted proxy configured (the default) the client is the address that
connected, whatever the headers say, so rotating them cannot dodge a per-address limit.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

from starlette.requests import Request

FORWARDED_FOR = "x-forwarded-for"
UNKNOWN_CLIENT = "unknown"


class TrustedProxies:
    def __init__(self, entries: Iterable[str]) -> None:
        self._networks = [ipaddress.ip_network(entry, strict=False) for entry in entries]

    def __contains__(self, host: object) -> bool:
        if not isinstance(host, str) or not self._networks:
            return False
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self._networks)

    def client_of(self, peer: str, forwarded_for: Sequence[str]) -> str:
        """The connecting address; behind a trusted proxy, the last hop it did not add itself.

        Hops are read right to left: each trusted proxy appends the address it got the
        request from, so the right-most untrusted hop is the first one no proxy of ours
        vouches for. Anything left of it may be made up by the client.
        """
        if peer not in self:
            return peer
        hops = [hop.strip() for value in forwarded_for for hop in value.split(",") if hop.strip()]
        for hop in reversed(hops):
            if hop not in self:
                return hop
        return hops[0] if hops else peer

    def client_of_request(self, request: Request) -> str:
        peer = request.client.host if request.client else UNKNOWN_CLIENT
        return self.client_of(peer, request.headers.getlist(FORWARDED_FOR))
