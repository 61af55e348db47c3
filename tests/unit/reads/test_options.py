"""Periods, modes, stats and /ask scopes: one definition for the bot's choices and the API."""

from __future__ import annotations

from datetime import timedelta

from app.api.schemas.ask import AskRequest
from app.api.schemas.guilds import LeaderboardQuery
from app.api.schemas.stats import SummaryQuery, TrendQuery
from app.bot import choices
from app.core.game.metrics import Stat
from app.core.game.rules import Mode
from app.core.guilds import AskScope
from app.core.reads.options import Period
from tests.support.factories import T0


def enum_of(schema: dict[str, object], field: str) -> list[str]:
    """The values an API query or body accepts for `field`, from its JSON schema."""
    definitions: dict[str, dict[str, object]] = schema.get("$defs", {})  # type: ignore[assignment]
    prop: dict[str, object] = schema["properties"][field]  # type: ignore[index]
    options = prop.get("anyOf", [prop])
    for option in options:  # type: ignore[attr-defined]
        ref = option.get("$ref")
        if ref:
            values: list[str] = definitions[ref.rsplit("/", 1)[1]]["enum"]  # type: ignore[assignment]
            return values
    raise AssertionError(f"{field} is not an enum")


def values(offered: list[choices.app_commands.Choice[str]]) -> list[str]:
    return [choice.value for choice in offered]


def test_discord_offers_exactly_what_the_api_accepts() -> None:
    leaderboard = LeaderboardQuery.model_json_schema()
    assert values(choices.PERIOD_CHOICES) == enum_of(leaderboard, "period")
    assert values(choices.PERIOD_CHOICES) == enum_of(SummaryQuery.model_json_schema(), "period")
    assert values(choices.STAT_CHOICES) == enum_of(TrendQuery.model_json_schema(), "stat")
    assert values(choices.MODE_CHOICES) == enum_of(leaderboard, "mode")
    assert values(choices.ASK_SCOPE_CHOICES) == enum_of(AskRequest.model_json_schema(), "scope")
    assert sorted(values(choices.ASK_SCOPE_SETTING_CHOICES)) == sorted(AskScope)


def test_choices_are_labelled_as_users_see_them() -> None:
    assert [c.name for c in choices.MODE_CHOICES] == [m.display_name for m in Mode]
    assert [c.name for c in choices.STAT_CHOICES] == [s.label for s in Stat]
    assert [c.name for c in choices.PERIOD_CHOICES] == [
        "Last 7 days",
        "Last 30 days",
        "This season",
        "All time",
    ]


def test_a_period_ends_now_and_all_time_has_no_start() -> None:
    assert Period.WEEK.since(T0) == T0 - timedelta(days=7)
    assert Period.MONTH.since(T0) == T0 - timedelta(days=30)
    assert Period.ALL.since(T0) is None


def test_the_season_starts_when_the_servers_season_did_or_never() -> None:
    assert Period.SEASON.since(T0, season_start=T0 - timedelta(days=3)) == T0 - timedelta(days=3)
    assert Period.SEASON.since(T0) is None
