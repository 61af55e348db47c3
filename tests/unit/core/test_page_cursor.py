"""A page cursor survives its round trip, and an older cursor (no `tied`) keeps looking for
matches at its own time."""

from __future__ import annotations

import base64
import json

import pytest

from app.core.matches import InvalidCursor, PageCursor
from tests.support.factories import T0


@pytest.mark.parametrize("tied", [True, False])
def test_a_cursor_decodes_to_itself(tied: bool) -> None:
    cursor = PageCursor(played_at=T0, match_id="0123456789abcdef01234567", tied=tied)

    assert PageCursor.decode(cursor.encode()) == cursor


def test_a_cursor_from_before_tied_is_assumed_tied() -> None:
    raw = json.dumps({"t": T0.isoformat(), "id": "0123456789abcdef01234567"}).encode()
    older = base64.urlsafe_b64encode(raw).decode().rstrip("=")

    assert PageCursor.decode(older).tied is True


def test_a_garbled_cursor_is_refused() -> None:
    with pytest.raises(InvalidCursor):
        PageCursor.decode("not-a-cursor")
