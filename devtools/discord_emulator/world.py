"""The default world of a standalone emulator: one server, one channel, one player."""

from __future__ import annotations

from dataclasses import dataclass

from .driver import TestDriver
from .models import Channel, Guild, Member


@dataclass(frozen=True)
class DefaultWorld:
    guild: Guild
    channel: Channel
    member: Member


def seed_default_world(driver: TestDriver) -> DefaultWorld:
    """Guild "Sandbox" with "#general" and member "sandbox-player", who also logs in via OAuth2."""
    guild = driver.create_guild("Sandbox")
    channel = driver.create_channel(guild.id, "general")
    member = driver.create_member(guild.id, "sandbox-player")
    driver.set_oauth_user(member)
    return DefaultWorld(guild, channel, member)
