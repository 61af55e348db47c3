"""/debrief refuses files that are not usable screenshots: privately, saving nothing, and
without asking Gemini."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from aiohttp import web

from app.core.bootstrap import bootstrap
from app.core.commands import AnalyzeScreenshots, Upload
from app.core.errors import InvalidAttachment
from app.core.handlers import BOT_HANDLERS
from app.core.screenshots import WRONG_COUNT_MESSAGE
from app.shared.ai import open_ai
from app.shared.catalog.loader import load_catalog
from app.shared.db.connection import Database
from app.shared.settings import load_settings
from devtools.discord_emulator import InvocationError, Member
from devtools.hostile_images import flat_png
from devtools.sandbox.orchestrator import Sandbox
from tests.e2e.bot.support import (
    DEBRIEF_ACK,
    HARDPOINT_SCOREBOARD,
    HARDPOINT_WEAPONS,
    SND_SCOREBOARD,
    attach,
    attach_sample,
    debrief,
    private_outcome,
    sample_bytes,
    saved_matches,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ATTACHMENT_OPTION = 11
# The smallest valid GIF: a real image, just not one of the types Gemini is sent.
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


async def refused(
    stack: Sandbox, database: Database, member: Member, upload: dict[str, object]
) -> str:
    """Run /debrief with `upload`; check nothing was saved or sent to Gemini; the message."""
    handle = debrief(stack, member, upload)
    private = await private_outcome(handle, DEBRIEF_ACK)
    assert not handle.followups, "nothing public"
    assert await saved_matches(database, member) == []
    assert stack.stub.requests == (), "Gemini is never asked"
    return private.content


async def test_a_gif_is_refused(stack: Sandbox, database: Database, member: Member) -> None:
    upload = attach(stack, GIF, "scoreboard.gif", "image/gif")

    message = await refused(stack, database, member, upload)

    assert message == "`scoreboard.gif` is not a PNG, JPEG or WEBP image."


async def test_a_text_file_named_png_is_refused_by_its_content(
    stack: Sandbox, database: Database, member: Member
) -> None:
    upload = attach(stack, b"K/D 31/22, trust me\n", "scoreboard.png", "image/png")

    message = await refused(stack, database, member, upload)

    assert message == "`scoreboard.png` is not a PNG, JPEG or WEBP image."


async def test_a_file_over_the_size_limit_is_refused_without_downloading_it(
    stack: Sandbox, database: Database, member: Member
) -> None:
    limit = stack.emulator.config.attachment_size_limit
    huge = PNG_SIGNATURE + bytes(limit + 1 - len(PNG_SIGNATURE))
    upload = attach(stack, huge, "huge.png", "image/png")

    message = await refused(stack, database, member, upload)

    assert message == "`huge.png` is larger than 10 MB, the limit in this server."
    downloads = stack.emulator.request_log.matching("GET", f"*/{upload['id']}/huge.png")
    assert downloads == [], "refused by its declared size, before any download"


async def test_a_good_screenshot_is_downloaded_once(stack: Sandbox, member: Member) -> None:
    # The counterpart of the test above: the request log does see attachment downloads.
    upload = attach_sample(stack, SND_SCOREBOARD)

    await private_outcome(debrief(stack, member, upload), DEBRIEF_ACK)

    downloads = stack.emulator.request_log.matching("GET", f"*/{upload['id']}/{SND_SCOREBOARD}")
    assert [entry.status for entry in downloads] == [200]


async def test_an_image_larger_than_any_screen_is_refused_with_its_size(
    stack: Sandbox, database: Database, member: Member
) -> None:
    # 7000x7000 pixels in a PNG of 140 KB: 200 MB decoded, four times over before the cap.
    upload = attach(stack, flat_png(7000, 7000), "scoreboard.png", "image/png")

    message = await refused(stack, database, member, upload)

    assert message == (
        "That image has more pixels than any screen (7000×7000): Debrief reads screenshots of "
        "up to 16.6 megapixels (a 4K screenshot is 8.3). Post a screenshot of your screen."
    )


class Decoy:
    """A server on another port of the same machine: what a hostile URL could point at."""

    def __init__(self) -> None:
        self.requests: list[str] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append(request.path)
        return web.Response(body=sample_bytes(SND_SCOREBOARD), content_type="image/png")


@pytest.fixture
async def decoy() -> AsyncIterator[tuple[Decoy, str]]:
    served = Decoy()
    app = web.Application()
    app.router.add_get("/{name}", served.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield served, f"http://127.0.0.1:{runner.addresses[0][1]}"
    await runner.cleanup()


async def test_an_attachment_hosted_elsewhere_is_refused_and_never_fetched(
    stack: Sandbox, database: Database, member: Member, decoy: tuple[Decoy, str]
) -> None:
    served, base_url = decoy
    sample = sample_bytes(SND_SCOREBOARD)
    upload = stack.emulator.driver.register_attachment(
        sample, "scoreboard.png", "image/png", url=f"{base_url}/scoreboard.png"
    )

    message = await refused(stack, database, member, upload)

    assert message == (
        "`scoreboard.png` isn't hosted by Discord, so Debrief won't download it. "
        "Attach the screenshot to the command itself."
    )
    assert served.requests == [], "the bot never connected to it"


async def test_a_body_larger_than_its_declared_size_is_refused_at_the_limit(
    stack: Sandbox, database: Database, member: Member
) -> None:
    limit = stack.emulator.config.attachment_size_limit
    body = PNG_SIGNATURE + bytes(limit + 1 - len(PNG_SIGNATURE))
    upload = stack.emulator.driver.register_attachment(
        body, "small.png", "image/png", declared_size=1_000
    )

    message = await refused(stack, database, member, upload)

    assert message == "`small.png` is larger than 10 MB, the limit in this server."
    downloads = stack.emulator.request_log.matching("GET", f"*/{upload['id']}/small.png")
    assert len(downloads) == 1, "downloaded, but not kept past the limit"


def test_the_emulator_validates_the_hostile_attachment_hooks(stack: Sandbox) -> None:
    with pytest.raises(InvocationError, match="url"):
        stack.emulator.driver.register_attachment(b"x", "a.png", url="not a url")
    with pytest.raises(InvocationError, match="declared_size"):
        stack.emulator.driver.register_attachment(b"x", "a.png", declared_size=-1)


def test_discord_cannot_deliver_a_third_screenshot(stack: Sandbox, member: Member) -> None:
    """/debrief declares two attachment options, so Discord's client offers no third file.

    An interaction carrying three files would be something Discord never sends; the bus
    refuses three uploads anyway (next test), for any other adapter that could.
    """
    [command] = [
        c for c in stack.emulator.state.commands(stack.world.guild.id) if c["name"] == "debrief"
    ]
    attachments = [o["name"] for o in command["options"] if o["type"] == ATTACHMENT_OPTION]
    assert attachments == ["scoreboard", "weapons"]
    with pytest.raises(InvocationError):
        debrief_with_a_third_file(stack, member)


def debrief_with_a_third_file(stack: Sandbox, member: Member) -> None:
    stack.emulator.driver.invoke_command(
        "debrief",
        member=member,
        channel_id=stack.world.channel.id,
        options={
            "scoreboard": attach_sample(stack, HARDPOINT_SCOREBOARD),
            "weapons": attach_sample(stack, HARDPOINT_WEAPONS),
            "extra": attach_sample(stack, SND_SCOREBOARD),
        },
    )


async def test_three_screenshots_are_refused_by_the_bus(
    stack: Sandbox, database: Database, member: Member
) -> None:
    """The bot's own /debrief handler, in this process, on the bot's database and stub."""
    settings = load_settings(
        debrief_env="sandbox",
        gemini_api_key=stack.stub.api_key,
        gemini_base_url=stack.stub.base_url,
    )
    files = (HARDPOINT_SCOREBOARD, HARDPOINT_WEAPONS, SND_SCOREBOARD)
    uploads = tuple(
        Upload(filename=name, declared_type="image/png", data=sample_bytes(name)) for name in files
    )
    async with open_ai(settings) as ai:
        bus = bootstrap(
            database.dependencies(load_catalog(None)),
            ai,
            handlers=BOT_HANDLERS.only(commands=(AnalyzeScreenshots,), events=()),
        )
        with pytest.raises(InvalidAttachment) as refusal:
            await bus.handle(
                AnalyzeScreenshots(
                    guild_id=stack.world.guild.id,
                    channel_id=stack.world.channel.id,
                    user_id=member.user.id,
                    interaction_id=1,
                    uploads=uploads,
                    size_limit=stack.emulator.config.attachment_size_limit,
                    played_at=datetime.now(UTC),
                )
            )

    assert refusal.value.user_message == WRONG_COUNT_MESSAGE
    assert await saved_matches(database, member) == []
    assert stack.stub.requests == ()
