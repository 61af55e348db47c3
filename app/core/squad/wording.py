"""What squad capture says to people, in one place, through the catalog.

The constants are only marked (`N_`): they are translated where they are shown. The functions
translate in the language being spoken: an interaction's, or the server's for a notice sent
outside one (`app/bot/capture_notices.py` sets it).
"""

from __future__ import annotations

from app.core.i18n import N_, _, ngettext
from app.core.links import GamertagLink

NOT_ME_LABEL = N_("Not me")
# A captured match's embed footer says where it came from (a footer cannot mention anyone).
CAPTURED_FOOTER = N_("read from a squad mate's screenshots")
NOT_CAPTURED = N_("Only a match recorded from a squad mate's upload can be disowned; use Delete.")
NOT_YOURS = N_("Only the player it was recorded for can say it wasn't them.")
# A squad mate's upload is recording this very match for the player as they upload it.
BEING_RECORDED = N_(
    "This match is being recorded for you from a squad mate's upload right now; nothing new "
    "was saved. Check your history in a minute."
)
AUTO_RECORD_IS_OWN = N_("Only the member can turn on auto_record for their own name.")
NO_SUCH_MATCH = N_("No match with that id.")


def captured_notice(uploader_id: int, gamertag: str) -> str:
    """Above the match, in the member's DMs."""
    return _(
        "<@{uploader}> uploaded a scoreboard with your row (**{gamertag}**) on it, "
        "so this match was recorded for you too. "
        "Use Fix if a number is wrong, or Not me if this wasn't you.",
        uploader=uploader_id,
        gamertag=gamertag,
    )


def captured_channel_line(user_id: int, uploader_id: int, gamertag: str) -> str:
    """The same notice in the upload's channel, when the member's DMs are closed."""
    return _(
        "<@{member}>: <@{uploader}>'s scoreboard had your row (**{gamertag}**), "
        "so this match was recorded for you too. "
        "Use Fix if a number is wrong, or Not me if this wasn't you.",
        member=user_id,
        uploader=uploader_id,
        gamertag=gamertag,
    )


def also_recorded(gamertags: list[str]) -> str:
    """After the uploader's "saved" line: who else got the match."""
    if not gamertags:
        return ""
    names = ", ".join(gamertags)
    return " " + ngettext(
        "Also recorded for {count:,} squad mate: {names}.",
        "Also recorded for {count:,} squad mates: {names}.",
        len(gamertags),
        names=names,
    )


def already_recorded(match_id: str, uploader_id: int) -> str:
    return _(
        "This match is already recorded for you as match {id}, from <@{uploader}>'s "
        "upload; nothing new was saved. Fix it there if anything differs.",
        id=match_id,
        uploader=uploader_id,
    )


def removed(match_id: str, gamertag: str | None) -> str:
    if gamertag:
        return _(
            "Removed: match {id} is no longer in your stats. To stop automatic recording, "
            "run /link gamertag:{gamertag} auto_record:False.",
            id=match_id,
            gamertag=gamertag,
        )
    return _("Removed: match {id} is no longer in your stats.", id=match_id)


def auto_record_line(link: GamertagLink) -> str:
    """After /link: whether a squad mate's upload records matches for this name."""
    if link.auto_record:
        return " " + _(
            "Auto-record is on for {gamertag}: a squad mate's scoreboard showing it "
            "records the match for you too, and you get a DM to check it.",
            gamertag=link.gamertag,
        )
    return " " + _("Auto-record is off for {gamertag}.", gamertag=link.gamertag)
