"""GeminiAI.warm_up builds what a call would: the first /debrief after a start builds nothing.

google-genai builds each of its pydantic types on first use. A test session has long built
them all, so the question is asked of a fresh interpreter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PROBE = """
import asyncio, json
import pydantic
from google.genai import types
from app.shared.gemini import build_gemini
from app.shared.images import PillowImagePreparer
from app.shared.settings import Environment, Settings
from devtools.gemini_stub import GeminiStub, JsonAnswer, Match, Rule
from devtools.gemini_stub.sample_rules import install_sample_rules
from devtools.samples import load_manifest

KEY = "AIzaSy-test-only-0123456789abcdef"
DEBRIEF = {"headline": "h", "strengths": ["s", "t"], "to_work_on": ["w", "x"]}

def built():
    return {
        name for name, kind in vars(types).items()
        if isinstance(kind, type) and issubclass(kind, pydantic.BaseModel)
        and kind.__dict__.get("__pydantic_complete__")
    }

async def main():
    async with GeminiStub(api_key=KEY) as stub:
        install_sample_rules(stub)
        stub.add_rule(Rule.always(Match(prompt_contains="debrief"), JsonAnswer(DEBRIEF)))
        ai = build_gemini(Settings(
            _env_file=None, debrief_env=Environment.DEVELOPMENT, gemini_api_key=KEY,
            gemini_base_url=stub.base_url, gemini_timeout_ms=10_000,
        ))
        sample = load_manifest().of_kind("scoreboard")[0]
        image = PillowImagePreparer(png_as_uploaded=True).prepare(sample.read_bytes(), "image/png")
        cold = built()
        await ai.warm_up()
        warm = built()
        await ai.read_stats([image], None)
        await ai.write_debrief({"kills": 1})
        print(json.dumps({"by_warm_up": sorted(warm - cold), "by_calls": sorted(built() - warm)}))
        await ai.aclose()

asyncio.run(main())
"""


def test_after_warming_up_a_read_and_a_debrief_build_no_more_types() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])

    assert "GenerateContentResponse" in report["by_warm_up"]
    assert report["by_calls"] == [], "built on the first call: add them to calls._CALL_TYPES"
