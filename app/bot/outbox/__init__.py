"""What the bot delivers from the outbox in MongoDB: commands from the API, and match replies.

`OutboxConsumer` wakes on new messages (a change stream), polls anyway, and hands each due
message to its kind's delivery: `BusDelivery` turns a command into a bus command;
`MatchReplyDelivery` sends a match reply that the process which received the interaction did
not send. Each says what became of the message.
"""

from app.bot.outbox.commands import BOT_COMMAND_KINDS, command_for
from app.bot.outbox.consumer import ConsumerTimings, OutboxConsumer
from app.bot.outbox.delivery import BusDelivery, judged, outcome_of_failure
from app.bot.outbox.match_replies import MatchReplyRequest, match_reply, reply_lease
from app.bot.outbox.outcomes import Deliver, Delivered, Failed, Outcome, RetryLater
from app.bot.outbox.reply_delivery import MatchReplyDelivery
from app.bot.outbox.routing import DeliveryByKind

__all__ = [
    "BOT_COMMAND_KINDS",
    "BusDelivery",
    "ConsumerTimings",
    "Deliver",
    "Delivered",
    "DeliveryByKind",
    "Failed",
    "MatchReplyDelivery",
    "MatchReplyRequest",
    "OutboxConsumer",
    "Outcome",
    "RetryLater",
    "command_for",
    "judged",
    "match_reply",
    "outcome_of_failure",
    "reply_lease",
]
