"""Beanie implementations of the core's repository interfaces: the only code that touches
collections."""

from app.shared.db.repositories.accounts import BeanieRefreshTokenRepository, BeanieUserRepository
from app.shared.db.repositories.debriefs import BeanieDebriefRepository
from app.shared.db.repositories.guilds import BeanieGuildConfigRepository
from app.shared.db.repositories.matches import BeanieMatchRepository
from app.shared.db.repositories.outbox import BeanieOutboxRepository

__all__ = [
    "BeanieDebriefRepository",
    "BeanieGuildConfigRepository",
    "BeanieMatchRepository",
    "BeanieOutboxRepository",
    "BeanieRefreshTokenRepository",
    "BeanieUserRepository",
]
