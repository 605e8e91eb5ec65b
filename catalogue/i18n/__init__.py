"""Interface languages: gettext catalogues (Babel), the current language, locale formats.

Every string a person reads goes through :func:`gettext` (``_``) or is marked with
:func:`N_` where it is defined and translated where it is shown. Catalogues live in
``catalogue/locale/<lang>/LC_MESSAGES/messages.po``; they are compiled in memory the first
time a language is used (no build step, so a fresh clone works), once per process.
English is the source language. Adding a language is adding a catalogue (see README).
"""

from __future__ import annotations

from catalogue.i18n.catalogues import (
    LOCALE_DIR,
    N_,
    current_language,
    gettext,
    interface_languages,
    ngettext,
    translate,
    translations,
    use_language,
)

_ = gettext

__all__ = [
    "LOCALE_DIR",
    "N_",
    "_",
    "current_language",
    "gettext",
    "interface_languages",
    "ngettext",
    "translate",
    "translations",
    "use_language",
]
