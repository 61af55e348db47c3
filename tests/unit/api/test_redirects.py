"""After login the browser only ever goes back to a page of this site."""

from __future__ import annotations

import pytest

from app.api.auth.redirects import MAX_NEXT_LENGTH, safe_next


@pytest.mark.parametrize(
    "path", ["/", "/dashboard", "/matches?mode=hardpoint&page=2", "/guilds/1/leaderboard#top"]
)
def test_paths_on_this_site_are_kept(path: str) -> None:
    assert safe_next(path) == path


@pytest.mark.parametrize(
    "candidate",
    [
        None,
        "",
        "dashboard",
        "https://evil.example/",
        "http:/evil.example",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "javascript:alert(1)",
        "/" + "a" * MAX_NEXT_LENGTH,
    ],
)
def test_anything_else_goes_home(candidate: str | None) -> None:
    assert safe_next(candidate) == "/"
