"""Where a cookie request comes from: only our own pages may refresh or end a session.

SameSite keeps other *sites* out, but a sibling subdomain (or anything under the same
registrable domain) counts as the same site. Browsers send `Origin` with every POST, so the
routes that act on the session cookies accept only the API's own origin (PUBLIC_BASE_URL)
and the pages listed in WEB_ORIGINS; `Referer` stands in for the rare browser or privacy
setting that drops `Origin`, and a request with neither is refused.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from fastapi import HTTPException, Request, status

from app.api.deps import RuntimeDep
from app.core.i18n import N_
from app.shared.settings import Settings

logger = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}
FOREIGN_ORIGIN = N_("This request must come from a Debrief page.")


def origin_of(url: str) -> str | None:
    """`scheme://host[:port]`, lower-cased, without a default port; None if not http(s)."""
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname
    if parts.scheme.lower() not in DEFAULT_PORTS or not host:
        return None
    scheme = parts.scheme.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is None or port == DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def allowed_origins(settings: Settings) -> frozenset[str]:
    configured = (settings.public_base_url, *settings.web_origins)
    return frozenset(o for o in map(origin_of, configured) if o is not None)


def request_origin(request: Request) -> str | None:
    """The origin the browser names: `Origin`, else that of `Referer`; None if neither."""
    origin = request.headers.get("origin")
    if origin is not None:
        # "null" (sandboxed frames, some redirects) is no origin of ours.
        return origin_of(origin)
    referer = request.headers.get("referer")
    return origin_of(referer) if referer else None


def ensure_same_origin(request: Request, settings: Settings) -> None:
    origin = request_origin(request)
    if origin is None or origin not in allowed_origins(settings):
        # The value is the caller's to choose; it stays out of the log.
        logger.info("session request refused: %s origin", "no" if origin is None else "foreign")
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=FOREIGN_ORIGIN)


async def same_origin(request: Request, runtime: RuntimeDep) -> None:
    """A route dependency: 403 unless the request comes from one of our pages."""
    ensure_same_origin(request, runtime.settings)
