"""Beanie implementations of the core's repository interfaces: the only code that touches
collections."""

from app.shared.db.repositories.accounts import BeanieRefreshTokenRepository, BeanieUserRepository
from app.shared.db.repositories.analytics import BeanieAnalyticsRepository
from app.shared.db.repositories.ask import BeanieGuardedQueryRunner
from app.shared.db.repositories.cooldowns import BeanieCooldownRepository
from app.shared.db.repositories.debriefs import BeanieDebriefRepository
from app.shared.db.repositories.digests import BeanieDigestRunRepository
from app.shared.db.repositories.guilds import BeanieGuildConfigRepository
from app.shared.db.repositories.links import BeanieGamertagLinkRepository
from app.shared.db.repositories.matches import BeanieMatchRepository
from app.shared.db.repositories.outbox import BeanieOutboxRepository
from app.shared.db.repositories.seasons import BeanieSeasonRepository

__all__ = [
    "BeanieAnalyticsRepository",
    "BeanieCooldownRepository",
    "BeanieDebriefRepository",
    "BeanieDigestRunRepository",
    "BeanieGamertagLinkRepository",
    "BeanieGuardedQueryRunner",
    "BeanieGuildConfigRepository",
    "BeanieMatchRepository",
    "BeanieOutboxRepository",
    "BeanieRefreshTokenRepository",
    "BeanieSeasonRepository",
    "BeanieUserRepository",
]
