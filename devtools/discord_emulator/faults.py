"""Failures on demand for REST calls: 429s, 5xx answers and added latency.

Gateway faults (drops, close codes, op 7, op 9) act on live connections and live in
`GatewayHub`. A rule applies to calls matching its method and path, where the path is a
route template (`/channels/{channel_id}/messages`) or a glob on the request path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from .request_log import path_matches


@dataclass(frozen=True)
class RouteMatch:
    method: str | None = None
    path: str | None = None

    def matches(self, method: str, path: str, template: str | None) -> bool:
        if self.method is not None and self.method.upper() != method:
            return False
        return self.path is None or path_matches(self.path, path, template)


@dataclass
class RestFault:
    """Answer `status` instead of the real response, `remaining` more times (None: forever)."""

    status: int
    match: RouteMatch
    remaining: int | None = 1
    retry_after: float = 0.1
    is_global: bool = False


@dataclass
class LatencyRule:
    seconds: float
    match: RouteMatch
    remaining: int | None = None


Rule = TypeVar("Rule", RestFault, LatencyRule)


class FaultInjector:
    def __init__(self) -> None:
        self._faults: list[RestFault] = []
        self._latencies: list[LatencyRule] = []

    def rate_limit(
        self,
        *,
        count: int | None = 1,
        method: str | None = None,
        path: str | None = None,
        retry_after: float = 0.1,
        is_global: bool = False,
    ) -> RestFault:
        """Answer matching calls with a Discord-shaped 429 (`Via` header, JSON retry_after)."""
        return self.fail(
            429, count=count, method=method, path=path, retry_after=retry_after, is_global=is_global
        )

    def server_error(
        self,
        status: int = 500,
        *,
        count: int | None = 1,
        method: str | None = None,
        path: str | None = None,
    ) -> RestFault:
        if not 500 <= status <= 599:
            raise ValueError(f"{status} is not a server error")
        return self.fail(status, count=count, method=method, path=path)

    def fail(
        self,
        status: int,
        *,
        count: int | None = 1,
        method: str | None = None,
        path: str | None = None,
        retry_after: float = 0.1,
        is_global: bool = False,
    ) -> RestFault:
        fault = RestFault(status, RouteMatch(method, path), count, retry_after, is_global)
        self._faults.append(fault)
        return fault

    def add_latency(
        self,
        seconds: float,
        *,
        method: str | None = None,
        path: str | None = None,
        count: int | None = None,
    ) -> LatencyRule:
        """Delay matching calls (all calls when no method or path is given)."""
        rule = LatencyRule(seconds, RouteMatch(method, path), count)
        self._latencies.append(rule)
        return rule

    def clear(self) -> None:
        self._faults.clear()
        self._latencies.clear()

    @property
    def pending(self) -> list[RestFault]:
        return list(self._faults)

    def take_fault(self, method: str, path: str, template: str | None) -> RestFault | None:
        """The first matching fault, used up by one call."""
        for fault in self._faults:
            if fault.match.matches(method, path, template):
                _use(fault, self._faults)
                return fault
        return None

    def take_latency(self, method: str, path: str, template: str | None) -> float:
        delay = 0.0
        for rule in list(self._latencies):
            if rule.match.matches(method, path, template):
                delay += rule.seconds
                _use(rule, self._latencies)
        return delay


def _use(rule: Rule, rules: list[Rule]) -> None:
    if rule.remaining is None:
        return
    rule.remaining -= 1
    if rule.remaining <= 0:
        rules.remove(rule)
