"""A person's walk through the dashboard in Chromium: Login with Discord (the emulator's
OAuth2), my matches (filters, paging, CSV), a match (correct, delete), trends with a
squadmate, my servers (leaderboard switch, settings as admin, refused as member), log out.

Every page is screenshotted into the artifacts folder, at desktop and at phone width.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.async_api import Locator, Page, expect

from app.shared.runtime import Runtime
from devtools.discord_emulator import DiscordEmulator
from tests.e2e.sandbox.conftest import VIEWPORT

from .squad import HEADLINE, RECENT_MATCHES, Squad, seed_squad

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
MATCH_LINK = re.compile(r"/dashboard/matches/([0-9a-f]{24})$")


@pytest.fixture(scope="module")
async def squad(app: FastAPI, emulator: DiscordEmulator) -> Squad:
    runtime: Runtime = app.state.runtime
    return await seed_squad(emulator, runtime)


async def shot(page: Page, artifacts: Path, name: str) -> None:
    await page.screenshot(path=artifacts / f"{name}.png", full_page=True)


async def listed_ids(page: Page) -> list[str]:
    hrefs = await page.locator("table.matches tbody a").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    return [MATCH_LINK.search(href).group(1) for href in hrefs]  # type: ignore[union-attr]


def nav(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Dashboard").get_by_role("link", name=name)


async def log_in(page: Page, base_url: str) -> None:
    await page.goto(f"{base_url}/")
    await page.get_by_role("link", name="Login with Discord").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("My matches")


async def test_walk_every_page(page: Page, base_url: str, squad: Squad, artifacts: Path) -> None:
    await page.goto(f"{base_url}/")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Debrief")
    await shot(page, artifacts, "01-landing")
    # The skip link comes first for a keyboard.
    await page.keyboard.press("Tab")
    await expect(page.get_by_role("link", name="Skip to content")).to_be_focused()

    await log_in(page, base_url)
    assert page.url == f"{base_url}/dashboard/matches"
    first_page = await listed_ids(page)
    assert len(first_page) == 20
    await shot(page, artifacts, "02-matches")

    await page.get_by_role("link", name="Older matches").click()
    second_page = await listed_ids(page)
    assert len(second_page) == squad.total_matches - 20
    assert not set(first_page) & set(second_page), "a match was listed on both pages"
    await page.get_by_role("link", name="Newest matches").click()
    assert await listed_ids(page) == first_page

    await page.get_by_label("Mode").select_option("search_and_destroy")
    await page.get_by_label("Period").select_option("week")
    await page.get_by_role("button", name="Apply").click()
    rows = page.locator("table.matches tbody tr")
    await expect(rows.first).to_contain_text("Search and Destroy")
    modes = await rows.locator("td:nth-child(2)").all_inner_texts()
    assert modes and set(modes) == {"Search and Destroy"}
    assert len(modes) == len([i for i in range(RECENT_MATCHES) if i % 4 == 3])
    await shot(page, artifacts, "03-matches-filtered")

    csv_link = page.get_by_role("link", name="Download these matches as CSV")
    export = await page.request.get(base_url + (await csv_link.get_attribute("href") or ""))
    assert export.ok and export.headers["content-type"].startswith("text/csv")
    assert len((await export.text()).strip().splitlines()) == 1 + len(modes)

    await page.goto(f"{base_url}/dashboard/matches/{squad.newest.id}")
    await expect(page.get_by_text(HEADLINE)).to_be_visible()
    await expect(page.get_by_text("Written from your numbers alone, without AI.")).to_be_visible()
    flags = page.locator("section[aria-labelledby='flags-heading']")
    await expect(flags.locator("h3")).to_have_text(
        [re.compile("^Names the catalog does not know"), re.compile("^Where two readers")]
    )
    await expect(flags.locator("ul.flags").first).to_have_text(
        "Weapon 'Ray Gun Mk9' isn't in the catalog (kept as read)"
    )
    await expect(flags.locator("ul.flags").last).to_have_text("Check: kills 14 or 34?")
    await shot(page, artifacts, "04-match")

    kills = page.get_by_label("Kills", exact=True)
    await kills.fill("400")
    await page.get_by_role("button", name="Save the correction").click()
    refused = page.get_by_role("alert")
    await expect(refused).to_contain_text("Nothing was saved")
    await expect(refused.get_by_role("link", name="Kills", exact=True)).to_be_visible()
    await expect(refused).not_to_contain_text("player.")
    await expect(kills).to_have_attribute("aria-invalid", "true")
    await shot(page, artifacts, "05-match-correction-refused")
    await kills.fill("29")
    await page.get_by_label("Kills (weapon 1)").fill("25")
    await page.get_by_role("button", name="Save the correction").click()
    await expect(page.get_by_role("status")).to_have_text("Your correction was saved.")
    kills_shown = page.locator(".stat-grid div").filter(has=page.locator("dt", has_text="Kills"))
    await expect(kills_shown.locator("dd")).to_have_text("29")
    await expect(page.locator(".meta")).to_contain_text("corrected by hand")
    # A correction of every field settles the readers' disagreement; the weapon is now known.
    await expect(flags).to_contain_text("No flags")

    await page.get_by_label("Yes, delete this match").check()
    await page.get_by_role("button", name="Delete the match").click()
    await expect(page.get_by_role("status")).to_have_text("The match was deleted.")
    assert squad.newest.id not in await listed_ids(page)
    await page.goto(f"{base_url}/dashboard/matches/{squad.newest.id}")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Not found")

    await page.get_by_role("link", name="Back to your dashboard").click()
    await nav(page, "Trends").click()
    await page.get_by_label("Stat").select_option("kills")
    await page.get_by_label("Server").select_option(str(squad.own_server.id))
    await page.get_by_role("button", name="Show").click()
    await page.get_by_label("Compare with").select_option(str(squad.teammate_id))
    await page.get_by_role("button", name="Show").click()
    chart = page.get_by_role("img", name="Kills trend")
    await expect(chart.locator("polyline")).to_have_count(4)
    await expect(page.locator(".legend")).to_contain_text("teammate, average")
    side_by_side = page.locator("table.compare")
    await expect(side_by_side.locator("tbody tr")).to_have_count(5)
    await expect(side_by_side).to_contain_text("Best Kills")
    await shot(page, artifacts, "06-trends")

    await nav(page, "My servers").click()
    await expect(page.get_by_role("link", name=squad.community.name)).to_be_visible()
    await page.get_by_role("link", name=squad.own_server.name).click()
    board = page.locator("table.leaderboard")
    await expect(board.locator("caption")).to_have_text("K/D, all time")
    await page.get_by_label("Stat").select_option("kills")
    await page.get_by_label("Period").select_option("all")
    await page.get_by_role("button", name="Show").click()
    await expect(board.locator("caption")).to_have_text("Kills, all time")
    await expect(board.locator("tbody tr")).to_have_count(2)
    await expect(page.get_by_role("heading", name=re.compile("This week so far"))).to_be_visible()
    digest = page.locator("blockquote.digest")
    await expect(digest.locator("strong")).to_have_text(re.compile(r"^Week \d{4}-W\d{2}$"))
    await expect(digest).to_contain_text("Top K/D: 1. teammate 1.50")
    await shot(page, artifacts, "07-server-admin")

    await page.get_by_label("Digest hour (UTC, 0–23)").fill("30")
    await page.get_by_role("button", name="Save the settings").click()
    await expect(page.get_by_role("alert")).to_contain_text(
        "Digest hour: 30 is more than the maximum of 23"
    )
    hour = page.get_by_label("Digest hour (UTC, 0–23)")
    await expect(hour).to_have_attribute("aria-invalid", "true")
    await expect(hour).to_have_accessible_description("30 is more than the maximum of 23")
    await page.get_by_label("Digest channel id").fill(str(squad.channel.id))
    await page.get_by_label("Digest hour (UTC, 0–23)").fill("20")
    await page.get_by_label("Digest day").select_option("5")
    await page.get_by_role("button", name="Save the settings").click()
    await expect(page.get_by_role("status")).to_have_text("The settings were saved.")
    await expect(page.get_by_label("Digest day")).to_have_value("5")
    await expect(page.get_by_label("Digest channel id")).to_have_value(str(squad.channel.id))
    await shot(page, artifacts, "08-server-settings-saved")

    await nav(page, "My servers").click()
    await page.get_by_role("link", name=squad.community.name).click()
    await expect(page.locator("#settings")).to_contain_text("Only the server's admins")
    await expect(page.get_by_role("button", name="Save the settings")).to_have_count(0)
    # A member who forges the admin's form anyway gets the refusal as a page.
    await page.evaluate(
        """guild => {
            const form = document.createElement('form');
            form.method = 'post';
            form.action = `/dashboard/servers/${guild}/settings`;
            const csrf = document.cookie.split('; ').find(c => c.startsWith('debrief_csrf='));
            for (const [name, value] of [['csrf_token', csrf.split('=')[1]],
                                          ['digest_hour_utc', '3']]) {
                const input = document.createElement('input');
                input.type = 'hidden'; input.name = name; input.value = value;
                form.append(input);
            }
            document.body.append(form);
            form.submit();
        }""",
        str(squad.community.id),
    )
    await expect(page.get_by_role("heading", level=1)).to_have_text("Forbidden")
    await expect(page.locator("main")).to_contain_text("Manage Server")
    await shot(page, artifacts, "09-settings-refused-as-member")

    await page.set_viewport_size(PHONE)
    for path, name in (
        ("/dashboard/matches", "10-phone-matches"),
        (f"/dashboard/matches/{first_page[1]}", "11-phone-match"),
        (f"/dashboard/servers/{squad.own_server.id}", "12-phone-server"),
    ):
        await page.goto(base_url + path)
        overflow = await page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        await shot(page, artifacts, name)
        assert overflow <= 0, f"{path} scrolls sideways at phone width"

    # The access cookie ends with its token (15 minutes); the session page renews it.
    await page.set_viewport_size(VIEWPORT)
    await page.context.clear_cookies(name="debrief_access")
    await page.goto(f"{base_url}/dashboard/trends?stat=deaths")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Trends")
    assert page.url == f"{base_url}/dashboard/trends?stat=deaths"

    await page.get_by_role("button", name="Log out").click()
    await expect(page.get_by_role("link", name="Login with Discord")).to_be_visible()
    await page.goto(f"{base_url}/dashboard/matches")
    assert page.url.startswith(f"{base_url}/?next=")
