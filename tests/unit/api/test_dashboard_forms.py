"""The dashboard's forms turned into the API's bodies, and its chart's geometry."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.api.dashboard.correction_form import (
    form_values,
    objective_fields,
    raw_correction,
    weapon_rows,
)
from app.api.dashboard.discord_text import discord_lines, mentioned_ids
from app.api.dashboard.error_pages import DashboardErrorPages
from app.api.dashboard.form_problems import (
    field_label,
    field_problems,
    settings_problems,
    stat_form_problems,
)
from app.api.dashboard.match_views import flag_groups
from app.api.dashboard.queries import MatchFilters
from app.api.dashboard.settings_form import raw_settings
from app.api.dashboard.svg_chart import HEIGHT, TOP, Series, trend_chart
from app.api.dashboard.templating import environment
from app.api.schemas.guilds import GuildConfigUpdate
from app.api.schemas.matches import MatchCorrection
from app.core.game.catalog import CatalogFlag, CatalogFlagReason, CatalogKind
from app.core.game.disagreements import ReaderFlag
from app.core.game.rules import Mode
from app.core.handlers.guilds import InvalidConfig
from app.core.i18n import Language, speaking
from app.core.matches import Match
from tests.support.factories import match_fields, raw_hardpoint


def stored(raw: dict[str, object]) -> Match:
    return Match(id="a" * 24, **match_fields(raw_stats=raw).model_dump())


def test_a_match_round_trips_through_its_form_unchanged() -> None:
    raw = raw_hardpoint()
    values = form_values(stored(raw))

    assert values["player.kills"] == "31" and values["weapons.0.accuracy"] == "23.5"
    assert MatchCorrection.model_validate(raw_correction(values)).raw_stats() == raw


def test_only_the_chosen_modes_objectives_are_sent_and_blanks_are_left_out() -> None:
    values = form_values(stored(raw_hardpoint()))
    values.update({"player.plants": "3", "player.gamertag": "  ", "weapons.1.name": ""})

    raw = raw_correction(values)

    assert "plants" not in raw["player"] and "gamertag" not in raw["player"]
    assert set(objective_fields(Mode.SEARCH_AND_DESTROY)) == {"plants", "defuses"}
    assert len(raw["weapons"]) == 1


def test_text_where_a_number_belongs_is_refused_with_the_fields_name() -> None:
    values = form_values(stored(raw_hardpoint()))
    values["player.kills"] = "thirty"

    with pytest.raises(ValidationError) as refused:
        MatchCorrection.model_validate(raw_correction(values))

    assert [error["loc"] for error in refused.value.errors()] == [("player", "kills")]


SETTINGS_FORM = {
    "digest_channel_id": "",
    "digest_weekday": "5",
    "digest_hour_utc": "20",
    "ask_scope": "me",
    "debrief_cooldown_s": "0",
    "ask_cooldown_s": "60",
}


def settings_refused(**changes: str) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        GuildConfigUpdate.model_validate(raw_settings({**SETTINGS_FORM, **changes}))
    return refused.value


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("digest_hour_utc", "Digest hour"),
        ("debrief_cooldown_s", "/debrief and /log cooldown"),
        ("ask_scope", "/ask answers from"),
        ("player.kills", "Kills"),
        ("player.objective_time_s", "Hill time"),
        ("team_score", "Your team's score"),
        ("weapons.1.kills", "Weapon 2 kills"),
        ("confirm", "Confirm"),
    ],
)
def test_a_fields_label_is_the_name_the_bot_uses(field: str, label: str) -> None:
    assert field_label(field) == label


def test_a_typo_in_a_number_box_is_told_in_plain_words_under_its_input() -> None:
    problems = field_problems(settings_refused(debrief_cooldown_s="3o"))

    assert [(p.field, p.message) for p in problems] == [
        ("debrief_cooldown_s", "expected a whole number, got '3o'")
    ]


def test_a_choice_outside_the_list_never_shows_pydantics_text() -> None:
    (problem,) = field_problems(settings_refused(ask_scope="everyone"))

    assert (problem.field, problem.message) == ("ask_scope", "choose one of the options")


def test_a_correction_typo_names_the_stat_not_its_path() -> None:
    values = form_values(stored(raw_hardpoint()))
    values.update({"player.kills": "thirty", "weapons.0.headshots": "six"})
    with pytest.raises(ValidationError) as refused:
        MatchCorrection.model_validate(raw_correction(values))

    problems = field_problems(refused.value)

    assert [p.field for p in problems] == ["player.kills", "weapons.0.headshots"]
    assert [field_label(p.field) for p in problems] == ["Kills", "Weapon 1 headshots"]
    assert all("Input should" not in p.message for p in problems)


def test_stat_problems_sit_under_the_weapon_row_inputs() -> None:
    problems = stat_form_problems(["weapons[1].kills: 40 is more than your 31 kills", "bad"])

    assert [(p.field, p.message) for p in problems] == [
        ("weapons.1.kills", "40 is more than your 31 kills"),
        ("stats", "bad"),
    ]


def test_refused_settings_sit_under_their_inputs_or_the_whole_form() -> None:
    named = InvalidConfig("Check these settings.", [("digest_hour_utc", "30 is too late")])
    unnamed = InvalidConfig("Discord could not be asked.")

    assert [(p.field, p.message) for p in settings_problems(named)] == [
        ("digest_hour_utc", "30 is too late")
    ]
    assert [(p.field, p.message) for p in settings_problems(unnamed)] == [
        ("settings", "Discord could not be asked.")
    ]


def test_the_problem_summary_links_each_friendly_name_to_its_input() -> None:
    template = environment().from_string(
        '{% from "_fields.html" import field, problem_summary %}'
        "{{ problem_summary(problems) }}{{ field('digest_hour_utc', 'Hour', {}, problems) }}"
    )
    html = template.render(problems={"digest_hour_utc": "expected a whole number, got 'x'"})

    assert (
        '<a class="field-name" href="#f-digest_hour_utc">Digest hour</a>: '
        "expected a whole number, got &#39;x&#39;" in html
    )
    assert 'aria-describedby="f-digest_hour_utc-problem"' in html
    assert '<p class="problem" id="f-digest_hour_utc-problem">Expected a whole number' in html
    assert "digest_hour_utc:" not in html


def test_flags_read_as_the_bots_sentences() -> None:
    match = Match(
        id="a" * 24,
        **match_fields(
            catalog_flags=[
                CatalogFlag(kind=CatalogKind.MAP, raw="Dne", reason=CatalogFlagReason.UNKNOWN),
                CatalogFlag(
                    kind=CatalogKind.MAP, raw="Den", reason=CatalogFlagReason.NOT_RANKED_IN_MODE
                ),
            ],
            reader_flags=[
                ReaderFlag(field="player.kills", used=31, other=34),
                ReaderFlag(field="player.objective_time_s", used=112, other=85),
            ],
        ).model_dump(),
    )

    catalog, readers = flag_groups(match)

    assert catalog.lines == (
        "Map 'Dne' isn't in the catalog (kept as read)",
        "Map 'Den' isn't played in ranked Hardpoint: check the map and the mode",
    )
    assert readers.lines == ("Check: kills 31 or 34?", "Check: hill time 1:52 or 1:25?")
    with speaking(Language.SPANISH):
        catalog, readers = flag_groups(match)
    assert catalog.lines == (
        "El mapa 'Dne' no está en el catálogo (se guarda tal cual se leyó)",
        "El mapa 'Den' no se juega en Punto caliente de Ranked: comprueba el mapa y el modo",
    )
    assert readers.lines[0] == "Comprueba: ¿bajas 31 o 34?"


def test_spare_weapon_rows_stop_at_ten() -> None:
    assert list(weapon_rows({})) == [0, 1]
    assert len(weapon_rows({f"weapons.{i}.name": "x" for i in range(10)})) == 10


def test_settings_form_becomes_the_put_body() -> None:
    form = {
        "digest_channel_id": "",
        "digest_weekday": "5",
        "digest_hour_utc": "20",
        "ask_scope": "me",
        "debrief_cooldown_s": "0",
        "ask_cooldown_s": "60",
    }
    body = GuildConfigUpdate.model_validate(raw_settings(form))
    assert (body.digest_channel_id, body.digest_weekday, body.ask_scope) == (None, 5, "me")

    with pytest.raises(ValidationError):
        GuildConfigUpdate.model_validate(raw_settings({**form, "digest_hour_utc": "8pm"}))


def test_a_blank_select_means_no_filter() -> None:
    filters = MatchFilters.model_validate({"mode": "", "map": " ", "period": "", "cursor": ""})
    assert (filters.mode, filters.map, filters.cursor) == (None, None, None)
    assert filters.period == "all"


def test_error_pages_cover_the_landing_page_and_the_dashboard_only() -> None:
    pages = DashboardErrorPages()
    covered = ["/", "/dashboard", "/dashboard/matches/x"]
    assert all(pages.covers(path) for path in covered)
    assert not any(pages.covers(path) for path in ("/api/v1/matches", "/dashboards", "/docs"))


def test_the_chart_lines_up_two_players_on_their_newest_match() -> None:
    chart = trend_chart(
        [Series("You", (1.0, 2.0, 4.0), (1.0, 1.5, 2.3)), Series("Mate", (3.0,), (3.0,))]
    )

    assert len(chart.lines) == 4 and chart.slots == 3
    mine, theirs = chart.lines[0], chart.lines[2]
    assert mine.points.split()[-1].split(",")[0] == theirs.points.split(",")[0]
    assert [tick.label for tick in chart.ticks] == ["0", "1", "2", "3", "4", "5"]
    assert all(TOP <= float(y) <= HEIGHT for _, y in (p.split(",") for p in mine.points.split()))
    assert chart.lines[1].dashed and not chart.lines[1].markers


def test_a_chart_without_values_says_so() -> None:
    assert trend_chart([Series("You", (), ())]).empty


def test_discord_text_is_escaped_with_bold_and_names_only() -> None:
    text = "**Week 2026-W47**: 3 matches\n\nTop K/D: 1. <@123> 1.50 <script>x</script>"

    lines = discord_lines(text, lambda user_id: f"N{user_id}<b>")

    assert mentioned_ids(text) == [123]
    assert lines == [
        "<strong>Week 2026-W47</strong>: 3 matches",
        "Top K/D: 1. N123&lt;b&gt; 1.50 &lt;script&gt;x&lt;/script&gt;",
    ]
