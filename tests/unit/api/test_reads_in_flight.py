"""A user's reads in flight: a few at once, the excess refused, slots given back."""

from __future__ import annotations

import pytest

from app.api.reads_in_flight import ReadsInFlight, TooManyReadsInFlight

ME, YOU = 1, 2


def test_a_user_gets_a_few_reads_at_once_and_others_are_not_affected() -> None:
    reads = ReadsInFlight(per_user=2)
    with reads.slot(ME), reads.slot(ME):
        with pytest.raises(TooManyReadsInFlight) as refused, reads.slot(ME):
            pass
        with reads.slot(YOU):
            assert (reads.running(ME), reads.running(YOU)) == (2, 1)
    assert refused.value.seconds_left == 1
    assert (reads.running(ME), reads.running(YOU)) == (0, 0)


def test_a_read_that_fails_gives_its_slot_back() -> None:
    reads = ReadsInFlight(per_user=1)
    with pytest.raises(RuntimeError), reads.slot(ME):
        raise RuntimeError("the database went away")
    with reads.slot(ME):
        assert reads.running(ME) == 1
