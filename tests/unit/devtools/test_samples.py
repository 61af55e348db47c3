"""The sample screenshots: committed files match the manifest and the generator."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from PIL import Image

from devtools.samples import SAMPLE_MATCHES, SampleFile, SampleMatch, load_manifest
from devtools.samples.generate import render_samples, write_samples
from devtools.samples.manifest import MANIFEST_NAME, manifest_text, package_files
from devtools.samples.matches import PlayerLine, WeaponLine
from devtools.samples.render import render_scoreboard, render_weapons

REGENERATE = "run `python -m devtools.samples` and commit the result"
MANIFEST = load_manifest()
KNOWN_WEAPONS = {
    "M15 Mod 0", "Kogot-7", "Dravec 45", "Peacekeeper Mk1", "Sokol 545",
    "VS Recon", "Ryden 45K", "MXR-17", "Jäger 45", "Carbon 57",
}  # fmt: skip

MODE_FIELDS = {
    "hardpoint": {"objective_time_s", "captures"},
    "search_and_destroy": {"plants", "defuses"},
    "overload": {"overloads", "device_carry_time_s"},
}
COUNT = {"type": "integer", "minimum": 0}
STAT_SHAPE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["mode", "map", "result", "team_score", "enemy_score", "player", "weapons"],
    "properties": {
        "mode": {"enum": list(MODE_FIELDS)},
        "map": {"type": "string", "minLength": 1},
        "result": {"enum": ["win", "loss", "draw"]},
        "team_score": COUNT,
        "enemy_score": COUNT,
        "player": {
            "type": "object",
            "required": ["gamertag", "score", "kills", "deaths", "assists"],
            "properties": {"gamertag": {"type": "string"}}
            | {name: COUNT for fields in MODE_FIELDS.values() for name in fields}
            | dict.fromkeys(("score", "kills", "deaths", "assists"), COUNT),
            "additionalProperties": False,
        },
        "weapons": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "kills", "headshots", "accuracy"],
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "kills": COUNT,
                    "headshots": COUNT,
                    "accuracy": {"type": "number", "minimum": 0, "maximum": 100},
                },
            },
        },
    },
}


@pytest.mark.parametrize("sample", MANIFEST.samples, ids=lambda s: s.file)
def test_committed_file_matches_its_manifest_entry(sample: SampleFile) -> None:
    data = sample.read_bytes()

    assert hashlib.sha256(data).hexdigest() == sample.sha256, REGENERATE
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("PNG", (sample.width, sample.height))
    assert (sample.width, sample.height) == (1920, 1080)
    assert len(data) < 300_000


def test_manifest_covers_every_mode_and_both_kinds() -> None:
    scoreboards = MANIFEST.of_kind("scoreboard")
    weapons = MANIFEST.of_kind("weapons")

    assert sorted(s.mode for s in scoreboards) == sorted(MODE_FIELDS)
    assert 1 <= len(weapons) <= 2
    assert all(s.sent_with == () for s in scoreboards)
    for sample in weapons:
        (scoreboard,) = sample.sent_with
        assert MANIFEST.by_file(scoreboard).match == sample.match


@pytest.mark.parametrize("sample", MANIFEST.samples, ids=lambda s: s.file)
def test_answers_follow_the_stat_shape(sample: SampleFile) -> None:
    answer = sample.answer

    jsonschema.validate(answer, STAT_SHAPE)
    assert answer["mode"] == sample.mode
    player_fields = set(answer["player"]) - {"gamertag", "score", "kills", "deaths", "assists"}
    assert player_fields == MODE_FIELDS[sample.mode]
    assert bool(answer["weapons"]) == (sample.kind == "weapons")


def test_exactly_one_sample_lists_a_weapon_the_catalog_will_not_know() -> None:
    unknown = {
        (sample.match, weapon["name"])
        for sample in MANIFEST.samples
        for weapon in sample.answer["weapons"]
        if weapon["name"] not in KNOWN_WEAPONS
    }

    assert unknown == {("search_and_destroy_exposure", "Varga R7")}


def test_rendering_is_deterministic() -> None:
    first, second = render_samples(), render_samples()

    assert [(s.entry, s.png) for s in first] == [(s.entry, s.png) for s in second]


def test_regenerating_gives_the_committed_bytes(tmp_path: Path) -> None:
    manifest = write_samples(tmp_path)

    assert manifest == MANIFEST, REGENERATE
    committed = package_files()
    for sample in manifest.samples:
        regenerated = (tmp_path / sample.file).read_bytes()
        assert regenerated == committed.joinpath(sample.file).read_bytes(), REGENERATE
    manifest_file = committed.joinpath(MANIFEST_NAME).read_text(encoding="utf-8")
    assert (tmp_path / MANIFEST_NAME).read_text(encoding="utf-8") == manifest_file
    assert manifest_text(manifest) == manifest_file
    assert json.loads(manifest_file)["generator"] == "python -m devtools.samples"


@pytest.mark.parametrize("match", SAMPLE_MATCHES, ids=lambda m: m.slug)
def test_match_numbers_are_consistent(match: SampleMatch) -> None:
    allies, enemies = match.allies, match.enemies

    assert len(allies) == len(enemies) == 4
    assert [p.gamertag for p in allies].count(match.you.gamertag) == 1
    assert sum(p.kills for p in allies) == sum(p.deaths for p in enemies)
    assert sum(p.kills for p in enemies) == sum(p.deaths for p in allies)
    expected = "win" if match.team_score > match.enemy_score else "loss"
    assert match.result == (expected if match.team_score != match.enemy_score else "draw")
    assert all(set(p.mode_stats) == MODE_FIELDS[match.mode] for p in (*allies, *enemies))
    assert sum(w.kills for w in match.weapons) <= match.you.kills
    assert all(w.headshots <= w.kills for w in match.weapons)


def test_search_and_destroy_deaths_fit_in_the_rounds_played() -> None:
    for match in SAMPLE_MATCHES:
        if match.mode == "search_and_destroy":
            rounds = match.team_score + match.enemy_score
            assert all(p.deaths <= rounds for p in (*match.allies, *match.enemies))


def test_overload_team_scores_are_the_overloads_scored() -> None:
    for match in SAMPLE_MATCHES:
        if match.mode == "overload":
            assert sum(p.mode_stats["overloads"] for p in match.allies) == match.team_score
            assert sum(p.mode_stats["overloads"] for p in match.enemies) == match.enemy_score


def test_renderer_refuses_text_the_built_in_font_cannot_draw() -> None:
    match = SAMPLE_MATCHES[0]
    umlaut = replace(match, weapons=(WeaponLine("Jäger 45", 1, 0, 10.0),))
    renamed = PlayerLine("Ünïcode", 1, 1, 1, 1, match.you.mode_stats)
    foreign = replace(match, enemies=(renamed, *match.enemies[1:]))

    with pytest.raises(ValueError, match="ASCII"):
        render_weapons(umlaut)
    with pytest.raises(ValueError, match="ASCII"):
        render_scoreboard(foreign)


def test_weapons_screenshot_needs_weapons() -> None:
    without = next(m for m in SAMPLE_MATCHES if not m.weapons)

    with pytest.raises(ValueError, match="no weapons"):
        render_weapons(without)
