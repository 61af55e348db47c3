"""What a debrief and an /ask cost in Gemini tokens and dollars, per model, thinking included.

    python -m bench.gemini_cost
    python -m bench.gemini_cost --model gemini-2.5-flash                 # the preparation table
    python -m bench.gemini_cost --input-price 0.30 --output-price 2.50   # other prices

A debrief is the two calls the bot makes for one `/debrief`: `read_stats` with the
screenshots, then `write_debrief` with the facts computed from the player's history; an /ask
is `plan_query` then `phrase_answer`. Every call goes through the real `GeminiAI` adapter
(google-genai client) to the local Gemini stub, held to Gemini's request contract, whose usage
accounting follows Gemini's published rules: on Gemini 2.5, 258 tokens per 768x768 image
tile; on Gemini 3, 280/560/1,120 tokens an image by media resolution; about four characters a
text token; thinking tokens by the request's thinking setting (the stub's stand-in figures:
Google publishes none). Prints Markdown tables:

1. per model (the default and the alternatives), a debrief and an /ask, before and after
   issue 12 (before: gemini-2.5-flash without any thinking control, so thinking dynamically);
2. for ``--model``, the screenshots as uploaded and as prepared, at 1080p and 1440p.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from PIL import Image
from pydantic import SecretStr

from app.core.ai import AnswerRows, PreparedImage
from app.core.ask import FIELDS
from app.core.debriefing.comparison import compare_match
from app.core.game.metrics import Stat, stat_value, stats_for_mode
from app.core.game.modes import MatchStats
from app.core.matches import Match, MatchSource
from app.shared.gemini import GeminiAI, build_gemini, prompts
from app.shared.gemini.models import DEFAULT_MODEL, SUPPORTED_MODELS
from app.shared.images import PillowImagePreparer
from app.shared.settings import Settings, load_settings
from bench.common import markdown_table, quiet_logging
from devtools.gemini_stub import GeminiStub, JsonAnswer, Rule, Usage
from devtools.gemini_stub import Match as StubMatch
from devtools.gemini_stub.models import DYNAMIC_THOUGHTS
from devtools.samples import load_manifest

PNG = "image/png"
SAMPLE_MATCH = "hardpoint_den"
RESOLUTIONS = {"1080p": (1920, 1080), "1440p": (2560, 1440)}
HISTORY = 10
PER_MILLION = 1_000_000
# Paid tier, standard (not batch) rates, USD per million tokens; thinking tokens are billed as
# output. From the app's model table; sources and date: docs/gemini-models.md.
PUBLISHED_PRICES = {
    name: (model.input_price, model.output_price) for name, model in SUPPORTED_MODELS.items()
}
PRICES_AS_OF = "2026-12-06"
# The model the app used before issue 12, and the alternatives compared with the default.
BEFORE_MODEL = "gemini-2.5-flash"
ALTERNATIVES = ("gemini-3.8-flash", "gemini-3.1-flash-lite")
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
    # The scoreboard's other rows, which Gemini lists beside the player's stats.
    lobby: tuple[dict[str, Any], ...] = ()


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
        return prices.cost(self.total.prompt_tokens, self.total.output_tokens)


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
        board_png, guns_png = (upscaled(s.read_bytes(), size) for s in (scoreboard, weapons))
        board = Screenshot("scoreboard", board_png, scoreboard.answer, scoreboard.lobby)
        guns = Screenshot("weapons", guns_png, weapons.answer, weapons.lobby)
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


async def debrief(
    stub: GeminiStub, ai: GeminiAI, case: Case, *, with_lobby: bool = False
) -> Debrief:
    """Read the case's screenshots and write the debrief, as the bot does for one match:
    `with_lobby`, in a server where a squad mate could be captured from the other rows."""
    stub.reset()
    images = images_for(case)
    # The answer for the whole set: a weapons screen is read together with its scoreboard.
    shot = case.screenshots[-1]
    answer = {**shot.answer, "lobby": list(shot.lobby), "readable": True}
    hashes = tuple(hashlib.sha256(image.data).hexdigest() for image in images)
    # The other rows only when the request's schema asks for them, as the model answers.
    stub.add_rule(
        Rule.always(StubMatch(image_sha256=hashes), JsonAnswer(answer, if_asked=("lobby",)))
    )
    stub.add_rule(
        Rule.always(
            StubMatch(prompt_contains=prompts.DEBRIEF_SYSTEM.splitlines()[0]),
            JsonAnswer(DEBRIEF_ANSWER),
        )
    )
    extraction = await ai.read_stats(images, note=None, with_lobby=with_lobby)
    text = await ai.write_debrief(facts_for(extraction.raw_stats))
    read, write = _billed(stub, 2)
    if (read.prompt_tokens, write.output_tokens) != (
        extraction.usage.prompt_tokens,
        text.usage.output_tokens,
    ):
        raise RuntimeError("the adapter's usage disagrees with what the stub billed")
    return Debrief(case, read, write, images)


def _billed(stub: GeminiStub, calls: int) -> tuple[Usage, Usage]:
    """The usage of the last two of ``calls`` answered calls."""
    requests = stub.requests
    if len(requests) != calls or any(r.status != 200 or r.usage is None for r in requests):
        raise RuntimeError(f"expected {calls} answered calls, the stub saw {requests!r}")
    first, second = (request.usage or Usage() for request in requests[-2:])
    return first, second


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
                f"{total.thoughts_tokens:,}",
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
    "answer tokens",
    "thinking tokens",
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
            f"{usage.thoughts_tokens:,}",
            f"${prices.cost(usage.prompt_tokens, usage.output_tokens):.6f}",
        ]
        for name, usage in (("read_stats", item.read), ("write_debrief", item.write))
    ]


CALL_HEADERS = (
    "call",
    "image tokens",
    "text prompt tokens",
    "answer tokens",
    "thinking tokens",
    "$",
)


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


ASK_QUESTION = "who has the most kills on Den this week?"
ASK_PLAN = {
    "answerable": True,
    "title": "Kills by player",
    "pipeline_json": (
        '[{"$match": {"stats.map": "Den"}}, {"$group": {"_id": "$user_id", '
        '"kills": {"$sum": "$stats.player.kills"}}}, {"$sort": {"kills": -1}}]'
    ),
}
ASK_ROWS = AnswerRows(
    question=ASK_QUESTION,
    title="Kills by player",
    columns=("player", "kills"),
    rows=tuple((f"<@{1000 + n}>", 40 - 3 * n) for n in range(5)),
)
ASK_SENTENCE = {"sentence": "Your squadmate leads with 40 kills on Den, three ahead of you."}


async def ask(stub: GeminiStub, ai: GeminiAI) -> tuple[Usage, Usage]:
    """Plan and phrase one /ask as the API does; the usage of each call."""
    stub.reset()
    for system, answer in ((prompts.PLAN_SYSTEM, ASK_PLAN), (prompts.PHRASE_SYSTEM, ASK_SENTENCE)):
        marker = system.splitlines()[0]
        stub.add_rule(Rule.always(StubMatch(prompt_contains=marker), JsonAnswer(answer)))
    await ai.plan(ASK_QUESTION, FIELDS)
    await ai.phrase(ASK_ROWS)
    return _billed(stub, 2)


@dataclass(frozen=True)
class ModelFigures:
    """One debrief (1080p scoreboard, prepared) and one /ask on one model."""

    label: str
    model: str
    debrief_calls: tuple[Usage, Usage]
    ask_calls: tuple[Usage, Usage]
    # The same debrief where the other rows are asked for (a server with capture opted in).
    lobby_debrief_calls: tuple[Usage, Usage]

    def as_before_issue_12(self) -> ModelFigures:
        """The same calls with no thinking control, as the app sent them before issue 12:
        Gemini 2.5 then thinks dynamically (the stub's figure for an unset budget)."""
        unset = tuple(replace(call, thoughts_tokens=DYNAMIC_THOUGHTS) for call in self.all)
        return ModelFigures(
            "before: no thinking control",
            self.model,
            (unset[0], unset[1]),
            (unset[2], unset[3]),
            (unset[4], unset[5]),
        )

    @property
    def all(self) -> tuple[Usage, ...]:
        return (*self.debrief_calls, *self.ask_calls, *self.lobby_debrief_calls)


async def model_figures(stub: GeminiStub, model: str, label: str) -> ModelFigures:
    ai = build_gemini(_settings(stub, model))
    try:
        case = next(c for c in cases() if c.prepared and c.resolution == "1080p")
        one = await debrief(stub, ai, case)
        with_lobby = await debrief(stub, ai, case, with_lobby=True)
        asked = await ask(stub, ai)
    finally:
        await ai.aclose()
    return ModelFigures(
        label, model, (one.read, one.write), asked, (with_lobby.read, with_lobby.write)
    )


def model_rows(figures: Sequence[ModelFigures]) -> list[list[str]]:
    rows = []
    for item in figures:
        input_price, output_price = PUBLISHED_PRICES[item.model]
        prices = Prices(input_price, output_price)
        for what, calls in (
            ("debrief", item.debrief_calls),
            ("debrief, lobby read", item.lobby_debrief_calls),
            ("/ask", item.ask_calls),
        ):
            total = calls[0] + calls[1]
            cost = prices.cost(total.prompt_tokens, total.output_tokens)
            rows.append(
                [
                    f"{item.model} ({item.label})",
                    what,
                    f"{total.image_tokens:,}",
                    f"{total.text_tokens:,}",
                    f"{total.candidates_tokens:,}",
                    f"{total.thoughts_tokens:,}",
                    f"{total.total_tokens:,}",
                    f"${cost:.6f}",
                    f"${cost * 1000:.2f}",
                ]
            )
    return rows


MODEL_HEADERS = (
    "model",
    "per",
    "image tokens",
    "text prompt tokens",
    "answer tokens",
    "thinking tokens",
    "total tokens",
    "$ each",
    "$ per 1,000",
)


async def compare_models(stub: GeminiStub) -> list[ModelFigures]:
    """The default, the alternatives, and gemini-2.5-flash after and before issue 12."""
    figures = [await model_figures(stub, DEFAULT_MODEL, "default")]
    figures += [await model_figures(stub, model, "alternative") for model in ALTERNATIVES]
    after = await model_figures(stub, BEFORE_MODEL, "after: thinking set per task")
    return [*figures, after, after.as_before_issue_12()]


def _settings(stub: GeminiStub, model: str) -> Settings:
    return load_settings(
        _env_file=None,
        debrief_env="development",
        gemini_api_key=SecretStr(stub.api_key),
        gemini_base_url=stub.base_url,
        gemini_model=model,
    )


async def run(options: Options) -> None:
    async with GeminiStub() as stub:
        compared = await compare_models(stub)
        ai = build_gemini(_settings(stub, options.model))
        try:
            debriefs = [await debrief(stub, ai, case) for case in cases()]
        finally:
            await ai.aclose()
    print_models(compared)
    print_figures(debriefs, options)


def print_models(figures: Sequence[ModelFigures]) -> None:
    print(
        "A debrief (1080p scoreboard, prepared) and an /ask, per model, at the published "
        f"prices looked up on {PRICES_AS_OF}; thinking tokens are billed as output.\n"
    )
    print(markdown_table(MODEL_HEADERS, model_rows(figures)))
    print()


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
