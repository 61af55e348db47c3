"""Where the browser may be sent after logging in: only back to a page of this site."""

from __future__ import annotations

from urllib.parse import urlsplit

HOME = "/"
MAX_NEXT_LENGTH = 512


def safe_next(candidate: str | None) -> str:
    """`candidate` if it is a path on this site, else "/"; never a redirect to another site."""
    if not candidate or len(candidate) > MAX_NEXT_LENGTH:
        return HOME
    # "//host" and "/\host" are other sites to a browser, and browsers drop tabs and newlines
    # from URLs, so "/\t/host" would become "//host" too.
    if not candidate.startswith("/") or candidate.startswith("//"):
        return HOME
    if "\\" in candidate or any(ord(char) < 0x20 or ord(char) == 0x7F for char in candidate):
        return HOME
    parts = urlsplit(candidate)
    return HOME if parts.scheme or parts.netloc else candidate
