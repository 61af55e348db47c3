"""Whether a server could listen on a port: asked before starting one, so that a busy port
gets one line that says what to do instead of a server's errno text."""

from __future__ import annotations

import socket


def can_listen(host: str, port: int) -> bool:
    """True when `host:port` is free to listen on, checked the way servers bind (address
    reuse on, so a port only in TIME_WAIT after a restart counts as free)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        return True  # not ours to judge: the server reports a bad host itself
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError:
            return False
    return True


def port_in_use_message(port: int, what: str, option: str, setting: str) -> str:
    return f"Port {port} ({what}) is in use: start with {option} N or set {setting}."
