"""Name forms: tidy for display, normalised for matching, loose for OCR slips."""

from __future__ import annotations

import pytest

from app.core.game import loose_key, normalise_name, tidy_name


@pytest.mark.parametrize(
    ("raw", "tidy"),
    [
        ("  Kogot   7x ", "Kogot 7x"),
        ("Jäger\u00a045", "Jäger 45"),
        ("MXR\u201317", "MXR-17"),
        ("Warden \u2018308\u2019", "Warden '308'"),
        ("\uff2d\uff11\uff15", "M15"),
    ],
)
def test_tidy_name_keeps_case_and_accents(raw: str, tidy: str) -> None:
    assert tidy_name(raw) == tidy


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("  JÄGER 45 ", "jager 45"),
        ("Kogot\u20147", "kogot-7"),
        ("Kogot\u22127", "kogot-7"),
        ("Shadow\tSK", "shadow sk"),
        ("\u201cDen\u201d", '"den"'),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
    ],
)
def test_normalise_name(raw: str, key: str) -> None:
    assert normalise_name(raw) == key


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        ("M15 MOD O", "M15 Mod 0"),
        ("MI5 Mod 0", "M15 Mod 0"),
        ("Ml5 mod 0", "M15 Mod 0"),
        ("MXR 17", "MXR-17"),
        ("Velox S.7", "Velox 5.7"),
        ("KOGOT7", "Kogot-7"),
    ],
)
def test_ocr_slips_share_the_loose_key(read: str, printed: str) -> None:
    assert loose_key(read) == loose_key(printed)


def test_different_names_keep_different_loose_keys() -> None:
    assert loose_key("Kogot-7") != loose_key("Kogot-9")
    assert loose_key("M15 Mod 0") != loose_key("M16 Mod 0")
