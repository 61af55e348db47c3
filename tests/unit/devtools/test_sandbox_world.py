"""The sandbox's world: new the first time, then the same ids at every start."""

from __future__ import annotations

from pathlib import Path

import pytest

from devtools.discord_emulator import DiscordEmulator, EmulatorConfig
from devtools.sandbox.world import WORLD_FILE, SandboxWorld, WorldFileError, open_world


def emulator() -> DiscordEmulator:
    return DiscordEmulator(EmulatorConfig(require_spec=False))


def names(world: SandboxWorld) -> tuple[str, str, str, str]:
    return (
        world.guild.name,
        world.channel.name,
        world.player.user.username,
        world.teammate.user.username,
    )


async def test_a_second_start_builds_the_same_world_from_the_file(tmp_path: Path) -> None:
    async with emulator() as first:
        before = open_world(first.driver, tmp_path)
    async with emulator() as second:
        after = open_world(second.driver, tmp_path)
        # Ids handed out later never collide with the remembered ones.
        later = second.driver.create_channel(after.guild.id, "later")
        player = second.state.guild(after.guild.id).members[after.player.user.id]

    assert after.ids == before.ids
    assert names(after) == names(before) == ("Debrief Sandbox", "squad-stats", "you", "teammate")
    assert later.id not in {before.ids.guild, before.ids.channel}
    assert player.role_ids, "the player keeps a role with Manage Server"


async def test_each_data_directory_has_a_world_of_its_own(tmp_path: Path) -> None:
    async with emulator() as first, emulator() as second:
        one = open_world(first.driver, tmp_path / "one")
        other = open_world(second.driver, tmp_path / "other")

    assert one.ids != other.ids
    assert (tmp_path / "one" / WORLD_FILE).is_file()


@pytest.mark.parametrize("content", ["", "[]", '{"guild": 1}', '{"guild": "x", "channel": 2}'])
async def test_a_file_that_is_not_a_world_is_refused(tmp_path: Path, content: str) -> None:
    (tmp_path / WORLD_FILE).write_text(content)

    async with emulator() as running:
        with pytest.raises(WorldFileError, match="move it away to start a new world"):
            open_world(running.driver, tmp_path)
