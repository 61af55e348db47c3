"""Every user-facing string in one gettext catalog, translated per server, never per process.

Mark a string where it is written and translate it where it is shown:

    _("Saved.")                                   # in the language of this interaction
    ngettext("{count} kill", "{count} kills", n)  # with the plural rules of that language
    N_("That doesn't exist.")                     # only marked: translated when shown

Which language is "this interaction's" is a context variable that the adapters set per
interaction (each runs in its own task, so one server's language never leaks into another's).
`translate(language, ...)` names the language explicitly, for work done outside one.
"""

from app.core.i18n.catalogs import CATALOG_DOMAIN, LOCALES_DIR
from app.core.i18n.languages import (
    DEFAULT_LANGUAGE,
    Language,
    discord_locales,
    language_of_locale,
)
from app.core.i18n.translate import (
    N_,
    _,
    chosen_language,
    current_language,
    ngettext,
    pgettext,
    ptranslate,
    set_language,
    speaking,
    translate,
)

__all__ = [
    "CATALOG_DOMAIN",
    "DEFAULT_LANGUAGE",
    "LOCALES_DIR",
    "N_",
    "Language",
    "_",
    "chosen_language",
    "current_language",
    "discord_locales",
    "language_of_locale",
    "ngettext",
    "pgettext",
    "ptranslate",
    "set_language",
    "speaking",
    "translate",
]
