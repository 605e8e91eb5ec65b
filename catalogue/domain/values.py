"""Small foreign values made ours: slugs, dates, web addresses and language tags (plain Python)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from catalogue.domain.types import IRI_UNSAFE, LANGUAGE_PATTERN

SLUG_LENGTH = 80  # leaves room for a "-2" suffix under the 100 characters a slug may have
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_ID_LIKE = re.compile(
    r"^(?:[0-9-]+|(?=[a-f]*\d)[0-9a-f]{12,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
    r"[0-9a-f]{12})$"
)
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "œ": "oe",
        "Œ": "OE",
    }
)
_DATE = re.compile(
    r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][\d:.]+(?:Z|[+-][\d:]+)?)?\s*$"
)
_DOTTED = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
_DATETIME = re.compile(
    r"^\s*(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?"
    r"(Z|[+-]\d{2}:?\d{2})?\s*$"
)


def slugify(text: str, length: int = SLUG_LENGTH) -> str:
    """Lower-case ASCII words joined by single hyphens, cut at a word, never ending in one."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    ascii_text = ascii_text.encode("ascii", "ignore").decode().lower()
    slug = _NOT_SLUG.sub("-", ascii_text).strip("-")
    if len(slug) > length:
        cut = slug[: length + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[:length] else slug[:length]
    return slug.strip("-")


def readable_tail(iri: str) -> str | None:
    """The slug an IRI's last segment makes when it reads as a name (``air-quality``), not an
    id (``1``, ``5c4ae55a634f4117716d5656``, a UUID, ``d-001``)."""
    tail = iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    tail = tail.rsplit("=", 1)[-1]
    slug = slugify(tail)
    if len(slug) < 3 or _ID_LIKE.match(slug) or not re.search(r"[a-z]{3}", slug):
        return None
    return slug


def unique_slug(slug: str, taken: set[str]) -> str:
    """``slug``, or ``slug-2``, ``slug-3`` ... when the source already has it; remembered."""
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug[: 100 - len(str(number)) - 1].rstrip('-')}-{number}"
    taken.add(candidate)
    return candidate


def first_slug(candidates: Iterable[str | None]) -> str:
    for candidate in candidates:
        slug = slugify(candidate) if candidate else ""
        if len(slug) >= 2:
            return slug
    return "dataset"


def iso_date(value: str, end: bool = False) -> str | None:
    """A date (``2024-01-31``) from a date, date-time, year or year-month; a year or month stands
    for its first day, or with ``end`` for its last. None when it reads as no date."""
    match = _DATE.match(value)
    if match:
        year, month, day = match.groups()
    elif dotted := _DOTTED.match(value):  # 31.01.2024, as German portals sometimes write
        day, month, year = dotted.groups()
    else:
        return None
    month_number = int(month) if month else (12 if end else 1)
    if not 1 <= month_number <= 12:
        return None
    if day:
        day_number = int(day)
    elif end:
        import calendar

        day_number = calendar.monthrange(int(year), month_number)[1]
    else:
        day_number = 1
    import datetime as dt

    try:
        return dt.date(int(year), month_number, day_number).isoformat()
    except ValueError:
        return None


def iso_timestamp(value: str | None) -> str | None:
    """The source's own date or date-time, normalised (``2024-01-31`` or
    ``2024-01-31T10:00:00+00:00``); None when it is no date."""
    if not value:
        return None
    if match := _DATETIME.match(value):
        day, time, zone = match.groups()
        time = time if time.count(":") == 2 else f"{time}:00"
        if zone == "Z":
            zone = "+00:00"
        elif zone and ":" not in zone:
            zone = f"{zone[:3]}:{zone[3:]}"
        return f"{day}T{time}{zone or ''}" if iso_date(day) else None
    return iso_date(value)


def web_address(value: str | None) -> str | None:
    """An http(s) address from an IRI or a literal, trimmed and with unsafe characters
    percent-encoded (a space as %20); None when it is not one."""
    if not value:
        return None
    text = value.strip()
    if text.startswith("www."):
        text = f"https://{text}"
    if not re.match(r"^https?://[^/\s]", text, re.IGNORECASE):
        return None
    return "".join(f"%{ord(c):02X}" if c in IRI_UNSAFE else c for c in text)


def language_tag(tag: str | None, default: str) -> str:
    """``de-DE`` -> ``de``, ``DE`` -> ``de``; an untagged or unusable tag is ``default``."""
    if not tag:
        return default
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return primary if LANGUAGE_PATTERN.match(primary) else default
