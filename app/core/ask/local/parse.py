"""Reads a question into one of the local planner's shapes, or None when it fits none.

Words are taken in a fixed order, each kind blanked once read so that no word counts twice:
the period ("last 10 matches" is not a stat), "win rate", average or total, the dimension
("game mode" is not a game), the mode, the map, the stats; then the cues of each shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TypeVar

from app.core.ask.local.periods import Period, Span, find_period, names_an_unread_period
from app.core.ask.local.pipelines import TREND_ROWS
from app.core.ask.local.question import MAP, MODE, Aggregate, Question, Shape
from app.core.ask.local.stats import (
    KD,
    MATCHES,
    STAT_WORDS,
    UNKNOWN_STAT_WORDS,
    WIN_RATE_WORDS,
    WINS,
    Kind,
    StatSpec,
)
from app.core.ask.local.words import (
    blank,
    find_phrases,
    has_any,
    phrase_key,
    split_words,
    table_of,
)
from app.core.game.modes import Mode

V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Asker:
    """Who asks, and whether the server's or their own scope shows them only their matches."""

    user_id: int
    only_own_matches: bool = False


_AGGREGATES = table_of(
    {
        Aggregate.AVERAGE: (
            "average", "avg", "mean", "per match", "per game", "each match", "each game",
            "every match", "every game", "a match on average", "typical", "typically",
        ),
        Aggregate.TOTAL: (
            "total", "totals", "sum", "altogether", "combined", "in total", "how many",
            "how much", "count", "number of", "all together",
        ),
    }
)  # fmt: skip
_DIMENSIONS = table_of(
    {
        MAP: ("map", "maps", "on which map", "which map"),
        MODE: ("mode", "modes", "game mode", "game modes", "gamemode", "playlist", "game type"),
    }
)  # fmt: skip
_MODES = table_of(
    {
        Mode.HARDPOINT: ("hardpoint", "hard point", "hp", "hardpoints"),
        Mode.SEARCH_AND_DESTROY: (
            "search and destroy", "search destroy", "snd", "sd", "s d", "search",
        ),
        Mode.OVERLOAD: ("overload", "ol"),
    }
)  # fmt: skip
_ME = table_of({True: ("my", "me", "i", "mine", "myself", "im", "ive", "id", "ill")})
_TREND = table_of(
    {
        True: (
            "trend", "trends", "trending", "improving", "improve", "improved", "improvement",
            "getting better", "getting worse", "progress", "progressing", "progression",
            "over time", "changed", "changing", "change", "evolution", "evolving",
            "going up", "going down", "declining", "decline", "dropping", "history",
            "graph", "chart", "day by day", "match by match", "game by game", "week by week",
            "daily", "weekly", "trajectory", "better or worse",
        )
    }
)  # fmt: skip
_RECORD = table_of(
    {
        True: (
            "record", "records", "personal best", "personal record", "pb", "career high",
            "single game", "single match", "highest ever", "best ever",
        )
    }
)  # fmt: skip
_ONE_GAME = table_of({True: ("game", "match")})
_LEADER = table_of(
    {
        True: (
            "who", "whos", "whose", "leaderboard", "leaderboards", "leader", "leaders",
            "leads", "lead", "leading", "ranking", "rankings", "rank", "ranked",
            "top players", "which player", "what player", "best player", "mvp", "players",
            "player", "anyone", "someone", "somebody", "everyone", "everybody",
        )
    }
)  # fmt: skip
_VERSUS = table_of(
    {
        True: (
            "vs", "versus", "v", "compare", "compared", "comparison", "against", "than",
            "head to head", "h2h", "or",
        )
    }
)  # fmt: skip
_GOOD, _BAD, _HIGH, _LOW = "good", "bad", "high", "low"
_DIRECTIONS = table_of(
    {
        _GOOD: ("best", "top", "greatest", "strongest", "favorite", "favourite", "better"),
        _BAD: ("worst", "weakest", "weakness", "worse"),
        _HIGH: ("most", "highest", "max", "maximum", "more", "higher", "biggest", "largest"),
        _LOW: ("least", "fewest", "lowest", "min", "minimum", "less", "fewer", "lower"),
    }
)  # fmt: skip


@dataclass(slots=True)
class _Reading:
    """The words not read yet: each `take` blanks the phrases it returns."""

    words: tuple[str, ...]

    def take(self, table: Mapping[tuple[str, ...], V]) -> list[V]:
        found = list(find_phrases(self.words, table))
        self.words = blank(self.words, found)
        return [phrase.value for phrase in found]


