"""/ask against the real MongoDB wire server: guarded pipelines give correct, scoped answers.

Matches are seeded in two servers for several players; every question is guarded exactly as
the handler does, then run by the real runner. The autouse fixture explains every aggregate
and fails the test if one does not use an index.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.ask.errors import QuestionNotComputable, QuestionTooHeavy
from app.core.ask.guard import Scope, guard_pipeline
from app.core.matches import Match
from app.shared.db.connection import Database
from app.shared.db.repositories import BeanieMatchRepository
from app.shared.db.repositories.ask import BeanieGuardedQueryRunner, UnscopedPipeline
from tests.support.factories import T0, match_fields, raw_hardpoint, raw_search_and_destroy
from tests.support.queries import QueryRecorder, explain, explainable

HOME, AWAY = 111, 222
ALICE, BOB, CARA, DAVE = 1, 2, 3, 9
HOME_PLAYERS = (ALICE, BOB, CARA)

# (guild, user, map, won, kills, deaths, score, days ago, weapon kills)
SEEDS = [
    (HOME, ALICE, "Den", True, 30, 15, 6000, 1, {"M15 Mod 0": 20, "Kogot-7": 5}),
    (HOME, ALICE, "Scar", False, 12, 20, 3100, 3, {"M15 Mod 0": 10}),
    (HOME, ALICE, "Den", False, 18, 18, 4200, 40, {"Kogot-7": 12}),
    (HOME, BOB, "Den", True, 25, 10, 5500, 2, {"M15 Mod 0": 25}),
    (HOME, BOB, "Scar", True, 8, 16, 2500, 5, {}),
    (HOME, CARA, "Scar", True, 40, 20, 7000, 4, {"Kogot-7": 30}),
    # Another server: Alice's best score is here, and Dave plays only here.
    (AWAY, ALICE, "Den", True, 60, 5, 9900, 1, {"M15 Mod 0": 50}),
    (AWAY, DAVE, "Scar", False, 5, 25, 1200, 2, {"Kogot-7": 5}),
]


def hardpoint(won: bool, kills: int, deaths: int, score: int, weapons: dict[str, int]) -> Any:
    raw = raw_hardpoint(kills=kills, deaths=deaths, score=score)
    if not won:
        raw.update(result="loss", team_score=180, enemy_score=250)
    raw["weapons"] = [
        {"name": name, "kills": n, "headshots": n // 4, "accuracy": 20.0 + n}
        for name, n in weapons.items()
    ]
    return raw


@pytest.fixture
async def seeded(database: Database) -> list[Match]:
    matches = BeanieMatchRepository()
    saved = []
    for guild, user, map_name, won, kills, deaths, score, days_ago, weapons in SEEDS:
        raw = hardpoint(won, kills, deaths, score, weapons)
        raw["map"] = map_name
        raw["player"]["gamertag"] = f"g{guild}u{user}"
        fields = match_fields(
            guild_id=guild,
            user_id=user,
            raw_stats=raw,
            played_at=T0 - timedelta(days=days_ago),
            note="private note",
        )
        saved.append(await matches.add(fields))
    # A Search and Destroy match: mode-specific fields are simply absent elsewhere.
    saved.append(
        await matches.add(
            match_fields(guild_id=HOME, user_id=BOB, raw_stats=raw_search_and_destroy(),
                         played_at=T0 - timedelta(days=6))
        )
    )  # fmt: skip
    return saved


async def ask(pipeline: list[dict[str, Any]], scope: Scope) -> list[dict[str, Any]]:
    guarded = guard_pipeline(pipeline, scope)
    return await BeanieGuardedQueryRunner().run_guarded(
        guarded.stages, max_time_ms=guarded.max_time_ms
    )


def home_seeds(user: int | None = None) -> list[tuple[Any, ...]]:
    return [s for s in SEEDS if s[0] == HOME and (user is None or s[1] == user)]


async def test_average_kd_per_player_in_the_server(seeded: list[Match]) -> None:
    rows = await ask(
        [
            {"$match": {"stats.player.mode": "hardpoint"}},
            {"$group": {"_id": "$user_id", "kills": {"$sum": "$stats.player.kills"},
                        "deaths": {"$sum": "$stats.player.deaths"}}},
            {"$addFields": {"kd": {"$round": [
                {"$divide": ["$kills", {"$max": ["$deaths", 1]}]}, 2]}}},
            {"$sort": {"kd": -1}},
        ],
        Scope(HOME),
    )  # fmt: skip

    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for _, user, _, _, kills, deaths, *_ in home_seeds():
        totals[user][0] += kills
        totals[user][1] += deaths
    expected = sorted(
        (
            {"_id": user, "kills": kills, "deaths": deaths, "kd": round(kills / deaths, 2)}
            for user, (kills, deaths) in totals.items()
        ),
        key=lambda row: -row["kd"],
    )
    assert rows == expected


async def test_wins_by_map(seeded: list[Match]) -> None:
    rows = await ask(
        [
            {"$group": {"_id": "$stats.map",
                        "wins": {"$sum": {"$cond": [{"$eq": ["$stats.result", "win"]}, 1, 0]}},
                        "played": {"$sum": 1}}},
            {"$sort": {"_id": 1}},
        ],
        Scope(HOME),
    )  # fmt: skip

    # Den: Alice W, Alice L, Bob W; Scar: Alice L, Bob W, Cara W, and Bob's S&D loss.
    assert rows == [
        {"_id": "Den", "wins": 2, "played": 3},
        {"_id": "Scar", "wins": 2, "played": 4},
    ]


async def test_my_second_best_score_is_mine_and_from_this_server(seeded: list[Match]) -> None:
    rows = await ask(
        [
            {"$sort": {"stats.player.score": -1}},
            {"$skip": 1},
            {"$limit": 1},
            {"$project": {"played_at": 1, "score": "$stats.player.score", "map": "$stats.map"}},
        ],
        Scope(HOME, ALICE),
    )

    # Her 9900 in the other server is not hers to see here: 6000, then 4200.
    assert rows == [{"played_at": T0 - timedelta(days=40), "score": 4200, "map": "Den"}]


async def test_weapon_kills_in_a_period_with_dates(seeded: list[Match]) -> None:
    rows = await ask(
        [
            {"$match": {"played_at": {"$gte": {"$date": (T0 - timedelta(days=30)).isoformat()}}}},
            {"$unwind": "$stats.weapons"},
            {"$group": {"_id": "$stats.weapons.name", "kills": {"$sum": "$stats.weapons.kills"},
                        "week": {"$max": {"$dateTrunc": {"date": "$played_at", "unit": "week"}}}}},
            {"$sort": {"kills": -1}},
        ],
        Scope(HOME),
    )  # fmt: skip

    assert [(row["_id"], row["kills"]) for row in rows] == [("M15 Mod 0", 55), ("Kogot-7", 35)]
    assert all(row["week"] <= T0 for row in rows)


async def test_relative_dates_use_the_servers_now(seeded: list[Match]) -> None:
    rows = await ask(
        [
            {"$match": {"$expr": {"$lte": ["$played_at", "$$NOW"]}}},
            {"$count": "matches"},
        ],
        Scope(HOME),
    )

    assert rows == [{"matches": 7}]


async def test_only_catalogued_fields_reach_the_answer(seeded: list[Match]) -> None:
    rows = await ask([{"$limit": 1}], Scope(HOME, BOB))

    (row,) = rows
    assert set(row) == {"guild_id", "user_id", "played_at", "stats"}
    assert "note" not in str(row)
    assert set(row["stats"]) <= {"map", "result", "team_score", "enemy_score", "player",
                                 "weapons"}  # fmt: skip


@pytest.mark.parametrize(
    "escape",
    [
        {"$or": [{"guild_id": AWAY}, {"guild_id": HOME}]},
        {"guild_id": {"$in": [AWAY, HOME]}},
        {"$nor": [{"guild_id": HOME}]},
        {"$expr": {"$or": [{"$ne": ["$guild_id", HOME]}, True]}},
        {"user_id": {"$in": [ALICE, BOB, CARA, DAVE]}},
    ],
)
async def test_an_escape_attempt_only_ever_sees_the_scope(
    seeded: list[Match], escape: dict[str, Any]
) -> None:
    per_scope = [{"$match": escape}, {"$group": {"_id": {"g": "$guild_id", "u": "$user_id"}}}]

    server = await ask(per_scope, Scope(HOME))
    mine = await ask(per_scope, Scope(HOME, ALICE))

    assert {row["_id"]["g"] for row in server} <= {HOME}
    assert {row["_id"]["u"] for row in server} <= set(HOME_PLAYERS)
    assert {(row["_id"]["g"], row["_id"]["u"]) for row in mine} <= {(HOME, ALICE)}


escapes = st.one_of(
    st.builds(lambda g: {"guild_id": g}, st.sampled_from([HOME, AWAY])),
    st.builds(lambda g: {"guild_id": {"$ne": g}}, st.sampled_from([HOME, AWAY])),
    st.builds(lambda u: {"$or": [{"guild_id": AWAY}, {"user_id": u}]},
              st.sampled_from([ALICE, BOB, DAVE])),
    st.builds(lambda us: {"user_id": {"$in": us}},
              st.lists(st.sampled_from([ALICE, BOB, CARA, DAVE]), min_size=1)),
    st.just({"$nor": [{"guild_id": HOME}, {"user_id": ALICE}]}),
    st.just({"$expr": {"$or": [{"$eq": ["$guild_id", AWAY]}, {"$gte": ["$user_id", 0]}]}}),
    st.just({"stats.player.kills": {"$gte": 10}}),
)  # fmt: skip
filter_stages = st.one_of(
    escapes.map(lambda f: {"$match": f}),
    st.builds(lambda d: {"$sort": {"stats.player.score": d}}, st.sampled_from([1, -1])),
    st.builds(lambda n: {"$limit": n}, st.integers(1, 20)),
    st.just({"$unwind": "$stats.weapons"}),
    st.just({"$addFields": {"kd": {"$divide": ["$stats.player.kills", "$stats.player.deaths"]}}}),
)
scopes = st.sampled_from([Scope(HOME), Scope(HOME, ALICE), Scope(HOME, DAVE), Scope(AWAY)])


@given(st.lists(filter_stages, max_size=5), scopes)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
async def test_no_generated_pipeline_reaches_outside_its_scope(
    seeded: list[Match], stages: list[dict[str, Any]], scope: Scope
) -> None:
    pipeline = [*stages, {"$group": {"_id": {"g": "$guild_id", "u": "$user_id"},
                                     "n": {"$sum": 1}}}]  # fmt: skip

    rows = await ask(pipeline, scope)

    in_scope = {
        (m.guild_id, m.user_id)
        for m in seeded
        if m.guild_id == scope.guild_id and scope.user_id in (None, m.user_id)
    }
    assert {(row["_id"]["g"], row["_id"]["u"]) for row in rows} <= in_scope


async def test_the_scoped_aggregate_reads_only_the_scoped_matches(
    seeded: list[Match], database: Database, query_recorder: QueryRecorder
) -> None:
    query_recorder.commands.clear()
    await ask([{"$count": "n"}], Scope(HOME, ALICE))
    await ask([{"$count": "n"}], Scope(HOME))

    (mine,), (server,) = (explainable(c) for c in query_recorder.commands)
    mine_plan, server_plan = await explain(database.db, mine), await explain(database.db, server)
    assert (mine_plan.index, mine_plan.examined) == ("guild_user_newest", 3)
    assert (server_plan.index, server_plan.examined) == ("guild_newest", 7)
    assert mine["maxTimeMS"] == 2000
    assert mine["allowDiskUse"] is False


async def test_a_timeout_becomes_a_question_too_heavy(
    seeded: list[Match], database: Database
) -> None:
    try:
        await database.client.admin.command(
            "configureFailPoint", "maxTimeAlwaysTimeOut", mode={"times": 1}
        )
    except Exception:
        pytest.skip("this server does not allow fail points")

    with pytest.raises(QuestionTooHeavy):
        await ask([{"$count": "n"}], Scope(HOME))


async def test_a_pipeline_the_database_cannot_compute_is_refused_clearly(
    seeded: list[Match],
) -> None:
    with pytest.raises(QuestionNotComputable):
        await ask([{"$project": {"x": {"$divide": ["$stats.player.kills", 0]}}}], Scope(HOME))


async def test_bson_values_come_back_as_plain_python(seeded: list[Match]) -> None:
    # The runner trusts only the scope and the final $limit, so it can be given a raw
    # pipeline here, to make MongoDB return types the guard never lets a planner ask for.
    pipeline = [
        {"$match": {"guild_id": HOME}},
        {"$project": {"_id": 1, "amount": {"$toDecimal": "1.25"}}},
        {"$limit": 1},
    ]

    (row,) = await BeanieGuardedQueryRunner().run_guarded(pipeline, max_time_ms=2000)

    assert row["_id"] in {m.id for m in seeded}
    assert row["amount"] == 1.25


@pytest.mark.parametrize(
    "pipeline",
    [
        [],
        [{"$limit": 5}],
        [{"$match": {}}, {"$limit": 5}],
        [{"$match": {"guild_id": HOME, "stats.map": "Den"}}, {"$limit": 5}],
        [{"$match": {"guild_id": {"$in": [HOME, AWAY]}}}, {"$limit": 5}],
        [{"$match": {"user_id": ALICE}}, {"$limit": 5}],
        [{"$match": {"guild_id": HOME}}],
        [{"$match": {"guild_id": HOME}}, {"$limit": True}],
    ],
)
async def test_the_runner_refuses_anything_not_scoped_and_limited_by_the_guard(
    pipeline: list[dict[str, Any]], query_recorder: QueryRecorder
) -> None:
    query_recorder.commands.clear()

    with pytest.raises(UnscopedPipeline):
        await BeanieGuardedQueryRunner().run_guarded(pipeline, max_time_ms=2000)

    assert query_recorder.commands == []
