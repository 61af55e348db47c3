"""What a debrief costs in Gemini tokens and dollars, before and after the image preparation.

    python -m bench.gemini_cost
    python -m bench.gemini_cost --input-price 0.30 --output-price 2.50   # other prices

A debrief is the two calls the bot makes for one `/debrief`: `read_stats` with the
screenshots, then `write_debrief` with the facts computed from the player's history. Both go
through the real `GeminiAI` adapter (google-genai client) to the local Gemini stub, whose usage
accounting follows Gemini's published rules: 258 tokens per 768x768 image tile, about four
characters per text token. Each case sends the sample Hardpoint screenshots either as uploaded
(the PNG as is, what the bot would send without preparation) or as `PillowImagePreparer`
makes them, at 1920x1080 and upscaled to 2560x1440. Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from PIL import Image
from pydantic import SecretStr

from app.core.ai import PreparedImage
from app.core.debriefing.comparison import compare_match
from app.core.game.metrics import Stat, stat_value, stats_for_mode
from app.core.game.modes import MatchStats
from app.core.matches import Match, MatchSource
from app.shared.gemini import GeminiAI, build_gemini, prompts
from app.shared.images import PillowImagePreparer
from app.shared.settings import Settings, load_settings
from bench.common import markdown_table, quiet_logging
from devtools.gemini_stub import GeminiStub, JsonAnswer, Rule, Usage
from devtools.gemini_stub import Match as StubMatch
from devtools.samples import load_manifest

PNG = "image/png"
SAMPLE_MATCH = "hardpoint_den"
RESOLUTIONS = {"1080p": (1920, 1080), "1440p": (2560, 1440)}
HISTORY = 10
PER_MILLION = 1_000_000
DEFAULT_MODEL: str = Settings.model_fields["gemini_model"].default
# Paid tier, standard (not batch) rates, USD per million tokens; thinking tokens are billed as
# output. Source and date: docs/performance.md, "Gemini cost".
PUBLISHED_PRICES = {"gemini-2.5-flash": (0.30, 2.50)}
PRICES_AS_OF = "2026-11-22"
# A debrief of typical length, within the app's schema (120 characters a line at most).
DEBRIEF_ANSWER = {
    "headline": "Den won 250-187: 31 kills at a 1.41 K/D, your sharpest Hardpoint in ten games",
    "strengths": [
        "K/D 1.41 against your 1.12 average (+26%): you took the gunfights that mattered",
        "112 s in the hill, up on your 95 s average: you held the objective when it counted",
        "4 captures ties your best: you rotated to the next hill before it went live",
    ],
    "to_work_on": [
        "22 deaths, above your 19 average: fewer solo pushes once the hill is secure",
        "9 assists against your 11 average: trade kills with your squad more often",
    ],
}


@dataclass(frozen=True)
class Prices:
    input_per_million: float
    output_per_million: float

    def cost(self, input_tokens: int, output_tokens: int) -> float:
        return (
            input_tokens * self.input_per_million + output_tokens * self.output_per_million
        ) / PER_MILLION


@dataclass(frozen=True)
class Screenshot:
    name: str
    png: bytes
    answer: dict[str, Any]


@dataclass(frozen=True)
class Case:
    screens: str
    resolution: str
    prepared: bool
    screenshots: tuple[Screenshot, ...]

    @property
    def sent_as(self) -> str:
        return "prepared (JPEG, 4 tiles max)" if self.prepared else "as uploaded (PNG)"


@dataclass(frozen=True)
class Debrief:
    """The tokens of one debrief's two calls, as the stub billed them."""

    case: Case
    read: Usage
    write: Usage
    sent: tuple[PreparedImage, ...]

    @property
    def total(self) -> Usage:
        return self.read + self.write

    def cost(self, prices: Prices) -> float:
        return prices.cost(self.total.prompt_tokens, self.total.candidates_tokens)


def upscaled(png: bytes, size: tuple[int, int]) -> bytes:
    """The screenshot as a higher-resolution display would capture it."""
    with Image.open(io.BytesIO(png)) as image:
        if image.size == size:
            return png
        buffer = io.BytesIO()
        image.convert("RGB").resize(size, Image.Resampling.LANCZOS).save(buffer, format="PNG")
        return buffer.getvalue()


