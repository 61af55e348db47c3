"""The console server without a browser or a bot: what it serves, proxies and refuses."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from devtools.discord_emulator import DiscordEmulator, EmulatorConfig
from devtools.samples import load_manifest
from devtools.sandbox.console import ConsoleServer
from devtools.sandbox.console_feed import command_label
from devtools.sandbox.world import SandboxWorld, seed_sandbox

API_URL = "http://127.0.0.1:9"
MANIFEST = load_manifest()


@dataclass(frozen=True)
class Running:
    emulator: DiscordEmulator
    world: SandboxWorld
    http: aiohttp.ClientSession
    url: str

    async def post_as_bot(self, content: str) -> None:
        """A message in the sandbox channel, sent through the emulated REST API."""
        async with self.http.post(
            f"{self.emulator.api_base_url}/channels/{self.world.channel.id}/messages",
            json={"content": content},
            headers={"Authorization": f"Bot {self.emulator.token}"},
        ) as response:
            assert response.status == 200, await response.text()


@pytest.fixture
async def running() -> AsyncIterator[Running]:
    config = EmulatorConfig(token="console-token", require_spec=False)
    async with DiscordEmulator(config) as emulator:
        world = seed_sandbox(emulator.driver)
        async with (
            ConsoleServer(emulator, world, api_url=API_URL + "/", port=0) as console,
            aiohttp.ClientSession() as http,
        ):
            yield Running(emulator, world, http, console.url)


async def get_json(running: Running, path: str, status: int = 200) -> object:
    async with running.http.get(running.url + path) as response:
        assert response.status == status, await response.text()
        return await response.json()


async def test_the_page_and_its_module_script_are_served_locally(running: Running) -> None:
    async with running.http.get(running.url) as page:
        html = await page.text()
    assert page.status == 200 and page.content_type == "text/html"
    assert '<script type="module" src="/static/console.js">' in html
    assert "://" not in html  # nothing loaded from elsewhere
    for asset, kind in (("static/console.js", "javascript"), ("static/console.css", "text/css")):
        async with running.http.get(running.url + asset) as response:
            assert response.status == 200 and kind in response.content_type


async def test_info_names_the_world_members_links_and_samples(running: Running) -> None:
    info = await get_json(running, "console/info")

    assert isinstance(info, dict)
    world = running.world
    assert info["guild"] == {"id": str(world.guild.id), "name": world.guild.name}
    assert info["channel"] == {"id": str(world.channel.id), "name": "squad-stats"}
    assert [(m["username"], m["admin"]) for m in info["members"]] == [
        ("you", True),
        ("teammate", False),
    ]
    assert info["api_url"] == API_URL and info["api_docs_url"] == API_URL + "/docs"
    assert info["dashboard_url"] == API_URL + "/"
    assert info["cdn_origin"] == running.emulator.base_url
    assert "Emulated AI" in info["ai_label"]
    assert [s["file"] for s in info["samples"]] == [s.file for s in MANIFEST.samples]
    assert info["samples"][0]["url"] == "/console/samples/" + MANIFEST.samples[0].file
    assert info["samples"][0]["label"] == "Hardpoint on Den — scoreboard"


async def test_samples_are_served_by_manifest_name_only(running: Running) -> None:
    sample = MANIFEST.samples[0]
    async with running.http.get(f"{running.url}console/samples/{sample.file}") as response:
        assert response.status == 200 and response.content_type == "image/png"
        assert await response.read() == sample.read_bytes()

    for name in ("manifest.json", "__init__.py", "..%2Fconsole.py", "nope.png"):
        async with running.http.get(f"{running.url}console/samples/{name}") as response:
            assert response.status == 404, name


async def test_the_control_api_is_proxied_with_method_body_and_errors(running: Running) -> None:
    state = await get_json(running, "console/api/state")
    assert isinstance(state, dict)
    assert state["guilds"][0]["id"] == str(running.world.guild.id)

    # No bot is connected: the emulator's own 400 and message come back unchanged.
    async with running.http.post(
        f"{running.url}console/api/interactions/command",
        json={
            "name": "ping",
            "member_id": str(running.world.player.user.id),
            "channel_id": str(running.world.channel.id),
        },
    ) as response:
        assert response.status == 400
        assert "no slash command /ping" in (await response.json())["error"]


async def test_attachments_registered_through_the_proxy_are_served_by_the_cdn_route(
    running: Running,
) -> None:
    data = MANIFEST.samples[1].read_bytes()
    async with running.http.post(
        f"{running.url}console/api/attachments",
        json={
            "filename": "my shot.png",
            "content_type": "image/png",
            "data_base64": base64.b64encode(data).decode(),
        },
    ) as response:
        assert response.status == 201
        attachment = await response.json()

    path = attachment["url"].removeprefix(running.emulator.base_url)
    async with running.http.get(f"{running.url}console/cdn{path}") as response:
        assert response.status == 200 and response.content_type == "image/png"
        assert await response.read() == data
    async with running.http.get(f"{running.url}console/cdn/oauth2/authorize") as response:
        assert response.status == 404


async def test_the_feed_answers_at_once_when_behind_and_as_soon_as_something_changes(
    running: Running,
) -> None:
    first = await get_json(running, "console/feed?wait=5")
    assert isinstance(first, dict)
    assert first["messages"] == [] and first["commands_used"] == {}

    unchanged = await get_json(running, f"console/feed?since={first['version']}&wait=0.1")
    assert unchanged == first

    waiting = asyncio.ensure_future(get_json(running, f"console/feed?since={first['version']}"))
    await asyncio.sleep(0.05)
    assert not waiting.done()
    await running.post_as_bot("GG")
    changed = await asyncio.wait_for(waiting, 2)

    assert isinstance(changed, dict)
    assert [m["content"] for m in changed["messages"]] == ["GG"]
    assert changed["version"] != first["version"]
    assert await get_json(running, "console/feed?wait=soon", status=400) == {
        "error": "wait must be a number of seconds"
    }


async def test_stopping_answers_waiting_polls_at_once(running: Running) -> None:
    async with ConsoleServer(running.emulator, running.world, api_url=API_URL, port=0) as console:
        async with running.http.get(console.url + "console/feed") as response:
            version = (await response.json())["version"]
        poll = asyncio.ensure_future(running.http.get(f"{console.url}console/feed?since={version}"))
        await asyncio.sleep(0.05)
        stopping = asyncio.get_running_loop().time()
    took = asyncio.get_running_loop().time() - stopping

    answered = await poll
    answered.release()
    assert answered.status == 200
    assert took < 0.5


async def test_the_proxy_says_so_when_the_emulator_is_gone(running: Running) -> None:
    await running.emulator.stop()

    error = await get_json(running, "console/api/state", status=502)

    assert error == {"error": "The Discord emulator is not answering."}


async def test_requests_another_site_could_forge_are_refused(running: Running) -> None:
    command = {"name": "ping", "member_id": "1", "channel_id": "2"}
    async with running.http.post(
        f"{running.url}console/api/interactions/command",
        data=str(command),
        headers={"Content-Type": "text/plain"},
    ) as form:
        assert form.status == 415
    async with running.http.get(
        f"{running.url}console/info", headers={"Host": "evil.example:8765"}
    ) as rebound:
        assert rebound.status == 403
    async with running.http.get(running.url.replace("127.0.0.1", "localhost")) as local:
        assert local.status == 200


def nested(kind: int, name: str, *options: dict[str, Any]) -> dict[str, Any]:
    return {"type": kind, "name": name, "options": list(options)}


STRING_OPTION = {"type": 3, "name": "id", "value": "m1"}
LABELS = [
    ({"name": "ping"}, "/ping"),
    ({"name": "trend", "options": [STRING_OPTION]}, "/trend"),
    ({"name": "match", "options": [nested(1, "fix", STRING_OPTION)]}, "/match fix"),
    ({"name": "config", "options": [nested(2, "digest", nested(1, "set"))]}, "/config digest set"),
]


@pytest.mark.parametrize(("data", "label"), LABELS)
def test_a_command_is_labelled_with_its_subcommands(data: dict[str, Any], label: str) -> None:
    assert command_label(data) == label
