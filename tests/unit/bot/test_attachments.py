"""/debrief attachments: fetched from Discord's hosts only, and never read past the limit."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import yarl
from aiohttp import web

from app.bot.attachments import (
    AttachmentDownloader,
    Origin,
    allowed_origins,
    open_download_session,
)
from app.core.errors import DomainError, InvalidAttachment

LIMIT = 1024 * 1024
CHUNK = 64 * 1024
PNG = b"\x89PNG\r\n\x1a\n" + bytes(100)
NOT_FROM_DISCORD = (
    "`scoreboard.png` isn't hosted by Discord, so Debrief won't download it. "
    "Attach the screenshot to the command itself."
)
TOO_LARGE = "`scoreboard.png` is larger than 1 MB, the limit in this server."


@dataclass(frozen=True)
class Remote:
    url: str
    size: int = len(PNG)
    filename: str = "scoreboard.png"
    content_type: str | None = "image/png"


class FileServer:
    """A loopback HTTP server that counts what it is asked and what it manages to send."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.bytes_sent = 0
        app = web.Application()
        app.router.add_get("/ok.png", self._ok)
        app.router.add_get("/endless.png", self._endless)
        app.router.add_get("/declared-huge.png", self._declared_huge)
        app.router.add_get("/redirect.png", self._redirect)
        self._runner = web.AppRunner(app)
        self.base_url = ""

    async def start(self) -> None:
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        await self._runner.cleanup()

    async def _ok(self, request: web.Request) -> web.Response:
        self.requests.append(request.path)
        return web.Response(body=PNG, content_type="image/png")

    async def _endless(self, request: web.Request) -> web.StreamResponse:
        """Chunked, no Content-Length: 100 MB unless the client hangs up first."""
        self.requests.append(request.path)
        response = web.StreamResponse()
        response.content_type = "image/png"
        await response.prepare(request)
        try:
            for _ in range(100 * 1024 * 1024 // CHUNK):
                await response.write(bytes(CHUNK))
                self.bytes_sent += CHUNK
        except (ConnectionResetError, OSError):
            pass
        return response

    async def _declared_huge(self, request: web.Request) -> web.Response:
        self.requests.append(request.path)
        return web.Response(body=bytes(2 * LIMIT), content_type="image/png")

    async def _redirect(self, request: web.Request) -> web.Response:
        self.requests.append(request.path)
        raise web.HTTPFound("/ok.png")


@pytest.fixture
async def server() -> AsyncIterator[FileServer]:
    running = FileServer()
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
async def downloader(server: FileServer) -> AsyncIterator[AttachmentDownloader]:
    # The server plays the emulator: its origin is the configured API base's.
    async with open_download_session(5) as session:
        yield AttachmentDownloader(session, allowed_origins(server.base_url + "/api/v10"))


def test_only_discords_attachment_hosts_over_https_are_allowed_by_default() -> None:
    assert allowed_origins(None) == {
        Origin("https", "cdn.discordapp.com", 443),
        Origin("https", "media.discordapp.net", 443),
    }


def test_the_configured_api_base_adds_exactly_its_origin() -> None:
    origins = allowed_origins("http://127.0.0.1:8123/api/v10")

    assert origins - allowed_origins(None) == {Origin("http", "127.0.0.1", 8123)}


async def test_a_file_from_the_allowed_origin_is_downloaded(
    server: FileServer, downloader: AttachmentDownloader
) -> None:
    [upload] = await downloader.download([Remote(server.base_url + "/ok.png")], LIMIT)

    assert (upload.filename, upload.declared_type, upload.data) == (
        "scoreboard.png",
        "image/png",
        PNG,
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://cdn.discordapp.com/attachments/1/2/scoreboard.png",  # not https
        "https://cdn.discordapp.com:8443/attachments/1/2/scoreboard.png",  # other port
        "https://cdn.discordapp.com@169.254.169.254/latest/meta-data",  # userinfo trick
        "https://cdn.discordapp.com.evil.example/scoreboard.png",
        "https://169.254.169.254/latest/meta-data",
        "file:///etc/passwd",
        "scoreboard.png",
    ],
)
async def test_other_hosts_are_refused_without_a_connection(
    downloader: AttachmentDownloader, url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING), pytest.raises(InvalidAttachment) as refusal:
        await downloader.download([Remote(url)], LIMIT)

    assert refusal.value.user_message == NOT_FROM_DISCORD
    assert [r.getMessage() for r in caplog.records if r.name == "app.bot.attachments"] == [
        f"refused an attachment hosted outside Discord ({yarl.URL(url).host})"
    ]


async def test_another_port_on_the_same_host_is_never_fetched(
    server: FileServer, downloader: AttachmentDownloader
) -> None:
    decoy = FileServer()
    await decoy.start()
    try:
        with pytest.raises(InvalidAttachment, match="isn't hosted by Discord"):
            await downloader.download(
                [Remote(server.base_url + "/ok.png"), Remote(decoy.base_url + "/ok.png")], LIMIT
            )
    finally:
        await decoy.stop()

    assert decoy.requests == []
    assert server.requests == [], "nothing is fetched when any file is refused"


async def test_a_body_past_the_limit_is_abandoned_whatever_the_declared_size(
    server: FileServer, downloader: AttachmentDownloader
) -> None:
    endless = Remote(server.base_url + "/endless.png", size=1_000)

    with pytest.raises(InvalidAttachment) as refusal:
        await downloader.download([endless], LIMIT)

    assert refusal.value.user_message == TOO_LARGE
    # The client hung up right after the limit: the server could not push its 100 MB.
    assert server.bytes_sent < 8 * LIMIT


async def test_a_content_length_past_the_limit_is_refused_before_reading(
    server: FileServer, downloader: AttachmentDownloader
) -> None:
    with pytest.raises(InvalidAttachment) as refusal:
        await downloader.download([Remote(server.base_url + "/declared-huge.png")], LIMIT)

    assert refusal.value.user_message == TOO_LARGE


async def test_a_declared_size_past_the_limit_is_refused_without_a_request(
    server: FileServer, downloader: AttachmentDownloader
) -> None:
    with pytest.raises(InvalidAttachment, match="larger than 1 MB"):
        await downloader.download([Remote(server.base_url + "/ok.png", size=LIMIT + 1)], LIMIT)

    assert server.requests == []


async def test_redirects_are_not_followed(
    server: FileServer, downloader: AttachmentDownloader
) -> None:
    with pytest.raises(DomainError) as failure:
        await downloader.download([Remote(server.base_url + "/redirect.png")], LIMIT)

    assert (
        failure.value.user_message == "Couldn't download `scoreboard.png` from Discord; try again."
    )
    assert server.requests == ["/redirect.png"]


async def test_an_unreachable_host_is_a_short_message(server: FileServer) -> None:
    base = server.base_url
    await server.stop()
    async with open_download_session(5) as session:
        downloader = AttachmentDownloader(session, allowed_origins(base))
        with pytest.raises(DomainError, match=r"Couldn.t download `scoreboard\.png`"):
            await downloader.download([Remote(base + "/ok.png")], LIMIT)