def cases() -> list[Case]:
    """Scoreboard alone and with the weapons screen, at each resolution, unprepared and
    prepared."""
    manifest = load_manifest()
    samples = [s for s in manifest.samples if s.match == SAMPLE_MATCH]
    scoreboard = next(s for s in samples if s.kind == "scoreboard")
    weapons = next(s for s in samples if s.kind == "weapons")
    found = []
    for resolution, size in RESOLUTIONS.items():
        board = Screenshot("scoreboard", upscaled(scoreboard.read_bytes(), size), scoreboard.answer)
        guns = Screenshot("weapons", upscaled(weapons.read_bytes(), size), weapons.answer)
        for screens, shots in (("scoreboard", (board,)), ("scoreboard + weapons", (board, guns))):
            found += [Case(screens, resolution, prepared, shots) for prepared in (False, True)]
    return found


def images_for(case: Case) -> tuple[PreparedImage, ...]:
    if case.prepared:
        preparer = PillowImagePreparer()
        return tuple(preparer.prepare(shot.png, PNG) for shot in case.screenshots)
    return tuple(_as_uploaded(shot.png) for shot in case.screenshots)


def _as_uploaded(png: bytes) -> PreparedImage:
    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
    sha = hashlib.sha256(png).hexdigest()
    return PreparedImage(png, PNG, width, height, sha)


async def debrief(stub: GeminiStub, ai: GeminiAI, case: Case) -> Debrief:
    """Read the case's screenshots and write the debrief, as the bot does for one match."""
    stub.reset()
    images = images_for(case)
    # The answer for the whole set: a weapons screen is read together with its scoreboard.
    answer = case.screenshots[-1].answer
    hashes = tuple(hashlib.sha256(image.data).hexdigest() for image in images)
    stub.add_rule(
        Rule.always(StubMatch(image_sha256=hashes), JsonAnswer({**answer, "readable": True}))
    )
    stub.add_rule(
        Rule.always(
            StubMatch(prompt_contains=prompts.DEBRIEF_SYSTEM.splitlines()[0]),
            JsonAnswer(DEBRIEF_ANSWER),
        )
    )
    extraction = await ai.read_stats(images, note=None)
    text = await ai.write_debrief(facts_for(extraction.raw_stats))
    read, write = _billed(stub)
    if (read.prompt_tokens, write.candidates_tokens) != (
        extraction.usage.prompt_tokens,
        text.usage.output_tokens,
    ):
        raise RuntimeError("the adapter's usage disagrees with what the stub billed")
    return Debrief(case, read, write, images)


def _billed(stub: GeminiStub) -> tuple[Usage, Usage]:
    requests = stub.requests
    if len(requests) != 2 or any(r.status != 200 or r.usage is None for r in requests):
        raise RuntimeError(f"expected two answered calls, the stub saw {requests!r}")
    read, write = (request.usage or Usage() for request in requests)
    return read, write


def facts_for(raw_stats: dict[str, Any] | Any) -> dict[str, Any]:
    """The facts the bot sends for this match: compared with ten earlier ones of the mode."""
    stats = MatchStats.model_validate(raw_stats)
    now = datetime.now(UTC)
    match = _match("new", stats, now)
    history = [
        _match(f"old-{i}", _varied(stats, i), now - timedelta(hours=i + 1)) for i in range(HISTORY)
    ]
    return compare_match(match, history, _bests(history)).facts()


def _match(match_id: str, stats: MatchStats, played_at: datetime) -> Match:
    return Match(
        id=match_id,
        guild_id=1,
        channel_id=2,
        user_id=3,
        interaction_id=played_at.toordinal(),
        stats=stats,
        source=MatchSource.AI,
        played_at=played_at,
        created_at=played_at,
        updated_at=played_at,
    )


def _varied(stats: MatchStats, step: int) -> MatchStats:
    """An earlier match: the same scoreboard with the player's deaths, assists and score a
    little different (kills stay, so the weapons still add up)."""
    player = stats.player
    changed = player.model_copy(
        update={
            "deaths": max(1, player.deaths - 3 + step % 5),
            "assists": max(0, player.assists + 2 - step % 4),
            "score": max(0, player.score - 150 * (step % 6)),
        }
    )
    return stats.model_copy(update={"player": changed})


def _bests(history: Sequence[Match]) -> dict[Stat, float]:
    """Each stat's best over `history` (lowest deaths, highest everything else)."""
    bests: dict[Stat, float] = {}
    for match in history:
        for stat in stats_for_mode(match.stats.mode):
            value = stat_value(match.stats, stat.value)
            if value is None:
                continue
            best = bests.get(stat)
            if best is None or (value > best if stat.higher_is_better else value < best):
                bests[stat] = value
    return bests


