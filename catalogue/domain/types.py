"""Small validated value types shared by every domain model.

They are pydantic ``Annotated`` types so that a bad value is reported with its field path,
together with every other bad value in the same request.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DURATION_PATTERN = re.compile(
    r"^P(?!$)(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?$"
)


class Model(BaseModel):
    """Base for domain models: unknown fields are an error, so typos never vanish silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _check_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError("must be an absolute http:// or https:// address")
    return value


def _check_email(value: str) -> str:
    if not EMAIL_PATTERN.match(value):
        raise ValueError("must be an e-mail address such as data@example.gov")
    return value.lower()


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


Slug = Annotated[
    str,
    StringConstraints(min_length=2, max_length=100, pattern=SLUG_PATTERN),
]
Url = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_check_url)]
Email = Annotated[str, StringConstraints(max_length=320), AfterValidator(_check_email)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(max_length=500)]
LongText = Annotated[str, StringConstraints(max_length=20000)]
LangText = Annotated[dict[str, LongText], AfterValidator(_check_lang_text)]
Duration = Annotated[str, AfterValidator(_check_duration)]
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
