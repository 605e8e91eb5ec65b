"""Dates, numbers, sizes and durations in the reader's locale (Babel's CLDR data)."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal

from catalogue.i18n.catalogues import current_language, ngettext, translations

FORMAT_LOCALES = {"en": "en_GB"}
"""The locale whose formats a language uses (the catalogue's English is British: 24 November)."""


def _locale(language: str | None) -> str:
    language = language or current_language()
    return FORMAT_LOCALES.get(language, language)


_DURATION = re.compile(
    r"^P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$"
)


def _unit(unit: str, count: int) -> str:
    forms = {
        "years": ngettext("%(num)d year", "%(num)d years", count),
        "months": ngettext("%(num)d month", "%(num)d months", count),
        "weeks": ngettext("%(num)d week", "%(num)d weeks", count),
        "days": ngettext("%(num)d day", "%(num)d days", count),
        "hours": ngettext("%(num)d hour", "%(num)d hours", count),
        "minutes": ngettext("%(num)d minute", "%(num)d minutes", count),
        "seconds": ngettext("%(num)d second", "%(num)d seconds", count),
    }
    return forms[unit] % {"num": count}


def duration_text(value: str | None) -> str:
    """ISO 8601 durations in words: ``P10Y`` -> ``10 years`` / ``10 let``."""
    if not value:
        return ""
    match = _DURATION.match(value)
    if not match:
        return value
    parts = []
    for unit in ("years", "months", "weeks", "days", "hours", "minutes", "seconds"):
        amount = match.group(unit)
        if amount and int(amount):
            parts.append(_unit(unit, int(amount)))
    return ", ".join(parts) or value


def date_text(value: dt.datetime | dt.date | str | None, language: str | None = None) -> str:
    """``24 November 2026`` / ``24. november 2026`` (no time: pages say when, not the second)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        text = value
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            return text
    if isinstance(value, dt.datetime):
        value = value.date()
    return _long_date(value, _locale(language))


@lru_cache(maxsize=8192)
def _long_date(value: dt.date, locale: str) -> str:
    """Babel parses the locale and the pattern on every call: a list page shows 20 dates."""
    return str(format_date(value, format="long", locale=locale))


def number_text(value: int | float | None, language: str | None = None) -> str:
    """``12,345`` / ``12.345``."""
    if value is None:
        return ""
    return format_decimal(value, locale=_locale(language))


def byte_size(value: int | None, language: str | None = None) -> str:
    if value is None:
        return ""
    size = float(value)
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            if unit == "bytes":
                forms = translations(language or current_language())
                return forms.ngettext("%(num)s byte", "%(num)s bytes", int(size)) % {
                    "num": number_text(int(size), language)
                }
            amount = format_decimal(round(size, 1), "#,##0.0", locale=_locale(language))
            return f"{amount} {unit}"
        size /= 1000
    return f"{value} bytes"
