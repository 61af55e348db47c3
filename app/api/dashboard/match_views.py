"""What the match pages show of a match, beyond its stored fields."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from pydantic import BaseModel

from app.api.dashboard.queries import MatchFilters
from app.core.accounts import User
from app.core.clock import Clock
from app.core.game.catalog import CatalogFlag
from app.core.game.checks import catalog_line, check_line
from app.core.game.disagreements import ReaderFlag
from app.core.game.metrics import kd_ratio
from app.core.i18n import N_, _
from app.core.matches import Match
from app.core.reads.matches import MatchQuery
from app.core.wording import capitalised

EXPORT_URL = "/api/v1/matches/export.csv"


@dataclass(frozen=True, slots=True)
class FlagGroup:
    """One kind of flag a match carries (unknown names, reader disagreements, ...)."""

    label: str
    lines: tuple[str, ...]


# Headings for the kinds of flags known today; any other `*_flags` list is shown by its name.
_FLAG_HEADINGS = {
    "catalog_flags": N_("Names the catalog does not know (or not in this mode)"),
    "reader_flags": N_("Where two readers read the screenshots differently"),
}


def flag_groups(match: Match) -> tuple[FlagGroup, ...]:
    """Every `*_flags` list of the match, whatever its kind: each flag as one sentence."""
    groups = []
    for name in type(match).model_fields:
        value = getattr(match, name)
        if name.endswith("_flags") and isinstance(value, list) and value:
            known = _FLAG_HEADINGS.get(name)
            heading = _(known) if known else name.removesuffix("_flags").replace("_", " ")
            groups.append(FlagGroup(heading, tuple(flag_line(flag, match) for flag in value)))
    return tuple(groups)


def flag_line(flag: object, match: Match) -> str:
    """A flag in the words the bot uses ("Check: kills 31 or 34?"); a kind this page does not
    know yet, as its fields in words, so it is still shown."""
    if isinstance(flag, ReaderFlag):
        return capitalised(check_line(flag))
    if isinstance(flag, CatalogFlag):
        return catalog_line(flag, match.stats.mode)
    if isinstance(flag, BaseModel):
        fields = flag.model_dump(mode="json").items()
        return ", ".join(f"{key} {value}".replace("_", " ") for key, value in fields)
    return str(flag)


def kd(match: Match) -> float:
    player = match.stats.player
    return round(kd_ratio(player.kills, player.deaths), 2)


def server_name(user: User, guild_id: int) -> str:
    """The server's name as the visitor's Discord listed it, or its id."""
    names = {guild.guild_id: guild.name for guild in user.guilds}
    return names.get(guild_id) or _("Server {id}", id=guild_id)


def own_matches(filters: MatchFilters, clock: Clock) -> MatchQuery:
    """The visitor's matches, narrowed by the page's filters."""
    return MatchQuery(mode=filters.mode, map=filters.map, played_from=filters.period.since(clock()))


def export_link(selection: MatchQuery) -> str:
    """The API's CSV export of the same matches (it reads the same session cookie)."""
    params = {
        "mode": selection.mode.value if selection.mode else None,
        "map": selection.map,
        "played_from": selection.played_from.isoformat() if selection.played_from else None,
    }
    query = urlencode({key: value for key, value in params.items() if value})
    return f"{EXPORT_URL}?{query}" if query else EXPORT_URL


def page_link(filters: MatchFilters, cursor: str | None) -> str:
    """This listing with the same filters, at `cursor` (the first page without one)."""
    params = {
        "mode": filters.mode.value if filters.mode else None,
        "map": filters.map,
        "period": filters.period.value,
        "cursor": cursor,
    }
    return "/dashboard/matches?" + urlencode({k: v for k, v in params.items() if v})
