"""Local /ask plans against the real MongoDB wire server: known matches, checked numbers.

Each question goes through the real handler without an AI, on the real repositories: planned
locally, guarded, scoped, run, tabulated and phrased by its template. The integration conftest
explains every aggregate and fails a test whose query does not use an index.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from app.core.ai import AnswerRows
from app.core.clock import utc_now
from app.core.commands import AskQuestion
from app.core.guilds import AskScope, GuildConfig
from app.core.handlers.ask import answer_question
from app.shared.catalog.loader import load_catalog
from app.shared.db.connection import Database
from app.shared.db.repositories import (
    BeanieCooldownRepository,
    BeanieGuardedQueryRunner,
    BeanieGuildConfigRepository,
    BeanieMatchRepository,
)
from tests.support.factories import match_fields, raw_hardpoint, raw_search_and_destroy
from tests.support.queries import QueryRecorder, explain, explainable

HOME, AWAY = 111, 222
ALICE, BOB, CARA = 1, 2, 3

# (guild, user, map, won, kills, deaths, days ago, weapon accuracies)
SEEDS = [
    (HOME, ALICE, "Den", True, 30, 15, 1, [25.0, 35.0]),
    (HOME, ALICE, "Scar", False, 12, 20, 3, [20.0]),
    (HOME, ALICE, "Den", False, 18, 18, 40, [22.0]),
    (HOME, BOB, "Den", True, 25, 10, 2, [30.0]),
    (HOME, BOB, "Scar", True, 8, 16, 5, []),
    (HOME, CARA, "Scar", True, 40, 20, 4, [40.0]),
    # Another server: Alice's best game is here, and it is never in HOME's answers.
    (AWAY, ALICE, "Den", True, 60, 5, 1, [50.0]),
]


def hardpoint(won: bool, kills: int, deaths: int, accuracies: list[float]) -> dict[str, Any]:
    raw = raw_hardpoint(kills=kills, deaths=deaths)
    if not won:
        raw.update(result="loss", team_score=180, enemy_score=250)
    raw["weapons"] = [
        {"name": f"Gun {n}", "kills": 1, "headshots": 0, "accuracy": accuracy}
        for n, accuracy in enumerate(accuracies)
    ]
    return raw


@pytest.fixture
async def now(database: Database) -> datetime:
    """The clock the plans use; the matches are seeded relative to it."""
    started = utc_now()
    matches = BeanieMatchRepository()
    for guild, user, map_name, won, kills, deaths, days_ago, accuracies in SEEDS:
        raw = hardpoint(won, kills, deaths, accuracies)
        raw["map"] = map_name
        played_at = started - timedelta(days=days_ago, hours=1)
        await matches.add(
            match_fields(guild_id=guild, user_id=user, raw_stats=raw, played_at=played_at)
        )
    await BeanieGuildConfigRepository().save(GuildConfig(guild_id=HOME, ask_cooldown_s=0))
    # Bob's Search and Destroy match, 6 days ago: 9 kills, 8 deaths, a loss, 1 plant.
    await matches.add(
        match_fields(
            guild_id=HOME,
            user_id=BOB,
            raw_stats=raw_search_and_destroy(),
            played_at=started - timedelta(days=6),
        )
    )
    return started


async def ask(
    question: str, now: datetime, *, asker: int = ALICE, scope: AskScope | None = None
) -> tuple[str, AnswerRows]:
    answer = await answer_question(
        AskQuestion(guild_id=HOME, user_id=asker, question=question, scope=scope),
        emit=lambda event: None,
        planner=None,
        guarded_queries=BeanieGuardedQueryRunner(),
        guild_configs=BeanieGuildConfigRepository(),
        cooldowns=BeanieCooldownRepository(),
        catalog=load_catalog(),
        clock=lambda: now,
    )
    return answer.sentence, answer.rows


async def test_best_map_by_kd(now: datetime) -> None:
    sentence, rows = await ask("what's my best map by K/D over the last 30 days?", now)

    # Den: 30/15 (the 40-day-old Den match is outside); Scar: 12/20.
    assert rows.columns == ("map", "kd", "kills", "deaths", "matches")
    assert rows.rows == (("Den", 2.0, 30, 15, 1), ("Scar", 0.6, 12, 20, 1))
    assert sentence == (
        "Your best map by K/D over the last 30 days is Den (2.00 over 1 match); "
        "next is Scar (0.60)."
    )


async def test_worst_mode_of_the_server_by_win_rate(now: datetime) -> None:
    sentence, rows = await ask("which mode has the worst win rate", now)

    # Hardpoint: 4 wins in 6; Search and Destroy: 0 in 1.
    assert rows.rows == (("search_and_destroy", 0, 0, 1), ("hardpoint", 66.7, 4, 6))
    assert sentence == (
        "This server's worst mode by win rate overall is Search and Destroy (0% over 1 match); "
        "next is Hardpoint (66.7%)."
    )


async def test_average_and_total_over_a_period(now: datetime) -> None:
    sentence, rows = await ask("my average kills over the last 7 days", now)

    assert rows.rows == ((21, 42, 2),)
    assert sentence == "Your average kills over the last 7 days is 21 over 2 matches (42 in total)."

    sentence, _ = await ask("how many kills did I get", now)
    assert sentence == "Your total kills overall is 60 over 3 matches (20 per match)."


async def test_win_rate_and_accuracy(now: datetime) -> None:
    sentence, _ = await ask("my win rate", now)
    assert sentence == "Your win rate overall is 33.3% (1 of 3 matches won)."

    # Per match: (25 + 35) / 2 = 30 and 20; their mean is 25.
    sentence, _ = await ask("my accuracy over the last 7 days", now)
    assert sentence == "Your accuracy over the last 7 days is 25% over 2 matches."


async def test_who_leads_a_stat(now: datetime) -> None:
    sentence, rows = await ask("who has the best K/D over the last 10 days?", now, asker=BOB)

    # Cara 40/20 = 2.0; Bob (25 + 8 + 9) / (10 + 16 + 8) = 1.24; Alice 42/35 = 1.2.
    assert [row[:2] for row in rows.rows] == [("<@3>", 2.0), ("<@2>", 1.24), ("<@1>", 1.2)]
    assert sentence == (
        "<@3> has the highest K/D over the last 10 days: 2.00 over 1 match. You are 2nd with 1.24."
    )

    sentence, _ = await ask("who has the most kills", now)
    assert sentence == "You have the highest total kills overall: 60 over 3 matches."


async def test_the_trend_of_a_stat(now: datetime) -> None:
    sentence, rows = await ask("is my K/D improving?", now)

    # Oldest first: 18/18, 12/20, 30/15.
    assert [row[1] for row in rows.rows] == [1.0, 0.6, 2.0]
    assert sentence == (
        "Your K/D over the last 20 matches is improving: 1.00 over the first match, "
        "1.30 over the last 2 matches."
    )


async def test_head_to_head(now: datetime) -> None:
    sentence, rows = await ask(f"me vs <@{BOB}> in kills", now)

    # Alice (30 + 12 + 18) / 3 = 20; Bob (25 + 8 + 9) / 3 = 14.
    assert sentence == (
        "Your average kills overall is 20 over 3 matches, "
        "against <@2>'s 14 over 3 matches: you're ahead."
    )
    assert len(rows.rows) == 2


async def test_record_games(now: datetime) -> None:
    sentence, rows = await ask("my most kills in a match", now)

    day = (now - timedelta(days=1, hours=1)).date().isoformat()
    assert rows.rows[0] == (day, "Den", "hardpoint", 30)
    assert sentence == f"Your most kills in a match overall is 30, on Den (Hardpoint, {day})."

    sentence, _ = await ask("best game", now)
    assert sentence.startswith("This server's best game by K/D overall is 2.50 by <@2>, on Den")


async def test_a_players_own_scope_and_other_servers_never_leak(now: datetime) -> None:
    # Alice's 60-kill game is in the other server; in her own scope only her matches count.
    sentence, _ = await ask("most kills in a match", now, scope=AskScope.ME)
    assert sentence.startswith("Your most kills in a match overall is 30, on Den")

    sentence, _ = await ask(f"<@{BOB}> kills", now, scope=AskScope.ME)
    assert sentence == "There are no matches by <@2> to answer from yet."


async def test_a_question_about_one_player_reads_only_their_matches_by_index(
    now: datetime, database: Database, query_recorder: QueryRecorder
) -> None:
    query_recorder.commands.clear()
    await ask("my kills over the last 7 days", now)

    (command,) = (c for c in query_recorder.commands if c.get("aggregate") == "matches")
    (aggregate,) = explainable(command)
    plan = await explain(database.db, aggregate)
    assert (plan.index, plan.examined) == ("guild_user_newest", 3), "Alice's 3 matches here"


async def test_nothing_in_the_period_is_said_plainly(now: datetime) -> None:
    sentence, rows = await ask("my kills today", now)

    assert rows.rows == ()
    assert sentence == "There are no matches of yours today to answer from yet."


async def test_a_trend_over_days_or_weeks_has_a_row_per_day_or_week(now: datetime) -> None:
    sentence, rows = await ask("my kills trend over the last 10 days", now)

    days = [(now - timedelta(days=n, hours=1)).date().isoformat() for n in (3, 1)]
    assert rows.columns[:2] == ("day", "avg_kills")
    assert [row[:2] for row in rows.rows] == [(days[0], 12), (days[1], 30)]
    assert sentence == (
        "Your kills per match over the last 10 days is improving: 12 over the first day, "
        "30 over the last day."
    )

    _, rows = await ask("my kills trend over the last 60 days", now)
    weeks = [date.fromisoformat(row[0]) for row in rows.rows]
    assert all(week.weekday() == 0 for week in weeks), "weeks start on Monday"
    assert weeks == sorted(weeks)
    assert sum(row[-1] for row in rows.rows) == 3
