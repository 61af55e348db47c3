"""What squad capture says: who else got the match, who uploaded it, and how to stop."""

from __future__ import annotations

from datetime import UTC, datetime

from app.core.links import GamertagLink
from app.core.squad import wording


def test_the_uploader_hears_who_else_got_the_match_and_nothing_when_nobody_did() -> None:
    assert wording.also_recorded([]) == ""
    assert wording.also_recorded(["Viper_21"]) == " Also recorded for 1 squad mate: Viper_21."
    assert wording.also_recorded(["Viper_21", "Raven"]) == (
        " Also recorded for 2 squad mates: Viper_21, Raven."
    )


def test_the_notice_names_the_uploader_and_the_row_and_the_channel_line_the_member() -> None:
    assert wording.captured_notice(1, "Viper_21").startswith(
        "<@1> uploaded a scoreboard with your row (**Viper_21**) on it"
    )
    assert wording.captured_channel_line(2, 1, "Viper_21").startswith(
        "<@2>: <@1>'s scoreboard had your row (**Viper_21**)"
    )


def test_not_me_says_how_to_stop_for_that_name() -> None:
    assert wording.removed("abc", "Viper_21") == (
        "Removed: match abc is no longer in your stats. To stop automatic recording, "
        "run /link gamertag:Viper_21 auto_record:False."
    )
    assert wording.removed("abc", None) == "Removed: match abc is no longer in your stats."


def test_link_says_whether_auto_record_is_on() -> None:
    link = GamertagLink(
        guild_id=1, user_id=2, gamertag="Ghost", key="ghost", linked_at=datetime.now(UTC)
    )

    assert wording.auto_record_line(link) == " Auto-record is off for Ghost."
    on = wording.auto_record_line(link.model_copy(update={"auto_record": True}))
    assert on.startswith(" Auto-record is on for Ghost:")
