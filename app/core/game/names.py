"""Name forms used to match what a screenshot says against the catalog.

Three forms, from faithful to forgiving:

- `tidy_name`: what we store and show for a name the catalog does not know. Only layout
  noise is removed (odd spaces, typographic dashes and quotes); case and accents are kept.
- `normalise_name`: the exact matching key. Also casefolded and without diacritics, so
  "JÄGER 45" finds "Jäger 45". Diacritics go only from the key: the stored name keeps them.
- `loose_key`: the fallback key. Also without separators (OCR drops and invents spaces,
  dashes and dots) and with the characters OCR confuses most (0/O, 1/I/l, 5/S) folded into
  one. Folding merges names that really differ, so the catalog trusts a loose match only
  when exactly one known name has that key; otherwise the name stays unknown and flagged,
  which is a small annoyance, where a wrong guess would silently corrupt the stats.
"""

from __future__ import annotations

import unicodedata

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d"
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u00b4\u0060\uff07"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02"
_UNIFY_PUNCTUATION = str.maketrans(
    {
        **dict.fromkeys(_DASHES, "-"),
        **dict.fromkeys(_SINGLE_QUOTES, "'"),
        **dict.fromkeys(_DOUBLE_QUOTES, '"'),
    }
)
_OCR_FOLDS = str.maketrans({"0": "o", "1": "l", "i": "l", "5": "s"})


def tidy_name(raw: str) -> str:
    """The display form: compatibility-normalised, punctuation unified, spaces collapsed."""
    text = unicodedata.normalize("NFKC", raw).translate(_UNIFY_PUNCTUATION)
    return " ".join(text.split())


def normalise_name(raw: str) -> str:
    """The exact matching key: the tidy form, casefolded and stripped of diacritics."""
    text = unicodedata.normalize("NFKD", tidy_name(raw).casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return tidy_name(text)


def loose_key(raw: str) -> str:
    """The forgiving key: only letters and digits, with OCR look-alikes folded together."""
    return "".join(char for char in normalise_name(raw) if char.isalnum()).translate(_OCR_FOLDS)
