"""The /ask handler with fakes: cooldown, scope, planner and phrasing failures, refusals."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.ask import planning
from app.core.ask.answer import MAX_ROWS, Answer
from app.core.ask.errors import InvalidQuestion, PipelineRefused
from app.core.ask.fields import FIELDS
from app.core.ask.local import AIUnavailableForQuestion, LocalPlan, QuestionOutsideShapes
from app.core.commands import AskQuestion
from app.core.errors import AIUnavailable, CooldownActive, RefusedQuestion
from app.core.guilds import AskScope, GuildConfig
from app.core.handlers.ask import ONLY_YOUR_MATCHES, answer_question
from app.core.messages import Event
from tests.unit.ask.local.test_plans import ALL as ALL_SHAPES
from tests.unit.fakes import FakeGuildConfigs, FrozenClock
from tests.unit.fakes_analytics import FakeCooldowns
from tests.unit.fakes_ask import FakeQueryPlanner, FakeQueryRunner
from tests.unit.wiring import packaged_catalog

GUILD, USER, OTHER = 1, 3, 4
KD = [{"$group": {"_id": "$user_id", "kd": {"$avg": "$stats.player.kills"}}}]


class World:
    def __init__(self, planner: FakeQueryPlanner, runner: FakeQueryRunner) -> None:
        self.planner = planner
        # None: this Debrief's /ask has no AI.
        self.ai: FakeQueryPlanner | None = planner
        self.runner = runner
        self.configs = FakeGuildConfigs()
        self.cooldowns = FakeCooldowns()
        self.clock = FrozenClock()
        self.events: list[Event] = []

    async def ask(
        self, question: str = "who has the best K/D?", *, user: int = USER, **kw: Any
    ) -> Answer:
        command = AskQuestion(guild_id=GUILD, user_id=user, question=question, **kw)
        return await answer_question(
            command,
            emit=self.events.append,
            planner=self.ai,
            guarded_queries=self.runner,
            guild_configs=self.configs,
            cooldowns=self.cooldowns,
            catalog=packaged_catalog(),
            clock=self.clock,
        )

    def scope_of_last_run(self) -> dict[str, Any]:
        pipeline, _ = self.runner.runs[-1]
        scope: dict[str, Any] = pipeline[0]["$match"]
        return scope


@pytest.fixture
def world() -> World:
    documents = [{"_id": 7, "kd": 1.456}, {"_id": 8, "kd": 0.9}]
    return World(FakeQueryPlanner(KD, title="K/D"), FakeQueryRunner(documents))


async def test_a_question_is_planned_guarded_run_tabulated_and_phrased(world: World) -> None:
    answer = await world.ask("  who has\n the best K/D?\x00 ")

    assert world.planner.planned == [("who has the best K/D?", FIELDS)]
    ((pipeline, max_time_ms),) = world.runner.runs
    assert pipeline[0] == {"$match": {"guild_id": GUILD}}
    assert pipeline[-1] == {"$limit": 50}
    assert max_time_ms == 2000
    assert answer.rows.columns == ("player", "kd")
    assert answer.rows.rows == (("<@7>", 1.46), ("<@8>", 0.9))
    assert answer.rows.title == "K/D"
    assert answer.sentence == "Here is your answer."
    assert world.planner.phrased == [answer.rows]
    assert world.events == [], "an answer is only returned: nobody subscribes to it"


async def test_the_scope_defaults_to_the_servers_setting(world: World) -> None:
    await world.ask()
    assert world.scope_of_last_run() == {"guild_id": GUILD}

    await world.configs.save(GuildConfig(guild_id=GUILD, ask_scope=AskScope.ME, ask_cooldown_s=0))
    await world.ask()
    assert world.scope_of_last_run() == {"guild_id": GUILD, "user_id": USER}


async def test_the_asker_may_narrow_the_servers_scope(world: World) -> None:
    answer = await world.ask(scope=AskScope.ME)

    assert world.scope_of_last_run() == {"guild_id": GUILD, "user_id": USER}
    assert answer.note is None


async def test_the_servers_me_scope_is_a_ceiling_the_asker_cannot_widen(world: World) -> None:
    await world.configs.save(GuildConfig(guild_id=GUILD, ask_scope=AskScope.ME, ask_cooldown_s=0))

    widened = await world.ask(scope=AskScope.SERVER)
    assert world.scope_of_last_run() == {"guild_id": GUILD, "user_id": USER}
    assert widened.note == ONLY_YOUR_MATCHES
    default = await world.ask()
    assert world.scope_of_last_run() == {"guild_id": GUILD, "user_id": USER}
    assert default.note is None


async def test_a_second_question_within_the_cooldown_is_refused_with_the_time_left(
    world: World,
) -> None:
    await world.ask()
    world.clock.now += timedelta(seconds=4, milliseconds=200)

    with pytest.raises(CooldownActive) as raised:
        await world.ask()

    assert raised.value.seconds_left == 11  # 10.8 s rounded up
    assert len(world.runner.runs) == 1
    await world.ask(user=OTHER)  # per player
    world.clock.now += timedelta(seconds=11)
    await world.ask()
    assert len(world.runner.runs) == 3
    assert world.cooldowns.expiries.keys() == {f"ask:{GUILD}:{USER}", f"ask:{GUILD}:{OTHER}"}


async def test_a_server_without_an_ask_cooldown_writes_none(world: World) -> None:
    await world.configs.save(GuildConfig(guild_id=GUILD, ask_cooldown_s=0))

    await world.ask()
    await world.ask()

    assert world.cooldowns.expiries == {}
    assert len(world.runner.runs) == 2


@pytest.mark.parametrize("question", ["", " \n\t ", "\x00\x07", "x" * 301])
async def test_an_invalid_question_costs_nothing(world: World, question: str) -> None:
    with pytest.raises(InvalidQuestion):
        await world.ask(question)

    assert world.planner.planned == []
    assert world.cooldowns.expiries == {}


async def test_the_ai_failing_on_a_question_the_local_planner_cannot_read_reaches_the_caller(
    world: World,
) -> None:
    world.planner.plan_fails = True

    with pytest.raises(AIUnavailable) as raised:
        await world.ask("what will the weather be tomorrow?")

    assert isinstance(raised.value, AIUnavailableForQuestion)
    assert "try again in a minute" in raised.value.user_message
    assert "my average kills this week" in raised.value.user_message
    assert world.runner.runs == []
    assert world.events == []


async def test_the_ai_failing_on_a_common_question_is_answered_by_the_local_planner(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    world.planner.plan_fails = True
    world.runner.documents = [{"user_id": 7, "kd": 1.456, "kills": 32, "deaths": 22, "matches": 3}]

    with caplog.at_level(logging.WARNING, logger="app.core.ask.planning"):
        answer = await world.ask("who has the best K/D?")

    ((pipeline, _),) = world.runner.runs
    assert pipeline[0] == {"$match": {"guild_id": GUILD}}
    assert answer.sentence == "<@7> has the highest K/D overall: 1.46 over 3 matches."
    assert answer.rows.title == "Leaders by K/D overall"
    assert world.planner.phrased == [], "a local plan is phrased by its template"
    assert "trying the local planner" in caplog.text


async def test_without_an_ai_the_local_planner_answers_and_the_ai_is_never_asked(
    world: World,
) -> None:
    world.ai = None
    world.runner.documents = [{"avg_kills": 21.0, "total_kills": 42, "matches": 2}]

    answer = await world.ask("my average kills over the last 7 days")

    ((pipeline, _),) = world.runner.runs
    assert pipeline[0] == {"$match": {"guild_id": GUILD, "user_id": USER}}, "read by its index"
    assert pipeline[2]["$match"]["user_id"] == USER
    assert answer.sentence == (
        "Your average kills over the last 7 days is 21 over 2 matches (42 in total)."
    )
    assert world.planner.planned == []


async def test_a_local_plan_about_another_player_never_widens_a_me_scope(world: World) -> None:
    world.ai = None
    await world.configs.save(GuildConfig(guild_id=GUILD, ask_scope=AskScope.ME, ask_cooldown_s=0))
    world.runner.documents = []

    answer = await world.ask(f"<@{OTHER}>'s kills this week")

    assert world.scope_of_last_run() == {"guild_id": GUILD, "user_id": USER}
    assert answer.sentence == f"There are no matches by <@{OTHER}> this week to answer from yet."


async def test_without_an_ai_another_question_is_told_which_questions_work(world: World) -> None:
    world.ai = None

    with pytest.raises(RefusedQuestion) as raised:
        await world.ask("write me a poem about hardpoint")

    assert isinstance(raised.value, QuestionOutsideShapes)
    message = raised.value.user_message
    assert "without an AI" in message
    assert "try again" not in message
    for example in ("my best map by K/D", "who has the most wins", "is my K/D improving"):
        assert example in message
    assert world.runner.runs == []


async def test_a_bad_local_plan_is_refused_by_the_guard_like_any_other(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.ai = None
    real = planning.plan_locally

    def injected(*args: Any, **kwargs: Any) -> LocalPlan | None:
        plan = real(*args, **kwargs)
        assert plan is not None
        escape = {"$lookup": {"from": "users", "as": "u"}}
        return replace(plan, pipeline=[*plan.pipeline, escape])

    monkeypatch.setattr(planning, "plan_locally", injected)

    with pytest.raises(PipelineRefused):
        await world.ask("my average kills this week")

    assert world.runner.runs == []


async def test_the_ai_failing_to_phrase_falls_back_to_a_plain_sentence(world: World) -> None:
    world.planner.phrase_fails = True

    answer = await world.ask()

    assert answer.sentence == "Top result: player <@7>, kd 1.46."
    assert world.events == []


async def test_a_blank_ai_sentence_falls_back_and_a_long_one_is_cut(world: World) -> None:
    world.planner.sentence = " \n "
    assert (await world.ask()).sentence == "Top result: player <@7>, kd 1.46."

    world.planner.sentence = "very " * 200
    assert len((await world.ask(user=OTHER)).sentence) <= 400


async def test_no_rows_are_answered_without_asking_the_ai_to_phrase(world: World) -> None:
    world.runner.documents = []

    answer = await world.ask()

    assert answer.sentence == "No matches found for that question."
    assert answer.rows.rows == ()
    assert world.planner.phrased == []
    assert world.events == []


async def test_a_refused_pipeline_runs_nothing_and_logs_the_rule(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    world.planner.pipeline = [{"$lookup": {"from": "users", "as": "u"}}]

    with (
        caplog.at_level(logging.INFO, logger="app.core.handlers.ask"),
        pytest.raises(RefusedQuestion) as raised,
    ):
        await world.ask()

    assert isinstance(raised.value, PipelineRefused)
    assert world.runner.runs == []
    assert world.events == []
    assert "stage $lookup" in caplog.text
    assert "users" not in caplog.text  # the rule, not the pipeline


async def test_a_blank_title_becomes_the_question(world: World) -> None:
    world.planner.title = "\n"

    answer = await world.ask("my best map?")

    assert answer.rows.title == "my best map?"


async def test_rows_beyond_the_table_are_counted(world: World) -> None:
    world.runner.documents = [{"_id": i, "kd": 1.0} for i in range(MAX_ROWS + 7)]

    answer = await world.ask()

    assert len(answer.rows.rows) == MAX_ROWS
    assert answer.omitted == 7


# Whatever rows come back (a template never assumes its own shape's columns are there).
COLUMNS = ["matches", "kd", "kills", "deaths", "user_id", "map", "mode", "day", "played_at",
           "avg_kills", "total_kills", "win_rate", "wins", "accuracy"]  # fmt: skip
VALUES = st.one_of(
    st.none(), st.integers(-(2**40), 2**40), st.floats(allow_nan=False), st.text(max_size=5)
)
DOCUMENTS = st.lists(st.dictionaries(st.sampled_from(COLUMNS), VALUES), max_size=4)


@given(st.text(max_size=400), DOCUMENTS)
@settings(max_examples=200, deadline=None)
async def test_any_text_without_an_ai_is_an_answer_or_a_refusal(
    text: str, documents: list[dict[str, Any]]
) -> None:
    world = World(FakeQueryPlanner(), FakeQueryRunner(documents))
    world.ai = None
    await world.configs.save(GuildConfig(guild_id=GUILD, ask_cooldown_s=0))

    outcome: Answer | RefusedQuestion
    try:
        outcome = await world.ask(text)
    except RefusedQuestion as refused:
        outcome = refused

    if isinstance(outcome, Answer):
        assert outcome.sentence
        assert len(world.runner.runs) == 1
    else:
        assert isinstance(outcome, InvalidQuestion | QuestionOutsideShapes)
        assert world.runner.runs == []


@given(st.sampled_from([text for _, text in ALL_SHAPES]), DOCUMENTS)
@settings(max_examples=300, deadline=None)
async def test_every_template_says_something_whatever_rows_come_back(
    text: str, documents: list[dict[str, Any]]
) -> None:
    world = World(FakeQueryPlanner(), FakeQueryRunner(documents))
    world.ai = None
    await world.configs.save(GuildConfig(guild_id=GUILD, ask_cooldown_s=0))

    answer = await world.ask(text)

    assert 0 < len(answer.sentence) <= 400
