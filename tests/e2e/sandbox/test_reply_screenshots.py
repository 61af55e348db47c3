"""Each reply of issue 15 as the sandbox console shows it, in a real browser: the pictures in
docs/commands.md.

The real bot answers real commands (sent through the emulator as the sandbox's player); the
console renders the channel; each reply is checked on the page and photographed. The pictures
go to a temporary directory, or to `DEBRIEF_REPLY_SCREENSHOTS` when it is set:

    DEBRIEF_REPLY_SCREENSHOTS=docs/images/replies python -m pytest \\
        tests/e2e/sandbox/test_reply_screenshots.py
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from beanie import init_beanie
from PIL import Image
from playwright.async_api import Browser, Locator, Page, expect

from app.core.ask.local.errors import QuestionOutsideShapes
from app.shared.db.connection import connect_database
from app.shared.db.documents import DOCUMENT_MODELS
from app.shared.embedded_db import free_port
from app.shared.gemini import prompts
from app.shared.settings import load_settings
from devtools.discord_emulator import InteractionHandle, Message
from devtools.gemini_stub import JsonAnswer, Match, Rule
from devtools.sandbox.orchestrator import Sandbox, SandboxOptions, open_sandbox
from tests.e2e.bot.support import (
    DEBRIEF_ACK,
    DIGEST_CHECK_INTERVAL_S,
    OVERLOAD_SCOREBOARD,
    attach_sample,
    buttons,
    debrief,
    filled,
    hardpoint,
    hours_ago,
    invoke,
    private_outcome,
    program_stub,
    seed_matches,
)

from .console_page import loaded_width, open_console

pytestmark = pytest.mark.e2e

# Narrower than the other console tests: the pictures are of one message each, as wide as a
# Discord chat column, and stay small.
SHOT_VIEWPORT = {"width": 900, "height": 1400}
# The player's last eight Hardpoint matches, newest first: a rising hill time.
KILLS = (26, 29, 20, 27, 22, 16, 24, 18)
HILL_TIMES_S = (151, 160, 104, 142, 117, 88, 130, 95)
# Pictures are stored with a small palette: a few tens of kB each, no visible banding.
PALETTE_COLOURS = 96
# Matches played once the season started (kills, deaths), for the leaderboard of the season.
SEASON_MATCHES = {
    "player": [hardpoint(kills=k, deaths=d) for k, d in ((27, 19), (31, 22), (24, 21))],
    "teammate": [hardpoint(kills=k, deaths=d) for k, d in ((22, 21), (25, 20), (19, 22))],
}
# A match typed into /log, and what the cooldown then keeps from being saved.
SND_FORM = {
    "Map": "Exposure",
    "Result and score (yours first)": "win 6-3",
    "Your score": "2950",
    "Kills / deaths / assists": "11/6/3",
    "Plants and defuses": "2 1",
}
DIGEST_PROMPT = prompts.DIGEST_SYSTEM.splitlines()[0]
# What the stub writes for the two matches the pictures debrief, told apart by their maps: a
# debrief that talks of the match it is under (the shared test debrief is a Hardpoint one).
DEBRIEFS_BY_MAP = {
    "Scar": {
        "headline": "3 overloads and 2:21 on the device won Scar",
        "strengths": ["3 overloads, the most of any player", "24 kills for 18 deaths"],
        "to_work_on": [
            "18 deaths: hold the lane after each overload",
            "8 assists: stay closer to the carrier",
        ],
    },
    "Exposure": {
        "headline": "Two plants and a defuse closed out Exposure 6\N{EN DASH}3",
        "strengths": ["2 plants and 1 defuse", "11 kills for 6 deaths"],
        "to_work_on": [
            "3 assists: trade for your team more often",
            "2,950 score: play the bomb earlier in the round",
        ],
    },
}
DIGEST_TEXT = (
    "A strong week on the hill: eleven matches, hill time up every night. "
    "Next week, close out the Search and Destroy rounds."
)
# Every picture the test takes: the ones docs/commands.md shows.
PICTURES = (
    "debrief",
    "fix-saved",
    "delete-question",
    "log-refused",
    "log-saved",
    "log-cooldown",
    "history",
    "history-no-matches",
    "trend",
    "compare",
    "session",
    "leaderboard",
    "stat-mode-clash",
    "ask-answer",
    "ask-outside-shapes",
    "link",
    "season-results",
    "digest",
)


@pytest.fixture(scope="module")
def shots_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("DEBRIEF_REPLY_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("reply-shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
async def sandbox(
    mongodb_uri: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Sandbox]:
    name = f"debrief_shots_{uuid.uuid4().hex[:8]}"
    settings = load_settings(
        debrief_env="sandbox", debrief_data_dir=tmp_path_factory.mktemp("shots")
    )
    options = SandboxOptions(
        api_port=free_port(),
        console_port=free_port(),
        database_uri=mongodb_uri,
        database_name=name,
        # The digest schedule looks every second, so a digest set for this hour is posted now.
        extra_env={"DIGEST_CHECK_INTERVAL_S": str(DIGEST_CHECK_INTERVAL_S)},
    )
    async with connect_database(mongodb_uri, name, app_name="debrief-shots") as database:
        await init_beanie(database=database.db, document_models=DOCUMENT_MODELS)
        async with open_sandbox(settings, options) as opened:
            program_stub(opened.stub)
            write_debriefs_by_map(opened)
            yield opened
            opened.emulator.assert_no_spec_violations()
        await database.client.drop_database(name)


@pytest.fixture
async def console(browser: Browser, sandbox: Sandbox) -> AsyncIterator[Page]:
    """The console, acting as the sandbox's player, in UTC."""
    context = await browser.new_context(
        viewport=SHOT_VIEWPORT,  # type: ignore[arg-type]
        locale="en-US",
        timezone_id="UTC",
    )
    page = await context.new_page()
    assert sandbox.console_url is not None
    await open_console(page, sandbox.console_url)
    yield page
    await context.close()