def cost_rows(debriefs: Sequence[Debrief], prices: Prices) -> list[list[str]]:
    rows = []
    for item in debriefs:
        total = item.total
        sizes = ", ".join(f"{i.width}x{i.height} {len(i.data) / 1024:,.0f} KiB" for i in item.sent)
        cost = item.cost(prices)
        rows.append(
            [
                item.case.screens,
                item.case.resolution,
                item.case.sent_as,
                sizes,
                f"{total.image_tokens:,}",
                f"{total.text_tokens:,}",
                f"{total.candidates_tokens:,}",
                f"{total.total_tokens:,}",
                f"${cost:.6f}",
                f"${cost * 1000:.2f}",
            ]
        )
    return rows


COST_HEADERS = (
    "screenshots",
    "resolution",
    "sent",
    "images sent",
    "image tokens",
    "text prompt tokens",
    "output tokens",
    "total tokens",
    "$ per debrief",
    "$ per 1,000 debriefs",
)


def saving_rows(debriefs: Sequence[Debrief], prices: Prices) -> list[list[str]]:
    """Per screenshot set and resolution: what the preparation saves."""
    rows = []
    for before, after in zip(debriefs[::2], debriefs[1::2], strict=True):
        saved = before.total.total_tokens - after.total.total_tokens
        rows.append(
            [
                before.case.screens,
                before.case.resolution,
                f"{before.total.total_tokens:,} → {after.total.total_tokens:,}",
                f"{saved:,} ({saved / before.total.total_tokens:.0%})",
                f"${(before.cost(prices) - after.cost(prices)) * 1000:.2f}",
            ]
        )
    return rows


SAVING_HEADERS = (
    "screenshots",
    "resolution",
    "tokens per debrief, as uploaded → prepared",
    "tokens saved",
    "$ saved per 1,000 debriefs",
)


def call_rows(item: Debrief, prices: Prices) -> list[list[str]]:
    return [
        [
            name,
            f"{usage.image_tokens:,}",
            f"{usage.text_tokens:,}",
            f"{usage.candidates_tokens:,}",
            f"${prices.cost(usage.prompt_tokens, usage.candidates_tokens):.6f}",
        ]
        for name, usage in (("read_stats", item.read), ("write_debrief", item.write))
    ]


CALL_HEADERS = ("call", "image tokens", "text prompt tokens", "output tokens", "$")


@dataclass(frozen=True)
class Options:
    model: str
    prices: Prices


def parse_args(argv: Sequence[str]) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m bench.gemini_cost",
        description="Tokens and dollars per debrief, before and after the image preparation.",
    )
    parser.add_argument("--model", default=DEFAULT_MODEL, help="the model the calls name")
    parser.add_argument("--input-price", type=float, help="USD per million input tokens")
    parser.add_argument("--output-price", type=float, help="USD per million output tokens")
    args = parser.parse_args(argv)
    published = PUBLISHED_PRICES.get(args.model)
    if published is None and (args.input_price is None or args.output_price is None):
        parser.error(f"no published prices known for {args.model}: give both prices")
    input_price, output_price = published or (0.0, 0.0)
    prices = Prices(
        input_price if args.input_price is None else args.input_price,
        output_price if args.output_price is None else args.output_price,
    )
    if min(prices.input_per_million, prices.output_per_million) < 0:
        parser.error("prices cannot be negative")
    return Options(args.model, prices)


async def run(options: Options) -> None:
    async with GeminiStub() as stub:
        settings = load_settings(
            _env_file=None,
            debrief_env="development",
            gemini_api_key=SecretStr(stub.api_key),
            gemini_base_url=stub.base_url,
            gemini_model=options.model,
        )
        ai = build_gemini(settings)
        try:
            debriefs = [await debrief(stub, ai, case) for case in cases()]
        finally:
            await ai.aclose()
    print_figures(debriefs, options)


def print_figures(debriefs: Sequence[Debrief], options: Options) -> None:
    prices = options.prices
    print(
        f"Model {options.model}: ${prices.input_per_million:.2f} per million input tokens, "
        f"${prices.output_per_million:.2f} per million output tokens "
        f"(published prices looked up on {PRICES_AS_OF}, unless overridden).\n"
    )
    print(markdown_table(COST_HEADERS, cost_rows(debriefs, prices)))
    print()
    print(markdown_table(SAVING_HEADERS, saving_rows(debriefs, prices)))
    print()
    prepared = next(d for d in debriefs if d.case.prepared and d.case.screens == "scoreboard")
    print(f"The two calls of one debrief ({prepared.case.resolution} scoreboard, prepared):\n")
    print(markdown_table(CALL_HEADERS, call_rows(prepared, prices)))


def main(argv: Sequence[str] | None = None) -> None:
    options = parse_args(sys.argv[1:] if argv is None else argv)
    quiet_logging()
    asyncio.run(run(options))


if __name__ == "__main__":
    main()
