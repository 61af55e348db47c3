"""Text written for Discord (the weekly digest), shown on a page: mentions become names, and
**bold** becomes <strong>; everything else is escaped first, so no markup of the text's own
reaches the page."""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup, escape

_MENTION = re.compile(r"<@!?(\d{1,20})>")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def mentioned_ids(text: str) -> list[int]:
    return [int(found) for found in _MENTION.findall(text)]


def discord_lines(text: str, name_of: Callable[[int], str]) -> list[Markup]:
    """Each line of the text as safe HTML, mentions named by `name_of`."""
    named = _MENTION.sub(lambda found: name_of(int(found[1])), text)
    return [
        Markup(_BOLD.sub(r"<strong>\1</strong>", str(escape(line))))  # noqa: S704
        for line in named.splitlines()
        if line.strip()
    ]
