"""A delivery's reason is stored in English and read in the asker's language; the HTTP
status of a Discord refusal goes to the log, not into the reason."""

from __future__ import annotations

import logging
from typing import cast

import aiohttp
import discord
import pytest

from app.bot.outbox.delivery import outcome_of_failure
from app.bot.outbox.outcomes import Failed, RetryLater
from app.core.deliveries import DeliveryFailed, DeliveryPending
from app.core.i18n import Language, speaking


class _Response:
    """What discord.py reads from an HTTP response to build its exception."""

    def __init__(self, status: int) -> None:
        self.status = status
        self.reason = "scripted"


def refused(kind: type[discord.HTTPException], status: int) -> discord.HTTPException:
    return kind(cast(aiohttp.ClientResponse, _Response(status)), "internal detail from Discord")


def test_a_discord_outage_is_a_catalog_reason_and_its_status_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="app.bot.outbox.delivery"):
        outcome = outcome_of_failure(refused(discord.HTTPException, 503))

    assert outcome == RetryLater("Discord is unavailable.")
    assert "HTTP 503" in caplog.text
    with speaking(Language.SPANISH):
        assert DeliveryPending(outcome.reason).user_message == (
            "Todavía sin publicar: Discord no está disponible."
        )


def test_a_refusal_reads_in_spanish() -> None:
    outcome = outcome_of_failure(refused(discord.Forbidden, 403))

    assert isinstance(outcome, Failed)
    with speaking(Language.SPANISH):
        assert DeliveryFailed(outcome.reason).user_message == (
            "Discord lo rechazó: el bot no tiene acceso al canal."
        )
