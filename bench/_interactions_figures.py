"""The /debrief benchmark's figures, computed from what the emulator and the database saw.

Pure functions over plain records, so the arithmetic is unit-tested apart from the run.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bench.common import mean_rate, peak_in_window, percentile

# Discord's limits: answer an interaction within 3 s; 50 bot requests per second in all.
ACK_DEADLINE_S = 3.0
GLOBAL_LIMIT_PER_S = 50
# Interaction callbacks and webhooks (follow-ups, @original edits) are exempt from that limit.
EXEMPT_PREFIXES = ("/interactions/", "/webhooks/")
REST_PREFIX = "/api/v10"
CALLBACK_PATH = re.compile(rf"^{REST_PREFIX}/interactions/(\d+)/[^/]+/callback$")
# How the bot's private line starts once a match is saved.
SAVED_PREFIX = "Saved as match "
# A posted debrief waited for two Gemini answers: reading the screenshot, writing the debrief.
GEMINI_CALLS_ON_THE_PATH = 2


@dataclass(frozen=True)
class RestCall:
    """One request the emulator answered (emulator clock, Unix seconds)."""

    at: float
    path: str
    template: str | None
    status: int
    # How long the emulator took to answer it.
    duration_s: float = 0.0

    @property
    def is_rest(self) -> bool:
        return self.path.startswith(REST_PREFIX)

    @property
    def counts_toward_global_limit(self) -> bool:
        """Bot-token REST calls; interaction endpoints are exempt, as on Discord."""
        route = self.template or self.path.removeprefix(REST_PREFIX)
        return self.is_rest and not route.startswith(EXEMPT_PREFIXES)

    @property
    def refused(self) -> bool:
        return self.status >= 400


def first_callbacks(calls: Iterable[RestCall]) -> dict[int, RestCall]:
    """The first callback request of each interaction, by interaction id, accepted or not."""
    first: dict[int, RestCall] = {}
    for call in calls:
        found = CALLBACK_PATH.match(call.path)
        if found and (interaction_id := int(found.group(1))) not in first:
            first[interaction_id] = call
    return first


@dataclass(frozen=True)
class Timing:
    """One interaction as Discord saw it (emulator clock, Unix seconds)."""

    interaction_id: int
    dispatched_at: float
    # When the bot's first answer reached Discord, and whether Discord accepted it.
    callback: RestCall | None
    # When the public debrief was posted; None when none was.
    posted_at: float | None
    public_posts: int
    # What the private line finally said ("Saved as match …" or an error), if it changed.
    outcome: str | None
    # Edits that told the user their place in line ("Queued, N ahead").
    queue_notices: int = 0
    # When the bot's request posting the debrief arrived: `posted_at` is once the emulator
    # has checked it against Discord's spec and stored it, Discord's time, not the bot's.
    post_arrived_at: float | None = None

    @property
    def told_saved(self) -> bool:
        """The user was told the match was saved, publicly or privately."""
        return self.posted_at is not None or (self.outcome or "").startswith(SAVED_PREFIX)


@dataclass(frozen=True)
class Figures:
    interactions: int
    gemini_latency_s: float
    gemini_requests: int
    acknowledged: int
    ack_p50_s: float
    ack_p99_s: float
    ack_max_s: float
    acks_over_deadline: int
    acks_refused: int
    posted: int
    end_to_end_p50_s: float
    end_to_end_p99_s: float
    bot_time_p50_s: float
    bot_time_p99_s: float
    bot_to_arrival_p50_s: float
    bot_to_arrival_p99_s: float
    debriefs_per_s: float
    rest_requests: int
    rest_per_s: float
    rest_peak_per_s: int
    limited_requests: int
    limited_peak_per_s: int
    rate_limited_429: int
    emulator_p50_s: float
    emulator_p99_s: float
    waited_in_line: int
    queue_notices: int
    saved_matches: int
    lost_matches: int
    saved_not_told: int
    duplicated_matches: int
    duplicated_posts: int
    refused_bodies: int
    failures: Mapping[str, int]

    def rows(self) -> list[tuple[str, str]]:
        """(figure, value) rows for the printed table."""
        gemini_s = f"{GEMINI_CALLS_ON_THE_PATH} × Gemini latency"
        return [
            ("interactions, dispatched at once", f"{self.interactions}"),
            ("Gemini stub latency per call", f"{self.gemini_latency_s:.2f} s"),
            ("Gemini requests answered by the stub", f"{self.gemini_requests}"),
            ("acknowledged (callback accepted)", f"{self.acknowledged}"),
            (
                "ack latency p50 / p99 / max",
                _seconds(self.ack_p50_s, self.ack_p99_s, self.ack_max_s),
            ),
            (f"acks later than {ACK_DEADLINE_S:.0f} s", f"{self.acks_over_deadline}"),
            ("callbacks refused (404 unknown interaction)", f"{self.acks_refused}"),
            ("public debriefs posted", f"{self.posted}"),
            ("end to end p50 / p99", _seconds(self.end_to_end_p50_s, self.end_to_end_p99_s)),
            (
                f"end to end minus {gemini_s} p50 / p99",
                _seconds(self.bot_time_p50_s, self.bot_time_p99_s),
            ),
            (
                "the same, to the debrief request's arrival p50 / p99",
                _seconds(self.bot_to_arrival_p50_s, self.bot_to_arrival_p99_s),
            ),
            ("debriefs per second", f"{self.debriefs_per_s:.1f}"),
            ('users who waited in line (told "Queued, N ahead")', f"{self.waited_in_line}"),
            ("queue notices (edits of the private line)", f"{self.queue_notices}"),
            ("Discord REST requests", f"{self.rest_requests}"),
            (
                "REST requests/s mean / peak (1 s)",
                f"{self.rest_per_s:.1f} / {self.rest_peak_per_s}",
            ),
            (
                f"bot-token requests (global {GLOBAL_LIMIT_PER_S}/s limit), peak (1 s)",
                f"{self.limited_requests}, {self.limited_peak_per_s}",
            ),
            ("429 answers from the emulator", f"{self.rate_limited_429}"),
            (
                "emulator time per request p50 / p99",
                _seconds(self.emulator_p50_s, self.emulator_p99_s),
            ),
            ("matches saved", f"{self.saved_matches}"),
            ("lost matches (user told saved, none in the database)", f"{self.lost_matches}"),
            ("matches saved but the user never told", f"{self.saved_not_told}"),
            ("duplicated matches", f"{self.duplicated_matches}"),
            ("public debriefs posted twice", f"{self.duplicated_posts}"),
            ("failed interactions", f"{sum(self.failures.values())}"),
            ("bodies Discord would refuse (spec)", f"{self.refused_bodies}"),
        ]


def summarize(
    timings: Sequence[Timing],
    calls: Sequence[RestCall],
    matches_by_interaction: Mapping[int, int],
    *,
    gemini_latency_s: float,
    gemini_requests: int,
    refused_bodies: int = 0,
) -> Figures:
    """Every figure of one run. `gemini_requests`: how many the stub answered."""
    answered = [t for t in timings if t.callback is not None]
    acks = [t.callback.at - t.dispatched_at for t in answered if t.callback is not None]
    posted = [t for t in timings if t.posted_at is not None]
    end_to_end = [t.posted_at - t.dispatched_at for t in posted if t.posted_at is not None]
    # The stub's answers are on the path of every posted debrief; what is left is the bot's
    # own time (including any time spent waiting for a Gemini call that then timed out).
    bot_times = [seconds - GEMINI_CALLS_ON_THE_PATH * gemini_latency_s for seconds in end_to_end]
    to_arrival = [
        t.post_arrived_at - t.dispatched_at - GEMINI_CALLS_ON_THE_PATH * gemini_latency_s
        for t in posted
        if t.post_arrived_at is not None
    ]
    started = min((t.dispatched_at for t in timings), default=0.0)
    finished = max((t.posted_at for t in posted if t.posted_at is not None), default=started)
    rest = [call for call in calls if call.is_rest]
    limited = [call for call in rest if call.counts_toward_global_limit]
    counts = {t.interaction_id: matches_by_interaction.get(t.interaction_id, 0) for t in timings}
    handling = [call.duration_s for call in rest]
    return Figures(
        interactions=len(timings),
        gemini_latency_s=gemini_latency_s,
        gemini_requests=gemini_requests,
        acknowledged=sum(1 for t in answered if t.callback and not t.callback.refused),
        ack_p50_s=_percentile_or_nan(acks, 50),
        ack_p99_s=_percentile_or_nan(acks, 99),
        ack_max_s=max(acks, default=float("nan")),
        acks_over_deadline=sum(1 for seconds in acks if seconds > ACK_DEADLINE_S),
        acks_refused=sum(1 for t in answered if t.callback and t.callback.refused),
        posted=len(posted),
        end_to_end_p50_s=_percentile_or_nan(end_to_end, 50),
        end_to_end_p99_s=_percentile_or_nan(end_to_end, 99),
        bot_time_p50_s=_percentile_or_nan(bot_times, 50),
        bot_time_p99_s=_percentile_or_nan(bot_times, 99),
        bot_to_arrival_p50_s=_percentile_or_nan(to_arrival, 50),
        bot_to_arrival_p99_s=_percentile_or_nan(to_arrival, 99),
        debriefs_per_s=mean_rate(len(posted), finished - started),
        rest_requests=len(rest),
        rest_per_s=mean_rate(len(rest), finished - started),
        rest_peak_per_s=peak_in_window([call.at for call in rest]),
        limited_requests=len(limited),
        limited_peak_per_s=peak_in_window([call.at for call in limited]),
        rate_limited_429=sum(1 for call in calls if call.status == 429),
        emulator_p50_s=_percentile_or_nan(handling, 50),
        emulator_p99_s=_percentile_or_nan(handling, 99),
        waited_in_line=sum(1 for t in timings if t.queue_notices),
        queue_notices=sum(t.queue_notices for t in timings),
        saved_matches=sum(1 for count in counts.values() if count),
        lost_matches=sum(1 for t in timings if t.told_saved and not counts[t.interaction_id]),
        saved_not_told=sum(1 for t in timings if counts[t.interaction_id] and not t.told_saved),
        duplicated_matches=sum(count - 1 for count in counts.values() if count > 1),
        duplicated_posts=sum(1 for t in timings if t.public_posts > 1),
        refused_bodies=refused_bodies,
        failures=Counter(_failure(t) for t in timings if t.posted_at is None),
    )


def _failure(timing: Timing) -> str:
    if timing.callback is None:
        return "(never acknowledged)"
    if timing.callback.refused:
        return f"(acknowledged too late: {timing.callback.status})"
    return timing.outcome or "(no answer after the acknowledgement)"


@dataclass(frozen=True)
class CpuUse:
    """CPU seconds each process spent during the run, to tell where the time went."""

    wall_s: float
    seconds_by_process: Mapping[str, float]

    def rows(self) -> list[tuple[str, str, str]]:
        """(process, CPU seconds, share of one core over the run) rows."""
        return [
            (name, f"{seconds:.1f}", f"{seconds / self.wall_s:.0%}" if self.wall_s else "n/a")
            for name, seconds in self.seconds_by_process.items()
        ]


def cpu_use(before: Mapping[str, float], after: Mapping[str, float], wall_s: float) -> CpuUse:
    return CpuUse(wall_s, {name: after[name] - before[name] for name in before})


def _percentile_or_nan(values: Sequence[float], q: float) -> float:
    return percentile(values, q) if values else float("nan")


def _seconds(*values: float) -> str:
    return " / ".join(f"{value:.3f} s" for value in values)
