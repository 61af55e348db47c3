"""Commands from the API, delivered to the bot through the outbox in MongoDB.

`OutboxConsumer` wakes on new messages (a change stream), polls anyway, and hands each due
message to `BusDelivery`, which turns it into a bus command and says what became of it.
"""

from app.bot.outbox.commands import BOT_COMMAND_KINDS, command_for
from app.bot.outbox.consumer import ConsumerTimings, OutboxConsumer
from app.bot.outbox.delivery import BusDelivery, outcome_of_failure
from app.bot.outbox.outcomes import Deliver, Delivered, Failed, Outcome, RetryLater

__all__ = [
    "BOT_COMMAND_KINDS",
    "BusDelivery",
    "ConsumerTimings",
    "Deliver",
    "Delivered",
    "Failed",
    "OutboxConsumer",
    "Outcome",
    "RetryLater",
    "command_for",
    "outcome_of_failure",
]
