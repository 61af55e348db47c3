"""The model table, the start-up warning, the per-model request settings, the schema subset."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from prometheus_client import CollectorRegistry

from app.core.ai import AIUsage
from app.shared.gemini import adapter
from app.shared.gemini.models import (
    DEFAULT_MODEL,
    MODELS_AS_OF,
    SUPPORTED_MODELS,
    ThinkingControl,
    model_warning,
)
from app.shared.gemini.request import Effort, Task, generation_config, thinking_config
from app.shared.gemini.schemas import SUPPORTED_KEYWORDS
from app.shared.gemini.usage_metrics import GeminiUsageCounters
from app.shared.settings import Settings

TASKS = [adapter.READ_STATS, adapter.WRITE_DEBRIEF, adapter.PLAN_QUERY, adapter.PHRASE_ANSWER]
TASKS.append(adapter.WRITE_DIGEST)


def test_the_settings_default_is_the_tables_current_default() -> None:
    assert Settings.model_fields["gemini_model"].default == DEFAULT_MODEL
    assert SUPPORTED_MODELS[DEFAULT_MODEL].shutdown is None
    assert model_warning(DEFAULT_MODEL, MODELS_AS_OF) is None


def test_an_unknown_model_is_named_in_the_warning_with_the_default() -> None:
    warning = model_warning("gemini-9-ultra", MODELS_AS_OF)

    assert warning is not None
    assert "GEMINI_MODEL=gemini-9-ultra is not one Debrief knows" in warning
    assert DEFAULT_MODEL in warning


def test_a_model_warns_before_and_after_its_shutdown() -> None:
    before = model_warning("gemini-2.5-flash", date(2026, 11, 30))
    after = model_warning("gemini-2.5-flash", date(2026, 12, 1))

    assert before is not None and "shuts down on 2026-12-01" in before
    assert after is not None and "was shut down on 2026-12-01" in after


def test_every_level_model_can_turn_thinking_down_and_budget_models_take_a_temperature() -> None:
    for model in SUPPORTED_MODELS.values():
        for effort in Effort:
            config = thinking_config(effort, model)
            if model.thinking is ThinkingControl.LEVEL:
                assert config.thinking_budget is None
                assert config.thinking_level in model.thinking_levels
            else:
                assert config.thinking_level is None
                assert config.thinking_budget is not None
        assert model.takes_temperature == (model.thinking is ThinkingControl.BUDGET)


def test_an_unknown_model_gets_only_what_every_model_accepts() -> None:
    config = generation_config(adapter.READ_STATS, None)

    assert config.thinking_config is None
    assert config.temperature is None
    assert config.media_resolution is None
    assert config.response_json_schema == adapter.READ_STATS.schema


def keywords(schema: object) -> Iterator[str]:
    if not isinstance(schema, dict):
        return
    yield from schema
    for key, value in schema.items():
        if key in ("properties", "$defs") and isinstance(value, dict):
            for sub in value.values():
                yield from keywords(sub)
        elif key in ("items", "additionalProperties"):
            yield from keywords(value)
        elif key in ("anyOf", "oneOf", "prefixItems") and isinstance(value, list):
            for sub in value:
                yield from keywords(sub)


@pytest.mark.parametrize("task", TASKS, ids=lambda task: task.name)
def test_every_response_schema_stays_within_geminis_keywords(task: Task) -> None:
    used = set(keywords(task.schema))

    assert used <= SUPPORTED_KEYWORDS, used - SUPPORTED_KEYWORDS
    assert "maxLength" not in used


def test_usage_counters_count_tokens_and_dollars_by_task_and_model() -> None:
    registry = CollectorRegistry()
    counters = GeminiUsageCounters(registry)
    usage = AIUsage(DEFAULT_MODEL, prompt_tokens=1000, output_tokens=300, thoughts_tokens=100)

    counters.record("read_stats", usage)
    counters.record("read_stats", usage)
    counters.record("read_stats", AIUsage("gemini-unknown", prompt_tokens=5))

    labels = {"task": "read_stats", "model": DEFAULT_MODEL}
    sample = registry.get_sample_value
    assert sample("gemini_calls_total", labels) == 2
    assert sample("gemini_prompt_tokens_total", labels) == 2000
    assert sample("gemini_output_tokens_total", labels) == 600
    assert sample("gemini_thoughts_tokens_total", labels) == 200
    assert sample("gemini_cost_usd_total", labels) == pytest.approx(
        2 * (1000 * 0.30 + 300 * 2.50) / 1_000_000
    )
    unknown = {"task": "read_stats", "model": "gemini-unknown"}
    assert sample("gemini_prompt_tokens_total", unknown) == 5
    assert sample("gemini_cost_usd_total", unknown) is None
