"""Who and what exists in the sandbox's emulated Discord, the same at every start.

The emulator keeps its world in memory and would hand out new ids at every start, while the
sandbox's database keeps matches, settings and digests under the old ones. So the ids of the
server, its channel and its two members are written to `world.json` in the sandbox's data
directory the first time, and every later start builds the same world from them.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from devtools.discord_emulator import Channel, Guild, Member, TestDriver

logger = logging.getLogger(__name__)

WORLD_FILE = "world.json"
# Manage Server: the sandbox player is an admin, so /config and admin actions can be tried.
MANAGE_GUILD = 1 << 5
EVERYDAY_PERMISSIONS = (
    (1 << 10) | (1 << 11) | (1 << 15) | (1 << 31)
)  # view, send, attach, use commands


class WorldFileError(RuntimeError):
    """The world file exists but is not one the sandbox wrote; the message says what to do."""


@dataclass(frozen=True)
class WorldIds:
    """The snowflakes that the sandbox's data refers to."""

    guild: int
    channel: int
    player: int
    teammate: int

    @classmethod
    def read(cls, path: Path) -> WorldIds:
        try:
            fields = json.loads(path.read_text())
            return cls(**{name: int(fields[name]) for name in cls.__dataclass_fields__})
        except (OSError, ValueError, TypeError, KeyError):
            raise WorldFileError(
                f"{path} is not a sandbox world file; move it away to start a new world "
                "(the matches saved under the old one will no longer show)."
            ) from None

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=2) + "\n")


@dataclass(frozen=True)
class SandboxWorld:
    guild: Guild
    channel: Channel
    player: Member
    teammate: Member

    @property
    def members(self) -> tuple[Member, ...]:
        return (self.player, self.teammate)

    @property
    def ids(self) -> WorldIds:
        return WorldIds(self.guild.id, self.channel.id, self.player.user.id, self.teammate.user.id)


def open_world(driver: TestDriver, data_dir: Path) -> SandboxWorld:
    """The world of earlier starts when `data_dir` has one, else a new one, remembered."""
    path = data_dir / WORLD_FILE
    if path.exists():
        world = seed_sandbox(driver, WorldIds.read(path))
        logger.info("sandbox world: server %s, as in %s", world.guild.id, path)
        return world
    world = seed_sandbox(driver)
    world.ids.write(path)
    logger.info("sandbox world: new server %s, remembered in %s", world.guild.id, path)
    return world


def seed_sandbox(driver: TestDriver, ids: WorldIds | None = None) -> SandboxWorld:
    """The sandbox's server, channel and members: with `ids`, exactly those; else new ones."""
    guild = driver.create_guild("Debrief Sandbox", guild_id=ids.guild if ids else None)
    channel = driver.create_channel(
        guild.id, "squad-stats", channel_id=ids.channel if ids else None
    )
    player = driver.create_member(
        guild.id,
        "you",
        permissions=EVERYDAY_PERMISSIONS | MANAGE_GUILD,
        user_id=ids.player if ids else None,
    )
    teammate = driver.create_member(
        guild.id,
        "teammate",
        permissions=EVERYDAY_PERMISSIONS,
        user_id=ids.teammate if ids else None,
    )
    # "Login with Discord" on the sandbox's API logs in as the player.
    driver.set_oauth_user(player)
    return SandboxWorld(guild, channel, player, teammate)
