"""The whole-suite secret check can fail, and names only the kind of what leaked."""

from __future__ import annotations

import logging

from tests.support.log_guard import SuiteLogCapture, remember_secret


def test_a_registered_secret_or_a_jwt_in_a_log_line_is_reported_by_kind() -> None:
    capture = SuiteLogCapture()
    logger = logging.getLogger("tests.log_guard")
    # Kept away from the session's own capture: this leak is on purpose.
    logger.propagate = False
    logger.addHandler(capture)
    try:
        remember_secret("test refresh token", "rt-0123456789-not-a-real-token")
        logger.warning("spent rt-0123456789-not-a-real-token")
        # The app's formatter already scrubs JWT shapes, so this one never shows up.
        logger.warning("header was eyJhbGciOiJIUzI1NiJ9x.eyJzdWIiOiIxMjMifQx.c2lnbmF0dXJlLXZhbHVl")
        logger.warning("nothing secret here")
    finally:
        logger.removeHandler(capture)
        logger.propagate = True

    leaks = capture.leaks()
    assert leaks == ["log line 0: test refresh token"]
    assert all("rt-0123456789" not in leak for leak in leaks)
