"""How uvicorn serves the API: the server-side half of the request limits (issue 9)."""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI

from app.shared.settings import Settings

# Room for the request line (method, path and query) on top of the headers, so a request
# slightly over MAX_REQUEST_HEADER_BYTES still reaches the app and gets its 431 problem;
# a far larger head is cut by the server (a plain 400) before it is all in memory.
REQUEST_LINE_ALLOWANCE = 8 * 1024


def server_config(app: FastAPI, settings: Settings, *, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        # h11, not httptools: only h11 stops reading a request head at a size limit.
        http="h11",
        h11_max_incomplete_event_size=settings.max_request_header_bytes + REQUEST_LINE_ALLOWANCE,
        # X-Forwarded-For/-Proto only from TRUSTED_PROXIES; uvicorn's own default would
        # believe anyone on loopback, and FORWARDED_ALLOW_IPS from the environment is ignored.
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=list(settings.trusted_proxies),
    )
