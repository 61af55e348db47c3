"""Looking strings up: in this interaction's language, or in one named explicitly."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from app.core.i18n.catalogs import translations
from app.core.i18n.languages import DEFAULT_LANGUAGE, Language

# Set per interaction by the adapters. A task copies its context when it is created, so what
# one interaction sets is never seen by another running at the same time.
# Unset outside any: English, the source language, is spoken then.
_language: ContextVar[Language] = ContextVar("debrief_language")


def current_language() -> Language:
    return _language.get(DEFAULT_LANGUAGE)


def chosen_language() -> Language | None:
    """The language set for this interaction (or block), None where none was set."""
    return _language.get(None)


@contextmanager
def speaking(language: Language) -> Iterator[Language]:
    """Translate into `language` inside the block (and in tasks it starts), then restore."""
    token = _language.set(language)
    try:
        yield language
    finally:
        _language.reset(token)


def set_language(language: Language) -> None:
    """Translate into `language` for the rest of the current task: for an adapter's entry
    point (one interaction's task), where no block encloses the work."""
    _language.set(language)


def _filled(text: str, params: dict[str, object]) -> str:
    # Only strings given parameters are formatted, so a literal brace elsewhere stays as is.
    return text.format(**params) if params else text


def N_(msgid: str) -> str:
    """Mark a string for the catalog without translating it: it is translated where shown."""
    return msgid


def translate(language: Language, msgid: str, /, **params: object) -> str:
    """`msgid` in `language`, its {placeholders} filled from `params`."""
    return _filled(translations(language).gettext(msgid), params)


def ptranslate(language: Language, context: str, msgid: str, /) -> str:
    """`msgid` as meant in `context`, in `language` (for names, where a word is ambiguous)."""
    return translations(language).pgettext(context, msgid)


def _(msgid: str, /, **params: object) -> str:
    """`msgid` in this interaction's language, its {placeholders} filled from `params`."""
    return translate(current_language(), msgid, **params)


def ngettext(singular: str, plural: str, count: int, /, **params: object) -> str:
    """The form for `count` in this interaction's language; {count} is filled in too."""
    text = translations(current_language()).ngettext(singular, plural, count)
    return _filled(text, {"count": count, **params})


def pgettext(context: str, msgid: str, /, **params: object) -> str:
    """`msgid` as meant in `context` (the same English word may translate differently)."""
    return _filled(translations(current_language()).pgettext(context, msgid), params)
