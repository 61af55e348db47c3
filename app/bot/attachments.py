"""Downloading /debrief attachments: from Discord's attachment hosts only, never past the limit.

An attachment's URL and size come with the interaction. Both are checked instead of trusted:

- the URL must be on Discord's attachment CDN (`cdn.discordapp.com`, `media.discordapp.net`,
  over https), or on the origin of `DISCORD_API_BASE_URL` when one is set. That origin already
  gets the bot token with every REST call, so trusting its files adds no one to trust; it is
  how the Discord emulator serves attachments in the sandbox and the tests. Anything else is
  refused before any connection is made: the bot must not fetch arbitrary URLs (internal
  services, cloud metadata) for whoever can shape an interaction. Redirects are not followed,
  so an allowed host cannot send the bot elsewhere;
- the body is read in chunks and abandoned as soon as it passes the size limit, whatever the
  declared size or Content-Length said; it is never decompressed on the way (no gzip bombs).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NoReturn, Protocol

import aiohttp
import yarl

from app.core.commands import Upload
from app.core.errors import DomainError, InvalidAttachment
from app.core.i18n import _
from app.core.screenshots import format_megabytes, shown_name

logger = logging.getLogger(__name__)

DISCORD_ATTACHMENT_HOSTS = ("cdn.discordapp.com", "media.discordapp.net")
_CHUNK_BYTES = 64 * 1024
_OK = 200


class RemoteFile(Protocol):
    """What the bot knows of an attachment before downloading it (a `discord.Attachment`)."""

    @property
    def filename(self) -> str: ...
    @property
    def size(self) -> int: ...
    @property
    def url(self) -> str: ...
    @property
    def content_type(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Origin:
    scheme: str
    host: str
    port: int

    @classmethod
    def of(cls, url: yarl.URL) -> Origin | None:
        if url.scheme not in ("http", "https") or not url.host or url.port is None:
            return None
        return cls(url.scheme, url.host.lower(), url.port)


def allowed_origins(api_base_url: str | None) -> frozenset[Origin]:
    """Discord's attachment hosts over https, plus the configured API base's origin."""
    origins = {Origin("https", host, 443) for host in DISCORD_ATTACHMENT_HOSTS}
    configured = Origin.of(yarl.URL(api_base_url)) if api_base_url else None
    if configured is not None:
        origins.add(configured)
    return frozenset(origins)


def too_large(filename: str, size_limit: int) -> InvalidAttachment:
    return InvalidAttachment(
        _(
            "`{file}` is larger than {limit}, the limit in this server.",
            file=shown_name(filename),
            limit=format_megabytes(size_limit),
        )
    )


def not_from_discord(filename: str) -> InvalidAttachment:
    return InvalidAttachment(
        _(
            "`{file}` isn't hosted by Discord, so Debrief won't download it. "
            "Attach the screenshot to the command itself.",
            file=shown_name(filename),
        )
    )


def download_failed(filename: str) -> DomainError:
    return DomainError(
        _("Couldn't download `{file}` from Discord; try again.", file=shown_name(filename))
    )


class AttachmentDownloader:
    def __init__(self, session: aiohttp.ClientSession, origins: frozenset[Origin]) -> None:
        self._session = session
        self._origins = origins

    async def download(self, files: Sequence[RemoteFile], size_limit: int) -> tuple[Upload, ...]:
        """Each file's bytes, or the first file's refusal; nothing is fetched when any file
        is refused by its host or declared size."""
        for remote in files:
            self._check_before_download(remote, size_limit)
        return tuple([await self._download(remote, size_limit) for remote in files])

    def _check_before_download(self, remote: RemoteFile, size_limit: int) -> None:
        # The declared size first: a 500 MB "screenshot" is refused without a connection.
        if remote.size > size_limit:
            raise too_large(remote.filename, size_limit)
        url = yarl.URL(remote.url)
        if url.user is not None or url.password is not None or Origin.of(url) not in self._origins:
            logger.warning("refused an attachment hosted outside Discord (%s)", url.host)
            raise not_from_discord(remote.filename)

    async def _download(self, remote: RemoteFile, size_limit: int) -> Upload:
        try:
            data = await self._read_capped(remote, size_limit)
        except (TimeoutError, aiohttp.ClientError) as error:
            logger.warning("attachment download failed: %s", type(error).__name__)
            raise download_failed(remote.filename) from None
        return Upload(filename=remote.filename, declared_type=remote.content_type, data=data)

    async def _read_capped(self, remote: RemoteFile, size_limit: int) -> bytes:
        headers = {"Accept-Encoding": "identity"}
        async with self._session.get(remote.url, headers=headers, allow_redirects=False) as got:
            if got.status != _OK:
                logger.warning("attachment download answered HTTP %d", got.status)
                raise download_failed(remote.filename)
            if got.content_length is not None and got.content_length > size_limit:
                self._abandon(got, remote, size_limit)
            body = bytearray()
            async for chunk in got.content.iter_chunked(_CHUNK_BYTES):
                body += chunk
                if len(body) > size_limit:
                    self._abandon(got, remote, size_limit)
            return bytes(body)

    @staticmethod
    def _abandon(got: aiohttp.ClientResponse, remote: RemoteFile, size_limit: int) -> NoReturn:
        # Closing drops the connection: the rest of the body is never read.
        got.close()
        logger.warning(
            "refused an attachment past the %d-byte limit (declared %d)", size_limit, remote.size
        )
        raise too_large(remote.filename, size_limit)


def open_download_session(timeout_s: float) -> aiohttp.ClientSession:
    """The bot's session for attachments: raw bytes (no decompression), one overall timeout."""
    return aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=timeout_s), auto_decompress=False
    )
