"""What squad capture says to people, in one place (plain English, ready for translation)."""

from __future__ import annotations

from app.core.links import GamertagLink
from app.core.wording import counted

NOT_ME_LABEL = "Not me"
# A captured match's embed footer says where it came from (a footer cannot mention anyone).
CAPTURED_FOOTER = "read from a squad mate's screenshots"
FIX_HINT = "Use Fix if a number is wrong, or Not me if this wasn't you."
NOT_CAPTURED = "Only a match recorded from a squad mate's upload can be disowned; use Delete."
NOT_YOURS = "Only the player it was recorded for can say it wasn't them."
# A squad mate's upload is recording this very match for the player as they upload it.
BEING_RECORDED = (
    "This match is being recorded for you from a squad mate's upload right now; nothing new "
    "was saved. Check your history in a minute."
)
AUTO_RECORD_IS_OWN = "Only the member can turn on auto_record for their own name."


def captured_notice(uploader_id: int, gamertag: str) -> str:
    """Above the match, in the member's DMs."""
    return (
        f"<@{uploader_id}> uploaded a scoreboard with your row (**{gamertag}**) on it, "
        f"so this match was recorded for you too. {FIX_HINT}"
    )


def captured_channel_line(user_id: int, uploader_id: int, gamertag: str) -> str:
    """The same notice in the upload's channel, when the member's DMs are closed."""
    return (
        f"<@{user_id}>: <@{uploader_id}>'s scoreboard had your row (**{gamertag}**), "
        f"so this match was recorded for you too. {FIX_HINT}"
    )


def also_recorded(gamertags: list[str]) -> str:
    """After the uploader's "saved" line: who else got the match."""
    if not gamertags:
        return ""
    names = ", ".join(gamertags)
    return f" Also recorded for {counted(len(gamertags), 'squad mate')}: {names}."


def already_recorded(match_id: str, uploader_id: int) -> str:
    return (
        f"This match is already recorded for you as match {match_id}, from <@{uploader_id}>'s "
        "upload; nothing new was saved. Fix it there if anything differs."
    )


def removed(match_id: str, gamertag: str | None) -> str:
    stop = (
        f" To stop automatic recording, run /link gamertag:{gamertag} auto_record:False."
        if gamertag
        else ""
    )
    return f"Removed: match {match_id} is no longer in your stats.{stop}"


def auto_record_line(link: GamertagLink) -> str:
    """After /link: whether a squad mate's upload records matches for this name."""
    if link.auto_record:
        return (
            f" Auto-record is on for {link.gamertag}: a squad mate's scoreboard showing it "
            "records the match for you too, and you get a DM to check it."
        )
    return f" Auto-record is off for {link.gamertag}."
