"""The numbers behind debriefs and digests, computed before (and without) the AI."""

from app.core.debriefing.comparison import Comparison, StatComparison, compare_match
from app.core.debriefing.digest import (
    InvalidWeek,
    IsoWeek,
    digest_period,
    iso_week,
    scheduled_period,
    template_digest,
    weekly_facts,
)
from app.core.debriefing.formatting import format_stat
from app.core.debriefing.template import TEMPLATE_MODEL, template_debrief

__all__ = [
    "TEMPLATE_MODEL",
    "Comparison",
    "InvalidWeek",
    "IsoWeek",
    "StatComparison",
    "compare_match",
    "digest_period",
    "format_stat",
    "iso_week",
    "scheduled_period",
    "template_debrief",
    "template_digest",
    "weekly_facts",
]
