"""The sentences of an answer without AI whose wording depends on the question: one catalog
message each, for every owner (the asker, a named player, the server) and every variant.

Marked here (`N_`), translated in `phrasing.py` once the placeholders are known. A tuple is
(the asker's, a named player's with {player}, the server's): `wording.said_of` picks one.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.core.i18n import N_

Owners = tuple[str, str, str]

# Best or worst map or mode by a count of matches: (dimension, most played first).
MOST_PLAYED: Mapping[tuple[str, bool], Owners] = {
    ("map", True): (
        N_("Your most played map{where} is {name} ({matches})"),
        N_("{player}'s most played map{where} is {name} ({matches})"),
        N_("This server's most played map{where} is {name} ({matches})"),
    ),
    ("map", False): (
        N_("Your least played map{where} is {name} ({matches})"),
        N_("{player}'s least played map{where} is {name} ({matches})"),
        N_("This server's least played map{where} is {name} ({matches})"),
    ),
    ("mode", True): (
        N_("Your most played mode{where} is {name} ({matches})"),
        N_("{player}'s most played mode{where} is {name} ({matches})"),
        N_("This server's most played mode{where} is {name} ({matches})"),
    ),
    ("mode", False): (
        N_("Your least played mode{where} is {name} ({matches})"),
        N_("{player}'s least played mode{where} is {name} ({matches})"),
        N_("This server's least played mode{where} is {name} ({matches})"),
    ),
}
# Best or worst map or mode by a stat: (dimension, the best first).
BEST: Mapping[tuple[str, bool], Owners] = {
    ("map", True): (
        N_("Your best map by {stat}{where} is {name} ({value} over {matches})"),
        N_("{player}'s best map by {stat}{where} is {name} ({value} over {matches})"),
        N_("This server's best map by {stat}{where} is {name} ({value} over {matches})"),
    ),
    ("map", False): (
        N_("Your worst map by {stat}{where} is {name} ({value} over {matches})"),
        N_("{player}'s worst map by {stat}{where} is {name} ({value} over {matches})"),
        N_("This server's worst map by {stat}{where} is {name} ({value} over {matches})"),
    ),
    ("mode", True): (
        N_("Your best mode by {stat}{where} is {name} ({value} over {matches})"),
        N_("{player}'s best mode by {stat}{where} is {name} ({value} over {matches})"),
        N_("This server's best mode by {stat}{where} is {name} ({value} over {matches})"),
    ),
    ("mode", False): (
        N_("Your worst mode by {stat}{where} is {name} ({value} over {matches})"),
        N_("{player}'s worst mode by {stat}{where} is {name} ({value} over {matches})"),
        N_("This server's worst mode by {stat}{where} is {name} ({value} over {matches})"),
    ),
}
# Who leads: (the leader is the asker, the highest first).
MOST_MATCHES: Mapping[tuple[bool, bool], str] = {
    (True, True): N_("You played the most matches{where}: {count:,}."),
    (True, False): N_("You played the fewest matches{where}: {count:,}."),
    (False, True): N_("{player} played the most matches{where}: {count:,}."),
    (False, False): N_("{player} played the fewest matches{where}: {count:,}."),
}
HIGHEST: Mapping[tuple[bool, bool], str] = {
    (True, True): N_("You have the highest {stat}{where}: {value} over {matches}."),
    (True, False): N_("You have the lowest {stat}{where}: {value} over {matches}."),
    (False, True): N_("{player} has the highest {stat}{where}: {value} over {matches}."),
    (False, False): N_("{player} has the lowest {stat}{where}: {value} over {matches}."),
}
# A trend with too few points, by the unit it groups by.
TOO_FEW: Mapping[str, str] = {
    "match": N_("{stat}{where} needs at least two matches to show a trend."),
    "day": N_("{stat}{where} needs matches on at least two days to show a trend."),
    "week": N_("{stat}{where} needs matches on at least two weeks to show a trend."),
    "month": N_("{stat}{where} needs matches on at least two months to show a trend."),
}
# A record game: by a count the question named (most or fewest), else best or worst by a stat.
MOST_IN_A_MATCH: Owners = (
    N_("Your most {stat} in a match{where} is {value}{by}, on {map} ({mode}, {date})."),
    N_("{player}'s most {stat} in a match{where} is {value}{by}, on {map} ({mode}, {date})."),
    N_("This server's most {stat} in a match{where} is {value}{by}, on {map} ({mode}, {date})."),
)
FEWEST_IN_A_MATCH: Owners = (
    N_("Your fewest {stat} in a match{where} is {value}{by}, on {map} ({mode}, {date})."),
    N_("{player}'s fewest {stat} in a match{where} is {value}{by}, on {map} ({mode}, {date})."),
    N_("This server's fewest {stat} in a match{where} is {value}{by}, on {map} ({mode}, {date})."),
)
BEST_GAME: Owners = (
    N_("Your best game by {stat}{where} is {value}{by}, on {map} ({mode}, {date})."),
    N_("{player}'s best game by {stat}{where} is {value}{by}, on {map} ({mode}, {date})."),
    N_("This server's best game by {stat}{where} is {value}{by}, on {map} ({mode}, {date})."),
)
WORST_GAME: Owners = (
    N_("Your worst game by {stat}{where} is {value}{by}, on {map} ({mode}, {date})."),
    N_("{player}'s worst game by {stat}{where} is {value}{by}, on {map} ({mode}, {date})."),
    N_("This server's worst game by {stat}{where} is {value}{by}, on {map} ({mode}, {date})."),
)
