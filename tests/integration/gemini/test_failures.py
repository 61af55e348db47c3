"""Outages, retries, timeouts and logging, through the real client's HTTP stack."""

from __future__ import annotations

import logging
import socket

import pytest

from app.core.errors import AIUnavailable
from app.shared.gemini import GeminiAI, RetryPolicy, build_gemini
from app.shared.settings import SettingsError
from devtools.gemini_stub import ErrorAnswer, GeminiStub, JsonAnswer, Match, Rule, Step

from .conftest import API_KEY, MODEL, AIFactory, gemini_settings

FACTS = {"match": {"kills": 31, "deaths": 22}, "averages": {"kills": 24.5}}
DEBRIEF = {
    "headline": "31 kills on Den, your best this month",
    "strengths": ["31 kills, 6.5 above your average", "4 captures"],
    "to_work_on": ["22 deaths: trade less", "Hill time 112 s, below your 140 s"],
}


def statuses(stub: GeminiStub) -> list[int]:
    return [request.status for request in stub.requests]


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_429_twice_then_success_is_retried(stub: GeminiStub, ai: GeminiAI) -> None:
    stub.add_rule(Rule(Match(), (Step(ErrorAnswer(429), times=2), Step(JsonAnswer(DEBRIEF)))))

    debrief = await ai.write_debrief(FACTS)

    assert debrief.headline == DEBRIEF["headline"]
    assert statuses(stub) == [429, 429, 200]


@pytest.mark.parametrize("attempts", [1, 3])
async def test_persistent_503_is_unavailable_after_the_configured_attempts(
    stub: GeminiStub, make_ai: AIFactory, attempts: int
) -> None:
    stub.add_rule(Rule.always(Match(), ErrorAnswer(503)))
    ai = make_ai(retry=RetryPolicy(attempts=attempts, initial_delay_s=0.01, jitter_s=0))

    with pytest.raises(AIUnavailable):
        await ai.write_debrief(FACTS)

    assert statuses(stub) == [503] * attempts


@pytest.mark.parametrize("status", [400, 403, 404])
async def test_client_errors_are_unavailable_without_retrying(
    stub: GeminiStub, ai: GeminiAI, status: int
) -> None:
    stub.add_rule(Rule.always(Match(), ErrorAnswer(status)))

    with pytest.raises(AIUnavailable):
        await ai.write_debrief(FACTS)

    assert statuses(stub) == [status]


async def test_timeout_is_unavailable(stub: GeminiStub, make_ai: AIFactory) -> None:
    stub.add_rule(Rule.always(Match(), JsonAnswer(DEBRIEF, latency_s=5.0)))
    ai = make_ai(gemini_timeout_ms=1_000)

    with pytest.raises(AIUnavailable) as raised:
        await ai.write_debrief(FACTS)

    assert isinstance(raised.value.__cause__, TimeoutError)


async def test_unreachable_server_is_unavailable(stub: GeminiStub, make_ai: AIFactory) -> None:
    ai = make_ai(gemini_base_url=f"http://127.0.0.1:{closed_port()}")

    with pytest.raises(AIUnavailable):
        await ai.write_debrief(FACTS)


async def test_each_call_logs_one_line_with_model_outcome_and_attempts(
    stub: GeminiStub, ai: GeminiAI, caplog: pytest.LogCaptureFixture
) -> None:
    stub.add_rule(Rule(Match(), (Step(JsonAnswer(DEBRIEF), times=1), Step(ErrorAnswer(503)))))
    caplog.set_level(logging.INFO, logger="app.shared.gemini")

    await ai.write_debrief(FACTS)
    with pytest.raises(AIUnavailable):
        await ai.write_debrief(FACTS)

    ok, failed = (record for record in caplog.records if record.name.startswith("app.shared"))
    assert ok.levelno == logging.INFO
    assert f"model={MODEL}" in ok.getMessage()
    assert "outcome=ok" in ok.getMessage()
    assert failed.levelno == logging.WARNING
    assert "outcome=HTTP 503 UNAVAILABLE" in failed.getMessage()
    assert "max_attempts=3" in failed.getMessage()
    assert "kills" not in ok.getMessage() + failed.getMessage()


async def test_the_api_key_never_reaches_a_log_record(
    stub: GeminiStub, make_ai: AIFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    stub.add_rule(Rule(Match(), (Step(ErrorAnswer(429), times=1), Step(ErrorAnswer(500)))))
    wrong_key = "AIzaSy-wrong-key-fedcba9876543210"

    with pytest.raises(AIUnavailable):
        await make_ai().write_debrief(FACTS)
    with pytest.raises(AIUnavailable):
        await make_ai(gemini_api_key=wrong_key).write_debrief(FACTS)
    with pytest.raises(AIUnavailable):
        await make_ai(gemini_base_url=f"http://127.0.0.1:{closed_port()}").write_digest(FACTS)

    assert caplog.records
    logged = caplog.text + "".join(str(record.__dict__) for record in caplog.records)
    assert API_KEY not in logged
    assert wrong_key not in logged


def test_building_without_an_api_key_is_a_settings_error(stub: GeminiStub) -> None:
    with pytest.raises(SettingsError, match="GEMINI_API_KEY"):
        build_gemini(gemini_settings(stub, gemini_api_key=None))
