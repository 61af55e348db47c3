"""Who is acting, from Discord's point of view."""

from __future__ import annotations

import discord

from app.core.actors import Actor


def actor_of(interaction: discord.Interaction) -> Actor:
    """The user, a member of the server the interaction came from, and its admin if they hold
    Manage Server in it. The bot knows no other memberships: no privileged intents.

    Discord computes `interaction.permissions` for the member in this channel, so this is
    checked at run time, on every use, not only when the command was registered.
    """
    admin_of = (
        frozenset({interaction.guild_id})
        if interaction.guild_id and interaction.permissions.manage_guild
        else frozenset()
    )
    member_of = frozenset({interaction.guild_id}) if interaction.guild_id else frozenset()
    return Actor(user_id=interaction.user.id, admin_of=admin_of, member_of=member_of)
