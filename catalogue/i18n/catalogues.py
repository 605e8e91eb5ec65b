"""Loading the catalogues once, and the language of the work in hand (a context variable).

The web layer sets the language per request (:mod:`catalogue.i18n.middleware`); the CLI and
background work use the catalogue's default language. Lookups are a dict access in an
already-compiled :class:`gettext.GNUTranslations`.
"""

from __future__ import annotations

import gettext as gettext_module
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"

_current: ContextVar[str | None] = ContextVar("catalogue_language", default=None)


def N_(message: str) -> str:
    """Mark a string for extraction where it is defined; translate it where it is shown."""
    return message


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def interface_languages() -> tuple[str, ...]:
    """Languages with a catalogue, the catalogue's configured languages first."""
    from catalogue.settings import get_settings

    present = sorted(p.name for p in LOCALE_DIR.iterdir() if po_path(p.name).is_file())
    configured = [lang for lang in get_settings().languages if lang in present]
    return (*configured, *(lang for lang in present if lang not in configured))


@cache
def translations(language: str) -> gettext_module.NullTranslations:
    """The compiled catalogue of ``language`` (read and compiled once per process)."""
    path = po_path(language)
    if not path.is_file():
        return gettext_module.NullTranslations()
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue, use_fuzzy=False)
    buffer.seek(0)
    return gettext_module.GNUTranslations(buffer)


def _default_language() -> str:
    from catalogue.settings import get_settings

    default = get_settings().default_language
    return default if default in interface_languages() else SOURCE_LANGUAGE


def current_language() -> str:
    """The language of the request (or command) in hand."""
    return _current.get() or _default_language()


@contextmanager
def use_language(language: str) -> Iterator[None]:
    """Translate into ``language`` inside the block."""
    token = _current.set(language)
    try:
        yield
    finally:
        _current.reset(token)


def set_language(language: str) -> None:
    """Set the language for the rest of this task (the middleware, per request)."""
    _current.set(language)


def translate(message: str, language: str | None = None) -> str:
    """``message`` in ``language`` (default: the current one); unknown strings stay as given."""
    if not message:
        return message
    return translations(language or current_language()).gettext(message)


def gettext(message: str) -> str:
    return translate(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return translations(current_language()).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    return translations(current_language()).pgettext(context, message)
