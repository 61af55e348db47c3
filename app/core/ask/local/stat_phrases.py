"""The names of the stats an answer without AI talks about, and each with its owner.

Spanish (like most languages) cannot say "Your" + "average kills": the noun's gender and
number choose the article and the possessive. So each stat is a whole noun phrase per owner
("Your average kills", "{player}'s average kills", "This server's average kills"), one
catalog message each, and every sentence takes the phrase as its subject (`phrasing.py`).
The keys are the English names `wording.stat_name` and the trend and record answers use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.core.i18n import N_


@dataclass(frozen=True, slots=True)
class Owned:
    """A stat as a sentence's subject: the asker's, a named player's, the server's."""

    yours: str
    theirs: str  # with a {player} placeholder
    servers: str


# The bare names, for a title and after "by" ("Best maps by average kills"); marked here,
# translated where they are shown.
NAMES = (
    N_("K/D"),
    N_("accuracy"),
    N_("win rate"),
    N_("wins"),
    N_("matches"),
    N_("average kills"),
    N_("total kills"),
    N_("kills per match"),
    N_("average deaths"),
    N_("total deaths"),
    N_("deaths per match"),
    N_("average assists"),
    N_("total assists"),
    N_("assists per match"),
    N_("average score"),
    N_("total score"),
    N_("score per match"),
    N_("average hill time"),
    N_("total hill time"),
    N_("hill time per match"),
    N_("average captures"),
    N_("total captures"),
    N_("captures per match"),
    N_("average plants"),
    N_("total plants"),
    N_("plants per match"),
    N_("average defuses"),
    N_("total defuses"),
    N_("defuses per match"),
    N_("average overloads"),
    N_("total overloads"),
    N_("overloads per match"),
    N_("average device carry time"),
    N_("total device carry time"),
    N_("device carry time per match"),
    N_("kills"),
    N_("deaths"),
    N_("assists"),
    N_("score"),
    N_("hill time"),
    N_("captures"),
    N_("plants"),
    N_("defuses"),
    N_("overloads"),
    N_("device carry time"),
)
OWNED: Mapping[str, Owned] = {
    "K/D": Owned(N_("Your K/D"), N_("{player}'s K/D"), N_("This server's K/D")),
    "accuracy": Owned(N_("Your accuracy"), N_("{player}'s accuracy"), N_("This server's accuracy")),
    "win rate": Owned(N_("Your win rate"), N_("{player}'s win rate"), N_("This server's win rate")),
    "wins": Owned(N_("Your wins"), N_("{player}'s wins"), N_("This server's wins")),
    "matches": Owned(N_("Your matches"), N_("{player}'s matches"), N_("This server's matches")),
    "average kills": Owned(
        N_("Your average kills"), N_("{player}'s average kills"), N_("This server's average kills")
    ),
    "total kills": Owned(
        N_("Your total kills"), N_("{player}'s total kills"), N_("This server's total kills")
    ),
    "kills per match": Owned(
        N_("Your kills per match"),
        N_("{player}'s kills per match"),
        N_("This server's kills per match"),
    ),
    "average deaths": Owned(
        N_("Your average deaths"),
        N_("{player}'s average deaths"),
        N_("This server's average deaths"),
    ),
    "total deaths": Owned(
        N_("Your total deaths"), N_("{player}'s total deaths"), N_("This server's total deaths")
    ),
    "deaths per match": Owned(
        N_("Your deaths per match"),
        N_("{player}'s deaths per match"),
        N_("This server's deaths per match"),
    ),
    "average assists": Owned(
        N_("Your average assists"),
        N_("{player}'s average assists"),
        N_("This server's average assists"),
    ),
    "total assists": Owned(
        N_("Your total assists"), N_("{player}'s total assists"), N_("This server's total assists")
    ),
    "assists per match": Owned(
        N_("Your assists per match"),
        N_("{player}'s assists per match"),
        N_("This server's assists per match"),
    ),
    "average score": Owned(
        N_("Your average score"), N_("{player}'s average score"), N_("This server's average score")
    ),
    "total score": Owned(
        N_("Your total score"), N_("{player}'s total score"), N_("This server's total score")
    ),
    "score per match": Owned(
        N_("Your score per match"),
        N_("{player}'s score per match"),
        N_("This server's score per match"),
    ),
    "average hill time": Owned(
        N_("Your average hill time"),
        N_("{player}'s average hill time"),
        N_("This server's average hill time"),
    ),
    "total hill time": Owned(
        N_("Your total hill time"),
        N_("{player}'s total hill time"),
        N_("This server's total hill time"),
    ),
    "hill time per match": Owned(
        N_("Your hill time per match"),
        N_("{player}'s hill time per match"),
        N_("This server's hill time per match"),
    ),
    "average captures": Owned(
        N_("Your average captures"),
        N_("{player}'s average captures"),
        N_("This server's average captures"),
    ),
    "total captures": Owned(
        N_("Your total captures"),
        N_("{player}'s total captures"),
        N_("This server's total captures"),
    ),
    "captures per match": Owned(
        N_("Your captures per match"),
        N_("{player}'s captures per match"),
        N_("This server's captures per match"),
    ),
    "average plants": Owned(
        N_("Your average plants"),
        N_("{player}'s average plants"),
        N_("This server's average plants"),
    ),
    "total plants": Owned(
        N_("Your total plants"), N_("{player}'s total plants"), N_("This server's total plants")
    ),
    "plants per match": Owned(
        N_("Your plants per match"),
        N_("{player}'s plants per match"),
        N_("This server's plants per match"),
    ),
    "average defuses": Owned(
        N_("Your average defuses"),
        N_("{player}'s average defuses"),
        N_("This server's average defuses"),
    ),
    "total defuses": Owned(
        N_("Your total defuses"), N_("{player}'s total defuses"), N_("This server's total defuses")
    ),
    "defuses per match": Owned(
        N_("Your defuses per match"),
        N_("{player}'s defuses per match"),
        N_("This server's defuses per match"),
    ),
    "average overloads": Owned(
        N_("Your average overloads"),
        N_("{player}'s average overloads"),
        N_("This server's average overloads"),
    ),
    "total overloads": Owned(
        N_("Your total overloads"),
        N_("{player}'s total overloads"),
        N_("This server's total overloads"),
    ),
    "overloads per match": Owned(
        N_("Your overloads per match"),
        N_("{player}'s overloads per match"),
        N_("This server's overloads per match"),
    ),
    "average device carry time": Owned(
        N_("Your average device carry time"),
        N_("{player}'s average device carry time"),
        N_("This server's average device carry time"),
    ),
    "total device carry time": Owned(
        N_("Your total device carry time"),
        N_("{player}'s total device carry time"),
        N_("This server's total device carry time"),
    ),
    "device carry time per match": Owned(
        N_("Your device carry time per match"),
        N_("{player}'s device carry time per match"),
        N_("This server's device carry time per match"),
    ),
}
