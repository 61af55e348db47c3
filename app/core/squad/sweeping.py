"""The capture sweeper's timings: captures a process began and did not finish are finished by
the bot's sweeper (`FinishPendingCaptures`), which runs every `SWEEP_EVERY`."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

# Longer than an upload's captures take in the process that saved it (a few inserts and their
# notices), so the sweeper does not race a live capture; a race would still record once.
CAPTURE_GRACE: Final = timedelta(minutes=2)
SWEEP_EVERY: Final = timedelta(minutes=1)
# Uploads taken per round: each is a few queries; more wait for the next round.
SWEEP_BATCH: Final = 20
# An upload whose captures still fail a day later (a row nobody can save) is let go.
GIVE_UP_AFTER: Final = timedelta(days=1)
