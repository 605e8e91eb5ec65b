"""Small validated value types shared by every domain model.

They are pydantic ``Annotated`` types so that a bad value is reported with its field path,
together with every other bad value in the same request.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from typing import Annotated
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
# C0 and C1 control characters and lone surrogates: invisible, and PostgreSQL refuses NUL
# and surrogates outright (SQLite stores them), so both engines refuse them here alike.
# Tab, line feed and carriage return are allowed in multi-line text only.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
CONTROL_CHARACTERS_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
DURATION_PATTERN = re.compile(
    r"^P(?!$)(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?$"
)


class Model(BaseModel):
    """Base for domain models: unknown fields are an error, so typos never vanish silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# Characters an IRI may not hold (RFC 3987); rdflib refuses to write them in Turtle or
# N-Triples, so a web address or e-mail address carrying one would break the feed.
IRI_UNSAFE = frozenset('<>" {}|\\^`')


def _iri_safe(value: str, what: str, hint: str = "") -> None:
    if unsafe := sorted(set(value) & IRI_UNSAFE):
        shown = " ".join("space" if c == " " else c for c in unsafe)
        raise ValueError(f"{what} may not contain {shown}{hint}")


def check_text(value: str, multiline: bool = False) -> str:
    """``value`` if it holds no control characters (tab and new lines only when
    ``multiline``); a ValueError naming the first one otherwise."""
    pattern = CONTROL_CHARACTERS_MULTILINE if multiline else CONTROL_CHARACTERS
    if found := pattern.search(value):
        allowed = " (tabs and new lines are allowed)" if multiline else ""
        raise ValueError(
            f"must not contain control characters{allowed}: U+{ord(found.group()):04X} at "
            f"position {found.start() + 1}"
        )
    return value


def _single_line(value: str) -> str:
    return check_text(value)


def _multiline(value: str) -> str:
    return check_text(value, multiline=True)


def check_email(value: str) -> str:
    """One rule for every e-mail address (contacts, stewards, DPOs, organisations, users):
    RFC 5321/5322 as ``email-validator`` reads it, without quoted local parts, comments or
    display names, so an address is always safe in a ``mailto:`` IRI, a page or a feed."""
    check_text(value)
    _iri_safe(value, "an e-mail address")
    if problem := _email_problem(value):
        raise ValueError(f"must be an e-mail address such as data@example.gov ({problem})")
    return value.lower()


@functools.lru_cache(maxsize=16_384)
def _email_problem(value: str) -> str | None:
    """What ``email-validator`` finds wrong with ``value`` (None: nothing). Remembered: a
    page of stored documents repeats the same few contacts, and the check is the dearest
    part of reading a document back."""
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as error:
        return str(error)
    return None


def _check_url(value: str) -> str:
    check_text(value)
    _iri_safe(value, "a web address", " (percent-encode them: %20 for a space)")
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError("must be an absolute http:// or https:// address")
    return value


def _check_lang_text(value: dict[str, str]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for language, text in value.items():
        if not LANGUAGE_PATTERN.match(language):
            raise ValueError(f"'{language}' is not a language code such as 'en' or 'sl'")
        if text.strip():
            cleaned[language] = text.strip()
    return cleaned


def _check_duration(value: str) -> str:
    if not DURATION_PATTERN.match(value):
        raise ValueError("must be an ISO 8601 period such as P10Y (ten years) or P6M (six months)")
    return value


def _check_bounding_box(value: str) -> str:
    """``west,south,east,north`` in decimal degrees (WGS 84), stored in that plain form."""
    from catalogue.domain.geometry import parse_bbox

    check_text(value)
    try:
        box = parse_bbox(value)
    except ValueError as error:
        raise ValueError(str(error)) from None
    return box.text


Slug = Annotated[
    str,
    StringConstraints(min_length=2, max_length=100, pattern=SLUG_PATTERN),
]
Url = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_check_url)]
Email = Annotated[str, StringConstraints(max_length=320), AfterValidator(check_email)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(_single_line)]
ShortText = Annotated[str, StringConstraints(max_length=500), AfterValidator(_single_line)]
ShortNote = Annotated[str, StringConstraints(max_length=500), AfterValidator(_multiline)]
LongText = Annotated[str, StringConstraints(max_length=20000), AfterValidator(_multiline)]
LangText = Annotated[dict[str, LongText], AfterValidator(_check_lang_text)]
Duration = Annotated[str, AfterValidator(_check_duration)]
BoundingBox = Annotated[str, StringConstraints(max_length=200), AfterValidator(_check_bounding_box)]
NonNegativeInt = Annotated[int, Field(ge=0)]


def duration_in_days(value: str) -> int:
    """An approximate length of an ISO 8601 period, for comparing retention with use periods."""
    match = DURATION_PATTERN.match(value)
    if not match:
        raise ValueError(f"not an ISO 8601 period: {value}")
    parts = {key: int(number or 0) for key, number in match.groupdict().items()}
    return parts["years"] * 365 + parts["months"] * 30 + parts["weeks"] * 7 + parts["days"]


def add_duration(start: date, value: str) -> date:
    """``start`` plus an ISO 8601 period, in days (leap days do not matter for retention)."""
    from datetime import timedelta

    return start + timedelta(days=duration_in_days(value))