async def photograph(page: Page, shots: Path, name: str, text: str) -> Locator:
    """The one message showing `text`, checked visible and saved as `<name>.png`."""
    shown = page.locator("#message-list > li").filter(has_text=text).last
    await expect(shown).to_be_visible()
    raw = await shown.screenshot(animations="disabled")
    picture = Image.open(io.BytesIO(raw)).convert("RGB").quantize(colors=PALETTE_COLOURS)
    picture.save(shots / f"{name}.png", optimize=True)
    return shown


async def test_the_replies_as_the_console_shows_them(
    sandbox: Sandbox, console: Page, shots_dir: Path
) -> None:
    player, teammate = sandbox.world.player, sandbox.world.teammate

    # /debrief with a note: the match, the note under it, Fix and Delete.
    handle = debrief(
        sandbox, player, attach_sample(sandbox, OVERLOAD_SCOREBOARD), note="Lag spike in round 2"
    )
    await private_outcome(handle, DEBRIEF_ACK)
    posted = await handle.wait_for_followup()
    shown = await photograph(console, shots_dir, "debrief", "Lag spike in round 2")
    await expect(shown).to_contain_text("3 overloads and 2:21 on the device won Scar")
    await expect(shown.locator(".embed-field").filter(has_text="Note")).to_be_visible()

    # Fix: what the correction changed, privately.
    match_id = next(iter(buttons(posted))).rsplit(":", 1)[1]
    fix = sandbox.emulator.driver.click_button(posted.id, f"debrief:fix:{match_id}", member=player)
    fixed = sandbox.emulator.driver.submit_modal(
        fix, filled(await fix.wait_for_modal(), {"Kills / deaths / assists": "26/18/8"})
    )
    await fixed.wait_for_followup()
    await photograph(console, shots_dir, "fix-saved", "Saved: kills 24 → 26")

    # Delete: asked first.
    asked = sandbox.emulator.driver.click_button(
        posted.id, f"debrief:delete:{match_id}", member=player
    )
    await asked.wait_for_ack()
    question = await photograph(console, shots_dir, "delete-question", "Delete this match (")
    await expect(question.get_by_role("button", name="Cancel")).to_be_visible()

    # /log refused: every box named, and the way back into the form.
    refused = await log_refusal(sandbox)
    shown = await photograph(console, shots_dir, "log-refused", "Some boxes can't be read")
    await expect(shown.get_by_role("button", name="Edit again")).to_be_visible()
    assert "Edit again" in buttons(refused).values()

    # /log: the match it saved, then the cooldown that keeps the next one back.
    await photograph_log(sandbox, console, shots_dir)

    # /history, /trend, /compare and /session over seeded matches.
    await seed_matches(
        sandbox,
        player,
        [
            hardpoint(kills=kills, deaths=20, objective_time_s=seconds)
            for kills, seconds in zip(KILLS, HILL_TIMES_S, strict=True)
        ],
        hours_ago(8),
    )
    await seed_matches(sandbox, teammate, [hardpoint(kills=25, deaths=22)] * 3, hours_ago(3))
    await answered(invoke(sandbox, "history", player, mode="hardpoint"), "Fetching matches…")
    await photograph(console, shots_dir, "history", "Your matches · Hardpoint")

    nothing = invoke(sandbox, "history", player, mode="hardpoint", map="Scar")
    await answered(nothing, "Fetching matches…")
    await photograph(console, shots_dir, "history-no-matches", "No matches match these filters")

    chart = invoke(sandbox, "trend", player, stat="objective_time_s", last=20)
    await answered(chart, "Drawing your chart…")
    shown = await photograph_chart(console, shots_dir, "trend", "Hill time · your last")
    assert re.search(r"Hill time · your last \d+ Hardpoint matches", await shown.inner_text())

    side_by_side = invoke(sandbox, "compare", player, player=teammate.user.id, stat="kills")
    await answered(side_by_side, "Comparing…")
    await photograph_chart(console, shots_dir, "compare", "Best Kills")

    await answered(invoke(sandbox, "session", player), "Adding up your session…")
    await photograph(console, shots_dir, "session", "Current session · ")

    # /ask: a question the sandbox's local planner does not read, then one it answers; with no
    # /ask cooldown, so the second is not held back by the first (debrief keeps its default 30).
    no_wait = invoke(sandbox, "config", player, subcommand="cooldowns", debrief=30, ask=0)
    assert (await private_outcome(no_wait, "Saving…")).content == "Saved."
    poem = invoke(sandbox, "ask", player, question="write a poem about my squad")
    refused = await private_outcome(poem, "Thinking about it…")
    assert refused.content == QuestionOutsideShapes().user_message
    await photograph(console, shots_dir, "ask-outside-shapes", "can't read that question")
    asked = invoke(sandbox, "ask", player, question="what is my average K/D this week")
    await answered(asked, "Thinking about it…")
    await photograph(console, shots_dir, "ask-answer", "K/D this week")

    # /link, then a season started so that /season results has the one before it to show.
    linked = await private_outcome(invoke(sandbox, "link", player, gamertag="Ghost"), "Linking…")
    assert linked.content.startswith("Linked.")
    await photograph(console, shots_dir, "link", "Your names here: Ghost")
    # Not `invoke`: the season's option is called `name`, as is invoke's command name.
    started = sandbox.emulator.driver.invoke_command(
        "season",
        member=player,
        channel_id=sandbox.world.channel.id,
        subcommand="start",
        options={"name": "Spring"},
    )
    await answered(started, "Starting the season…")
    kept = invoke(sandbox, "season", player, subcommand="results")
    await answered(kept, "Fetching results…")
    await photograph(console, shots_dir, "season-results", "Season results · Before seasons")

    # /leaderboard, by default over the season just started: the matches played since.
    for member, played in (
        (player, SEASON_MATCHES["player"]),
        (teammate, SEASON_MATCHES["teammate"]),
    ):
        await seed_matches(sandbox, member, played, played_just_now(len(played)))
    await answered(invoke(sandbox, "leaderboard", player, stat="kd"), "Ranking…")
    shown = await photograph(
        console, shots_dir, "leaderboard", "Leaderboard · K/D · All modes · Season Spring"
    )
    await expect(shown).to_contain_text("🥇")
    await expect(shown).to_contain_text("🥈")

    clash = invoke(sandbox, "leaderboard", player, stat="defuses", mode="hardpoint")
    await private_outcome(clash, "Ranking…")
    await photograph(console, shots_dir, "stat-mode-clash", "Defuses only exist in Search")

    # The weekly digest, set for this very hour so the schedule posts it at once.
    await photograph_digest(sandbox, console, shots_dir)

    for name in PICTURES:
        assert (shots_dir / f"{name}.png").stat().st_size < 150_000, name


