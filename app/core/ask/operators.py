"""The allowlists of the /ask guard: every stage and operator a planned pipeline may use.

Anything not named here is refused, so a new MongoDB operator is refused until someone decides
it is safe. None of these reads another collection, writes anything, runs code, or binds
variables; that is what makes walking their arguments as plain expressions sound.
"""

from __future__ import annotations

STAGES = frozenset(
    {
        "$match",
        "$group",
        "$sort",
        "$limit",
        "$skip",
        "$project",
        "$addFields",
        "$set",
        "$count",
        "$unwind",
        "$sortByCount",
    }
)

# Stages after which the documents are the stage's own output, not matches.
REGROUPING_STAGES = frozenset({"$group", "$count", "$sortByCount"})

QUERY_OPERATORS = frozenset(
    {
        "$eq",
        "$ne",
        "$gt",
        "$gte",
        "$lt",
        "$lte",
        "$in",
        "$nin",
        "$exists",
        "$not",
        "$size",
        "$elemMatch",
    }
)

QUERY_LOGIC = frozenset({"$and", "$or", "$nor"})

ACCUMULATORS = frozenset(
    {"$sum", "$avg", "$min", "$max", "$first", "$last", "$count", "$stdDevPop", "$stdDevSamp"}
)

EXPRESSION_OPERATORS = frozenset(
    {
        # comparison and logic
        "$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$cmp", "$and", "$or", "$not", "$in",
        # arithmetic (on arrays, $sum/$avg/$min/$max are expressions too)
        "$add", "$subtract", "$multiply", "$divide", "$mod", "$abs", "$ceil", "$floor",
        "$round", "$trunc", "$sum", "$avg", "$min", "$max",
        # conditions
        "$cond", "$ifNull", "$switch",
        # dates
        "$year", "$month", "$week", "$isoWeek", "$isoWeekYear", "$dayOfWeek", "$isoDayOfWeek",
        "$dayOfMonth", "$hour", "$dateTrunc", "$dateToString", "$dateFromString", "$dateAdd",
        "$dateSubtract", "$dateDiff",
        # strings and arrays, bounded by the document they read
        "$toLower", "$toUpper", "$concat", "$toString", "$size",
    }
)  # fmt: skip

# The one system variable a question needs ("this week", "the last 30 days"): a constant
# timestamp that reads nothing. $$ROOT, $$CURRENT and the rest stay refused.
SYSTEM_VARIABLES = frozenset({"$$NOW"})

# {"$date": "<ISO 8601>"}: the planner writes JSON, and a date literal is the natural way to
# compare played_at with a day; the guard turns it into a real datetime.
DATE_LITERAL = "$date"
