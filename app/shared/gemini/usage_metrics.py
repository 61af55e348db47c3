"""Prometheus counters of Gemini tokens and dollars, by task and model.

The API exposes its registry on /metrics. The bot has no HTTP server: it keeps the same
counters in a registry of its own, which nothing scrapes; its per-call log line
(`gemini <task> ... tokens=...`) is where its usage is visible.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter

from app.core.ai import AIUsage
from app.shared.gemini.models import lookup

_LABELS = ("task", "model")


class GeminiUsageCounters:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.calls = Counter(
            "gemini_calls_total", "Answered Gemini calls", _LABELS, registry=registry
        )
        self.prompt_tokens = Counter(
            "gemini_prompt_tokens_total",
            "Input tokens billed (text and images)",
            _LABELS,
            registry=registry,
        )
        self.output_tokens = Counter(
            "gemini_output_tokens_total",
            "Output tokens billed, thinking included",
            _LABELS,
            registry=registry,
        )
        self.thoughts_tokens = Counter(
            "gemini_thoughts_tokens_total",
            "The thinking part of the output tokens",
            _LABELS,
            registry=registry,
        )
        self.cost = Counter(
            "gemini_cost_usd_total",
            "Dollars at the published prices of models Debrief knows (unknown models: none)",
            _LABELS,
            registry=registry,
        )

    def record(self, task: str, usage: AIUsage) -> None:
        labels = (task, usage.model)
        self.calls.labels(*labels).inc()
        self.prompt_tokens.labels(*labels).inc(usage.prompt_tokens)
        self.output_tokens.labels(*labels).inc(usage.output_tokens)
        self.thoughts_tokens.labels(*labels).inc(usage.thoughts_tokens)
        model = lookup(usage.model)
        if model is not None:
            self.cost.labels(*labels).inc(model.cost(usage.prompt_tokens, usage.output_tokens))
