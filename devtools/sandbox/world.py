"""Who and what exists in the sandbox's emulated Discord."""

from __future__ import annotations

from dataclasses import dataclass

from devtools.discord_emulator import Channel, Guild, Member, TestDriver

# Manage Server: the sandbox player is an admin, so /config and admin actions can be tried.
MANAGE_GUILD = 1 << 5
EVERYDAY_PERMISSIONS = (
    (1 << 10) | (1 << 11) | (1 << 15) | (1 << 31)
)  # view, send, attach, use commands


@dataclass(frozen=True)
class SandboxWorld:
    guild: Guild
    channel: Channel
    player: Member
    teammate: Member

    @property
    def members(self) -> tuple[Member, ...]:
        return (self.player, self.teammate)


def seed_sandbox(driver: TestDriver) -> SandboxWorld:
    guild = driver.create_guild("Debrief Sandbox")
    channel = driver.create_channel(guild.id, "squad-stats")
    player = driver.create_member(guild.id, "you", permissions=EVERYDAY_PERMISSIONS | MANAGE_GUILD)
    teammate = driver.create_member(guild.id, "teammate", permissions=EVERYDAY_PERMISSIONS)
    # "Login with Discord" on the sandbox's API logs in as the player.
    driver.set_oauth_user(player)
    return SandboxWorld(guild, channel, player, teammate)
