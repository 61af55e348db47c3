"""The dashboard's words: in the language of the request's context, escaped so neither a
translation nor a value can add markup, and marked-safe values kept as the template wrote them.
"""

from __future__ import annotations

from markupsafe import Markup

from app.api.dashboard.page_text import page_gettext, page_language, page_ngettext, result_name
from app.core.game.rules import Result
from app.core.i18n import Language, speaking


def test_english_unless_the_request_speaks_another_language() -> None:
    assert page_gettext("My matches") == "My matches"
    assert page_language() == "en"
    with speaking(Language.SPANISH):
        assert page_gettext("My matches") == "Mis partidas"
        assert result_name(Result.LOSS) == "Derrota"
        assert page_language() == "es"
    assert result_name(Result.LOSS) == "Loss"


def test_values_are_escaped_and_markup_the_template_marks_is_kept() -> None:
    shown = page_gettext("Note: {note}", note="<script>x</script>")
    assert shown == "Note: &lt;script&gt;x&lt;/script&gt;"
    command = Markup("<code>/debrief</code>")
    with speaking(Language.SPANISH):
        line = page_gettext(
            "No matches here yet. Post a scoreboard in Discord with {command}.", command=command
        )
    assert "con <code>/debrief</code>." in line


def test_the_messages_own_text_is_escaped_but_an_apostrophe_stays_one() -> None:
    # A message's own `<` would be markup of the translator's; `'` is harmless in text and in
    # the double-quoted attributes the templates use.
    assert page_gettext('a <b> & "c" d\'s') == "a &lt;b&gt; &amp; &#34;c&#34; d's"


def test_plurals_follow_the_requests_language() -> None:
    assert page_ngettext("{count} match", "{count} matches", 1) == "1 match"
    with speaking(Language.SPANISH):
        assert page_ngettext("{count} match", "{count} matches", 3) == "3 partidas"
