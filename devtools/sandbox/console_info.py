"""What the console page needs to know about the sandbox before it shows anything."""

from __future__ import annotations

from typing import Any

from app.shared.local_reader import local_reader_installed
from devtools.discord_emulator.models import ADMINISTRATOR
from devtools.samples import Manifest, SampleFile
from devtools.sandbox.world import MANAGE_GUILD, SandboxWorld

JSON = dict[str, Any]

SAMPLES_ROUTE = "/console/samples/"
AI_LABEL = (
    "Emulated AI: screenshots are read by a local Gemini stand-in that answers from the "
    "sample rules. No real model is called, so only the sample screenshots get real stats. "
    "/ask answers the common question shapes without a model and lists them for any other."
)
LOCAL_READER_LABEL = (
    "Emulated AI: screenshots are read on this machine by Debrief's on-device reader (OCR, "
    "no Gemini): the samples, and any scoreboard you make in the same style. Debriefs are "
    "written by the templates Debrief uses when Gemini is unavailable."
)
MODE_NAMES = {
    "hardpoint": "Hardpoint",
    "search_and_destroy": "Search and Destroy",
    "overload": "Overload",
}


def console_info(world: SandboxWorld, manifest: Manifest, *, api_url: str, cdn_origin: str) -> JSON:
    """The body of GET /console/info."""
    return {
        "title": "Debrief sandbox",
        # The sandbox's bot reads with the on-device reader whenever it is installed.
        "ai_label": LOCAL_READER_LABEL if local_reader_installed() else AI_LABEL,
        "guild": {"id": str(world.guild.id), "name": world.guild.name},
        "channel": {"id": str(world.channel.id), "name": world.channel.name},
        "members": [_member(world, member.user.id) for member in world.members],
        "api_url": api_url,
        "api_docs_url": f"{api_url}/docs",
        # The web dashboard; its "Login with Discord" logs in through the emulator as the player.
        "dashboard_url": f"{api_url}/",
        # The page maps the emulator's CDN links onto the console's own origin.
        "cdn_origin": cdn_origin,
        "samples": [_sample(sample) for sample in manifest.samples],
    }


def _member(world: SandboxWorld, user_id: int) -> JSON:
    member = world.guild.members[user_id]
    permissions = world.guild.permissions_of(user_id)
    return {
        "id": str(user_id),
        "username": member.user.username,
        "admin": bool(permissions & (MANAGE_GUILD | ADMINISTRATOR)),
        # A decimal string, as Discord sends permission sets: the page compares it with each
        # command's default_member_permissions.
        "permissions": str(permissions),
    }


def _sample(sample: SampleFile) -> JSON:
    mode = MODE_NAMES.get(sample.mode, sample.mode)
    map_name = sample.answer.get("map")
    where = f"{mode} on {map_name}" if map_name else mode
    return {
        "file": sample.file,
        "label": f"{where} — {sample.kind}",
        "kind": sample.kind,
        "mode": sample.mode,
        "width": sample.width,
        "height": sample.height,
        "url": SAMPLES_ROUTE + sample.file,
    }
