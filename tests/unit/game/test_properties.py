"""Properties over many generated matches and names."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.game import MODE_RULES, InvalidMatchStats, Mode, normalise_name, validate_extraction
from app.core.game.names import loose_key, tidy_name

from .strategies import raw_matches

# Derandomised so every run checks the same examples: a failure reproduces on the next run.
checked = settings(
    derandomize=True,
    database=None,
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@checked
@given(raw_matches())
def test_any_match_within_the_rules_round_trips(raw: dict[str, Any]) -> None:
    assert validate_extraction(raw).to_raw() == raw


@checked
@given(raw_matches(), st.data())
def test_any_player_stat_over_its_limit_is_rejected(
    raw: dict[str, Any], data: st.DataObject
) -> None:
    limits = MODE_RULES[Mode(raw["mode"])].player_limits
    stat = data.draw(st.sampled_from(sorted(limits)))
    value = limits[stat] + data.draw(st.integers(1, 10_000))
    raw["player"][stat] = value

    with pytest.raises(InvalidMatchStats) as caught:
        validate_extraction(raw)

    assert any(problem.startswith(f"player.{stat}: {value} ") for problem in caught.value.problems)


@checked
@given(st.text())
def test_normalise_name_is_idempotent(raw: str) -> None:
    once = normalise_name(raw)

    assert normalise_name(once) == once


@checked
@given(st.text())
def test_tidy_name_is_idempotent(raw: str) -> None:
    once = tidy_name(raw)

    assert tidy_name(once) == once


@checked
@given(st.text())
def test_names_that_normalise_alike_have_the_same_loose_key(raw: str) -> None:
    assert loose_key(normalise_name(raw)) == loose_key(raw)