async def photograph_log(sandbox: Sandbox, console: Page, shots: Path) -> None:
    """A typed match saved and posted, then a second /log held back by the cooldown."""
    saved = await log_typed(sandbox, SND_FORM)
    assert saved.content.startswith("Saved as match"), saved.content
    await photograph(console, shots, "log-saved", "Two plants and a defuse closed out Exposure")

    held = await log_typed(sandbox, {**SND_FORM, "Map": "Scar"})
    assert re.fullmatch(r"Slow down: you can use this again in \d+ s\.", held.content)
    shown = await photograph(console, shots, "log-cooldown", "Slow down: you can use this again")
    await expect(shown.get_by_role("button", name="Edit again")).to_be_visible()


async def log_typed(sandbox: Sandbox, form: dict[str, str]) -> Message:
    handle = invoke(sandbox, "log", sandbox.world.player, mode="search_and_destroy")
    submitted = sandbox.emulator.driver.submit_modal(
        handle, filled(await handle.wait_for_modal(), form)
    )
    return await private_outcome(submitted, "Saving your match…")


async def photograph_digest(sandbox: Sandbox, console: Page, shots: Path) -> None:
    sandbox.stub.add_rule(
        Rule.always(Match(prompt_contains=DIGEST_PROMPT), JsonAnswer({"summary": DIGEST_TEXT}))
    )
    now = await an_hour_with_room_to_spare()
    scheduled = invoke(
        sandbox,
        "config",
        sandbox.world.player,
        subcommand="digest",
        channel=sandbox.world.channel.id,
        weekday=now.isoweekday(),
        hour=now.hour,
    )
    assert (await private_outcome(scheduled, "Saving…")).content == "Saved."
    await photograph(console, shots, "digest", DIGEST_TEXT[:40])


