"""`python -m tests.support.bot_side_memory N`: the bot's own memory while N hostile uploads
are prepared at once, the way the /debrief handler prepares them.

Run in a fresh process so nothing else is in its figures. It opens the AI the bot opens
(`open_ai`), prepares one small screenshot to start whatever the preparer starts, then
prepares N images at once, awaited as `analyze_screenshots` awaits them, and
prints one JSON line: the rise of this process's peak resident size (ru_maxrss, the kernel's
high-water mark) over the warm baseline, and each outcome.
"""

from __future__ import annotations

import asyncio
import io
import json
import resource
import sys

from PIL import Image

from app.core.errors import DomainError
from app.shared.ai import open_ai
from app.shared.settings import load_settings
from devtools.hostile_images import flat_png

KIB = 1024


def peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * KIB


async def main(count: int) -> None:
    # Half refused by the pixel cap, half the largest accepted: both kinds of cost.
    uploads = [flat_png(7000, 7000, alpha=True), flat_png(7680, 2160, alpha=True)]
    small = io.BytesIO()
    Image.new("RGB", (64, 64)).save(small, format="PNG")
    async with open_ai(load_settings(debrief_env="sandbox")) as ai:
        await ai.images.prepare(small.getvalue(), "image/png")
        baseline = peak_rss()

        async def prepare(data: bytes) -> str:
            try:
                image = await ai.images.prepare(data, "image/png")
            except DomainError as refusal:
                return refusal.user_message
            return f"{image.width}x{image.height}"

        outcomes = await asyncio.gather(*(prepare(uploads[n % 2]) for n in range(count)))
        increase = peak_rss() - baseline
    print(json.dumps({"peak_increase": increase, "outcomes": outcomes}))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
