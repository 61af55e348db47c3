"""Discord's message limits, and clipping text to fit them.

Discord rejects a whole message when one embed field is one character too long, so every
user- or AI-provided string passes through `clip` on its way into an embed.
"""

from __future__ import annotations

import discord

TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
EMBED_TOTAL = 6000
CONTENT = 2000
ELLIPSIS = "…"


def clip(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)].rstrip() + ELLIPSIS


def add_field(embed: discord.Embed, name: str, value: str, *, inline: bool = True) -> None:
    """Add a field unless the embed is full; empty values become a dash (Discord refuses "")."""
    if len(embed.fields) >= FIELDS:
        return
    embed.add_field(
        name=clip(name, FIELD_NAME), value=clip(value, FIELD_VALUE) or "—", inline=inline
    )


def fit(embed: discord.Embed) -> discord.Embed:
    """Drop trailing fields, then shorten the description, until the embed fits 6000."""
    while len(embed) > EMBED_TOTAL and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    if len(embed) > EMBED_TOTAL and embed.description:
        excess = len(embed) - EMBED_TOTAL
        embed.description = clip(embed.description, max(len(embed.description) - excess, 1))
    return embed