def played_just_now(count: int) -> list[datetime]:
    """`count` moments a millisecond apart, newest first, the newest now: all after the season
    started (its start and its results, answered since, took longer than that)."""
    now = datetime.now(UTC)
    return [now - timedelta(milliseconds=step) for step in range(count)]


async def an_hour_with_room_to_spare() -> datetime:
    """Now, unless the hour is about to turn: the digest is set for this very hour."""
    now = datetime.now(UTC)
    left = 3600 - now.minute * 60 - now.second
    if left < 10:
        await asyncio.sleep(left + 1)
        now = datetime.now(UTC)
    return now


def write_debriefs_by_map(sandbox: Sandbox) -> None:
    """Rules added after `program_stub`'s win: these maps get their own debriefs."""
    debrief_prompt = prompts.DEBRIEF_SYSTEM.splitlines()[0]
    for map_name, written in DEBRIEFS_BY_MAP.items():
        sandbox.stub.add_rule(
            Rule.always(
                Match(prompt_contains=debrief_prompt, prompt_regex=rf"\b{map_name}\b"),
                JsonAnswer(written),
            )
        )


async def log_refusal(sandbox: Sandbox) -> Message:
    handle = invoke(sandbox, "log", sandbox.world.player, mode="overload")
    modal = await handle.wait_for_modal()
    submitted = sandbox.emulator.driver.submit_modal(
        handle,
        filled(
            modal,
            {
                "Map": "Scar",
                "Result and score (yours first)": "won by a lot",
                "Your score": "5200",
                "Kills / deaths / assists": "24-18",
                "Overloads and device carry time": "3 2:21",
            },
        ),
    )
    return await private_outcome(submitted, "Saving your match…")


async def answered(handle: InteractionHandle, ack: str) -> Message:
    await private_outcome(handle, ack)
    return await handle.wait_for_followup()


async def photograph_chart(page: Page, shots: Path, name: str, text: str) -> Locator:
    """A message with a chart (/trend, /compare), once the chart has loaded."""
    shown = page.locator("#message-list > li").filter(has_text=text).last
    image = shown.locator(".embed-image img")
    await expect(image).to_be_visible()
    assert await loaded_width(image) == 800
    return await photograph(page, shots, name, text)
