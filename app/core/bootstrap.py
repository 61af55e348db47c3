"""Builds the bus for one process from the dependencies it is given. Connects to nothing."""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import timedelta
from functools import partial

from app.core.ai import DebriefWriter, DigestWriter, ImagePreparer, QueryPlanner, StatsReader
from app.core.bus import Handler, MessageBus, Middleware
from app.core.clock import Clock, utc_now
from app.core.game.catalog import Catalog
from app.core.handlers import HandlerTables, RawHandler
from app.core.messages import Event
from app.core.ports import (
    AnalyticsRepository,
    CooldownRepository,
    DebriefRepository,
    DigestRunRepository,
    GamertagLinkRepository,
    GuardedQueryRunner,
    GuildConfigRepository,
    GuildLanguages,
    MatchRepository,
    OutboxRepository,
    RefreshTokenRepository,
    SeasonRepository,
    UserRepository,
)
from app.core.squad.matching import SAME_MATCH_WINDOW


@dataclass(frozen=True, kw_only=True)
class Dependencies:
    """What every process provides; handlers receive these by parameter name."""

    matches: MatchRepository
    debriefs: DebriefRepository
    guild_configs: GuildConfigRepository
    # The language of the text written outside an interaction (`GuildLanguages`).
    guild_languages: GuildLanguages
    users: UserRepository
    refresh_tokens: RefreshTokenRepository
    outbox: OutboxRepository
    analytics: AnalyticsRepository
    cooldowns: CooldownRepository
    digest_runs: DigestRunRepository
    gamertag_links: GamertagLinkRepository
    seasons: SeasonRepository
    guarded_queries: GuardedQueryRunner
    catalog: Catalog
    clock: Clock = utc_now
    # Two uploads within this time with the same mode, map and score are one match
    # (`app/core/squad/matching.py`); the SAME_MATCH_WINDOW_MINUTES setting.
    same_match_window: timedelta = SAME_MATCH_WINDOW


@dataclass(frozen=True, kw_only=True)
class AIDependencies:
    """The AI behind each use; one Gemini client usually provides all of them."""

    images: ImagePreparer
    stats_reader: StatsReader
    debrief_writer: DebriefWriter
    # None: /ask has no AI, and the local planner answers the questions it can read.
    planner: QueryPlanner | None
    digest_writer: DigestWriter


def bootstrap(
    dependencies: Dependencies,
    ai: AIDependencies,
    *,
    handlers: HandlerTables,
    middleware: Sequence[Middleware] = (),
    extra_dependencies: Mapping[str, object] | None = None,
    extra_subscribers: Mapping[type[Event], Sequence[RawHandler]] | None = None,
) -> MessageBus:
    """Wire this process's handlers (`BOT_HANDLERS`, `API_HANDLERS`) with dependencies.

    A handler whose dependency nobody provides fails here, at start-up, never at run time.
    """
    available = {f.name: getattr(dependencies, f.name) for f in fields(dependencies)}
    available.update({f.name: getattr(ai, f.name) for f in fields(ai)})
    available.update(extra_dependencies or {})
    subscribers: dict[type[Event], list[RawHandler]] = {
        kind: list(subscribed) for kind, subscribed in handlers.events.items()
    }
    for kind, extra in (extra_subscribers or {}).items():
        subscribers.setdefault(kind, []).extend(extra)
    return MessageBus(
        command_handlers={kind: inject(h, available) for kind, h in handlers.commands.items()},
        event_handlers={
            kind: [inject(h, available) for h in hs] for kind, hs in subscribers.items()
        },
        middleware=middleware,
    )


def inject(handler: RawHandler, available: Mapping[str, object]) -> Handler:
    """Bind a handler's dependencies by parameter name; a missing one fails at start-up."""
    wanted = list(inspect.signature(handler).parameters)[1:]
    missing = [name for name in wanted if name != "emit" and name not in available]
    if missing:
        raise TypeError(f"{handler.__qualname__} needs {', '.join(missing)}, which nobody provides")
    bound: Handler = partial(handler, **{n: available[n] for n in wanted if n != "emit"})
    return bound
