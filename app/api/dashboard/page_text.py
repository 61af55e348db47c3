"""The dashboard's words, in the language of the request being answered.

Templates call `_("...", name=value)`, `ngettext(...)` and `pgettext(...)` as the rest of
Debrief does, with the same catalog and `{name}` placeholders. The language is never the
process's: it is the context variable the request's middleware (`app/api/language.py`) set
for the request's own task, so two pages rendered at once in two languages keep their own.

Each call returns escaped markup: the translation is escaped, then its placeholders are
filled with escaped values, except values already marked safe (`"<code>/debrief</code>"|safe`),
so a translator's text can never inject markup and a template can still put a tag in a line.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from app.core.game.rules import Result
from app.core.i18n import N_, Language, current_language
from app.core.i18n.catalogs import translations

# What a translation may not bring into a page: tags, entities, and the double quote that
# closes an attribute (every attribute of our templates is double-quoted). An apostrophe is
# harmless there and stays one, so "server's" reads the same in the HTML as in the catalog.
_UNSAFE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;"})


def _escaped(text: str) -> Markup:
    return Markup(text.translate(_UNSAFE))  # noqa: S704 - escaped just now


def _filled(text: str, params: dict[str, object]) -> Markup:
    # Markup.format escapes each value fully, unless it is markup already (`|safe`).
    return _escaped(text).format(**params) if params else _escaped(text)


def page_gettext(msgid: str, /, **params: object) -> Markup:
    return _filled(translations(current_language()).gettext(msgid), params)


def page_ngettext(singular: str, plural: str, count: int, /, **params: object) -> Markup:
    text = translations(current_language()).ngettext(singular, plural, count)
    return _filled(text, {"count": count, **params})


def page_pgettext(context: str, msgid: str, /, **params: object) -> Markup:
    return _filled(translations(current_language()).pgettext(context, msgid), params)


def page_language() -> str:
    """The request's language code, for `<html lang>`."""
    return current_language().value


# A result as the pages name it (the bot's embeds say "Victory"; a table's column is terser).
RESULT_NAMES = {Result.WIN: N_("Win"), Result.LOSS: N_("Loss"), Result.DRAW: N_("Draw")}


def result_name(result: Result) -> Markup:
    return page_gettext(RESULT_NAMES[result])


# The objective stats' inputs and rows; a stat added later shows its own name until named here.
OBJECTIVE_NAMES = {
    "objective_time_s": N_("Objective time (s)"),
    "captures": N_("Captures"),
    "plants": N_("Plants"),
    "defuses": N_("Defuses"),
    "overloads": N_("Overloads"),
    "device_carry_time_s": N_("Device carry time (s)"),
}


def objective_name(field: str) -> Markup:
    known = OBJECTIVE_NAMES.get(field)
    if known:
        return page_gettext(known)
    return escape(field.replace("_s", " (s)").replace("_", " ").capitalize())


# The picker's choices, each named in its own language (as a reader of it looks for it).
PAGE_LANGUAGES = tuple((language.value, language.native_name) for language in Language)

TEMPLATE_GLOBALS = {
    "page_languages": PAGE_LANGUAGES,
    "_": page_gettext,
    "ngettext": page_ngettext,
    "pgettext": page_pgettext,
    "page_language": page_language,
    "result_name": result_name,
    "objective_name": objective_name,
}
