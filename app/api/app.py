"""The FastAPI application factory. Nothing is connected until the lifespan starts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app import __version__
from app.api.auth.dependencies import install_session_checks
from app.api.auth.web_login import install_web_login
from app.api.bot_guilds import open_bot_guilds
from app.api.dashboard.install import error_pages, install_dashboard
from app.api.discord_channels import open_channel_directory
from app.api.docs_pages import install_docs_pages
from app.api.errors import install_problem_handlers
from app.api.export_slots import ExportSlots
from app.api.language import AcceptLanguage
from app.api.observability import Metrics, ObservabilityMiddleware
from app.api.ratelimit import open_rate_limits
from app.api.reads_in_flight import ReadsInFlight
from app.api.request_limits import RequestSizeLimits
from app.api.routes import ask, auth, commands, export, guilds, health, links, matches, stats
from app.api.routes import metrics as metrics_routes
from app.core.bootstrap import bootstrap
from app.core.handlers import API_HANDLERS
from app.core.observability import log_dispatch, record_dispatches
from app.shared.runtime import open_runtime
from app.shared.settings import Settings


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with (
            # Gemini serves /ask only: built on the first question, not at start-up.
            open_runtime(
                settings,
                app_name="debrief-api",
                on_ai_usage=metrics.gemini.record,
                gemini_on_first_use=True,
            ) as runtime,
            open_rate_limits(settings) as rate_limits,
            open_channel_directory(settings) as channels,
            open_bot_guilds(settings) as bot_guilds,
        ):
            app.state.runtime = runtime
            app.state.bot_guilds = bot_guilds
            app.state.rate_limits = rate_limits
            install_session_checks(app.state, runtime)
            app.state.bus = bootstrap(
                runtime.dependencies,
                runtime.ai,
                # Only what the API dispatches: digests and replies are the bot's (outbox).
                handlers=API_HANDLERS,
                middleware=[record_dispatches(log_dispatch, metrics.observe_dispatch)],
                extra_dependencies={"channels": channels},
            )
            yield

    metrics = Metrics()
    app = FastAPI(
        title="Debrief API",
        version=__version__,
        description="Black Ops 7 match stats, debriefs, trends and leaderboards.",
        lifespan=lifespan,
        # Ours, served with their assets (docs_pages): FastAPI's load them from a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.state.metrics = metrics
    # First: the middleware added next sees its 500s (as HTML pages on the dashboard's paths).
    install_problem_handlers(app, error_pages())
    app.add_middleware(ObservabilityMiddleware, metrics=metrics)
    install_web_login(app, settings)
    app.add_middleware(AcceptLanguage)
    # Last, so outermost: no middleware, route or parser sees a request over these caps.
    app.add_middleware(
        RequestSizeLimits,
        max_body_bytes=settings.max_request_body_bytes,
        max_header_bytes=settings.max_request_header_bytes,
        max_headers=settings.max_request_headers,
    )
    app.state.export_slots = ExportSlots(settings.export_max_concurrent)
    app.state.reads_in_flight = ReadsInFlight(settings.read_max_in_flight)
    install_docs_pages(app)
    app.include_router(health.router)
    app.include_router(auth.router)
    app.include_router(metrics_routes.router)
    # Before `matches`: its "/{match_id}" would otherwise take "/export.csv".
    app.include_router(export.router)
    for resource in (matches, stats, guilds, links, commands, ask):
        app.include_router(resource.router)
    install_dashboard(app)
    return app