def parse_question(
    text: str, asker: Asker, maps: Mapping[str, str] | None = None
) -> Question | None:
    """The question's shape and parts, or None when it is none of the shapes.

    `maps`: every spelling of a known map (names and aliases) and the name it stands for.
    """
    split = split_words(text)
    if names_an_unread_period(split.words) or not UNKNOWN_STAT_WORDS.isdisjoint(split.words):
        return None
    reading = _Reading(split.words)
    period, period_words = find_period(reading.words)
    reading.words = blank(reading.words, period_words)
    win_rate = bool(reading.take(WIN_RATE_WORDS))
    aggregates = reading.take(_AGGREGATES)
    dimensions = reading.take(_DIMENSIONS)
    modes = reading.take(_MODES)
    map_names = reading.take(_map_table(maps or {}))
    named = _named_stat(reading.take(STAT_WORDS), win_rate)
    words = reading.words
    directions = [found.value for found in find_phrases(words, _DIRECTIONS)]
    shape = _shape(words, split.mentions, named, directions, bool(dimensions), asker)
    if shape is None:
        return None
    stat = named or KD
    dimension = _first(dimensions) if shape is Shape.BEST_BY else None
    mode = _first(modes) if dimension is not MODE else None
    return _settled(
        Question(
            shape=shape,
            stat=stat,
            aggregate=_aggregate(shape, stat, _first(aggregates), directions, win_rate),
            period=period,
            players=_players(shape, words, split.mentions, asker),
            asker=asker.user_id,
            asker_only=asker.only_own_matches,
            descending=_descending(stat, _first(directions)),
            dimension=dimension,
            mode=mode or stat.mode,
            map_name=_first(map_names) if dimension is not MAP else None,
            stat_named=named is not None,
        )
    )


def _settled(question: Question) -> Question:
    """A trend or a record of "matches" is of K/D; a trend shows at most TREND_ROWS matches."""
    if question.shape in {Shape.TREND, Shape.RECORD} and question.stat is MATCHES:
        question = replace(question, stat=KD, stat_named=False)
    if question.shape is not Shape.TREND:
        return question
    span = question.period.span
    if span is Span.ALL_TIME:
        return replace(question, period=Period(Span.MATCHES, TREND_ROWS))
    if span is Span.MATCHES and question.period.count > TREND_ROWS:
        return replace(question, period=Period(Span.MATCHES, TREND_ROWS))
    return question


def _named_stat(stats: list[StatSpec], win_rate: bool) -> StatSpec | None:
    if win_rate:
        return WINS
    # "how many matches did I win" is about wins: "matches" names a stat only on its own.
    return next((stat for stat in stats if stat is not MATCHES), _first(stats))


def _shape(
    words: tuple[str, ...],
    mentions: tuple[int, ...],
    stat: StatSpec | None,
    directions: list[str],
    dimensioned: bool,
    asker: Asker,
) -> Shape | None:
    if len(_compared(words, mentions, asker)) >= 2:
        return Shape.HEAD_TO_HEAD
    if has_any(words, _TREND):
        return Shape.TREND
    if has_any(words, _RECORD) or (directions and has_any(words, _ONE_GAME)):
        return Shape.RECORD
    if dimensioned:
        return Shape.BEST_BY
    if has_any(words, _LEADER) and (stat is not None or directions):
        return Shape.LEADER
    return Shape.TOTALS if stat is not None else None


def _compared(words: tuple[str, ...], mentions: tuple[int, ...], asker: Asker) -> list[int]:
    """The players of a head-to-head: two named, or the asker and one named."""
    named = list(dict.fromkeys(mentions))
    if has_any(words, _ME) or (len(named) == 1 and has_any(words, _VERSUS)):
        named = list(dict.fromkeys([asker.user_id, *named]))
    return named[:2]


def _players(
    shape: Shape, words: tuple[str, ...], mentions: tuple[int, ...], asker: Asker
) -> tuple[int, ...]:
    if shape is Shape.HEAD_TO_HEAD:
        return tuple(_compared(words, mentions, asker))
    if shape is Shape.LEADER:
        return ()
    if mentions:
        return (mentions[0],)
    return (asker.user_id,) if has_any(words, _ME) else ()


def _aggregate(
    shape: Shape,
    stat: StatSpec,
    said: Aggregate | None,
    directions: list[str],
    win_rate: bool,
) -> Aggregate:
    if win_rate or stat.kind in {Kind.KD, Kind.ACCURACY}:
        return Aggregate.AVERAGE
    if said is not None:
        return said
    ranked_by_amount = shape is Shape.LEADER and any(d in {_HIGH, _LOW} for d in directions)
    if shape is Shape.TOTALS or ranked_by_amount:
        return Aggregate.TOTAL
    return Aggregate.AVERAGE


def _descending(stat: StatSpec, direction: str | None) -> bool:
    if direction == _HIGH:
        return True
    if direction == _LOW:
        return False
    if direction == _BAD:
        return not stat.higher_is_better
    return stat.higher_is_better


def _map_table(maps: Mapping[str, str]) -> dict[tuple[str, ...], str]:
    return {key: name for spelling, name in maps.items() if (key := phrase_key(spelling))}


def _first(values: list[V]) -> V | None:
    return values[0] if values else None
