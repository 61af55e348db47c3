"""``python -m devtools.gemini_stub`` runs standalone and is driven over HTTP."""

from __future__ import annotations

import asyncio
import re
import signal
import sys

import httpx
import pytest

from devtools.gemini_stub.sample_rules import SENT_BY_THE_APP
from devtools.samples import load_manifest

pytestmark = pytest.mark.e2e

LISTENING = re.compile(r"Gemini stub listening on (http://127\.0\.0\.1:\d+)")


async def _base_url(process: asyncio.subprocess.Process) -> str:
    assert process.stderr is not None
    while line := await process.stderr.readline():
        if found := LISTENING.search(line.decode()):
            return found.group(1)
    raise AssertionError("the stub exited without announcing its address")


async def test_standalone_stub_with_samples_answers_and_stops_on_sigterm() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "devtools.gemini_stub",
        "--port",
        "0",
        "--api-key",
        "cli-key",
        "--samples",
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        base_url = await asyncio.wait_for(_base_url(process), timeout=30)
        async with httpx.AsyncClient(base_url=base_url, timeout=5) as http:
            rules = (await http.get("/_stub/rules")).json()["rules"]
            body = {"contents": [{"parts": [{"text": "hi"}]}]}
            refused = await http.post(
                "/v1/models/m:generateContent", json=body, headers={"x-goog-api-key": "nope"}
            )
        # One rule per sample for each form the app sends it in (SENT_BY_THE_APP).
        assert len(rules) == len(SENT_BY_THE_APP) * len(load_manifest().samples)
        assert refused.status_code == 403
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        return_code = await asyncio.wait_for(process.wait(), timeout=10)
    assert return_code == 0
