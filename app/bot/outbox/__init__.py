"""What the bot delivers from the outbox in MongoDB: commands from the API, and what the live
process did not send (match replies, digests, admin notices).

`OutboxConsumer` wakes on new messages (a change stream), polls anyway, and hands each due
message to `BusDelivery`, which turns it into its bus command (`command_for`): "post the
digest now" becomes `PostDigest` (then `FollowDelivery` of the digest it queued), a reply
nobody sent becomes `ReplayMatchReply`, a digest `ReplayDigest`, a notice
`ReplayAdminNotice`. The delivery says what became of the message.
"""

from app.bot.outbox.commands import BOT_KINDS, WAKE_FOR, command_for
from app.bot.outbox.consumer import ConsumerTimings, OutboxConsumer
from app.bot.outbox.delivery import BusDelivery, judged, outcome_of_failure
from app.bot.outbox.outcomes import Deliver, Delivered, Failed, Outcome, RetryLater

__all__ = [
    "BOT_KINDS",
    "WAKE_FOR",
    "BusDelivery",
    "ConsumerTimings",
    "Deliver",
    "Delivered",
    "Failed",
    "OutboxConsumer",
    "Outcome",
    "RetryLater",
    "command_for",
    "judged",
    "outcome_of_failure",
]
