"""One consumer, several kinds of message: each kind has its own way of being delivered."""

from __future__ import annotations

from collections.abc import Mapping

from app.bot.outbox.outcomes import Deliver, Outcome
from app.core.outbox import OutboxMessage


class DeliveryByKind:
    def __init__(self, deliveries: Mapping[str, Deliver]) -> None:
        self._deliveries = dict(deliveries)

    @property
    def kinds(self) -> frozenset[str]:
        """The kinds to claim: exactly those this delivers."""
        return frozenset(self._deliveries)

    async def __call__(self, message: OutboxMessage) -> Outcome:
        # Only these kinds are ever claimed, so an unknown kind is a KeyError (a bug).
        return await self._deliveries[message.kind](message)
