"""The parts of one emulator, wired together; routes, driver and control API share it."""

from __future__ import annotations

from dataclasses import dataclass

from .clock import AdjustableClock
from .config import EmulatorConfig, resolve_spec_path
from .faults import FaultInjector
from .gateway import GatewayHub
from .interactions import InteractionRegistry
from .messaging import MessageService
from .oauth import OAuthProvider
from .rate_limits import RateLimiter
from .request_log import RequestLog
from .spec import SpecNotFoundError, SpecValidator
from .state import EmulatorState
from .violations import ViolationLog
from .waiting import ChangeNotifier


@dataclass
class EmulatorCore:
    config: EmulatorConfig
    clock: AdjustableClock
    state: EmulatorState
    spec: SpecValidator | None
    notifier: ChangeNotifier
    violations: ViolationLog
    faults: FaultInjector
    rate_limiter: RateLimiter
    request_log: RequestLog
    gateway: GatewayHub
    interactions: InteractionRegistry
    messages: MessageService
    oauth: OAuthProvider
    base_url: str = ""  # http://127.0.0.1:<port>, known once the server listens

    @property
    def api_base_url(self) -> str:
        return self.base_url + "/api/v10"


def build_core(config: EmulatorConfig, clock: AdjustableClock | None = None) -> EmulatorCore:
    clock = clock or AdjustableClock()
    state = EmulatorState(
        clock,
        application_name=config.application_name,
        bot_username=config.bot_username,
        client_secret=config.client_secret,
        redirect_uris=config.redirect_uris,
    )
    notifier = ChangeNotifier()
    gateway = GatewayHub(config, state, notifier)
    core = EmulatorCore(
        config=config,
        clock=clock,
        state=state,
        spec=_load_spec(config),
        notifier=notifier,
        violations=ViolationLog(),
        faults=FaultInjector(),
        rate_limiter=RateLimiter(
            clock, global_limit=config.global_rate_limit, route_limit=config.route_rate_limit
        ),
        request_log=RequestLog(),
        gateway=gateway,
        interactions=InteractionRegistry(config, clock, notifier),
        messages=MessageService(state, gateway, notifier, lambda: core.base_url),
        oauth=OAuthProvider(state, clock, config),
    )
    return core


def _load_spec(config: EmulatorConfig) -> SpecValidator | None:
    path = resolve_spec_path(config.spec_path)
    try:
        return SpecValidator.from_file(path)
    except SpecNotFoundError:
        if config.require_spec:
            raise
        return None
