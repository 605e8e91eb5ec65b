"""A harvest source as stewards describe it (plain Python: no HTTP, no SQL)."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import Field, model_validator

from catalogue.domain.types import Model, Slug, Url

SCHEDULE = re.compile(r"^PT?(?:(?P<days>\d+)D)?(?:T?(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?)$")
MIN_INTERVAL_SECONDS = 300


class Kind(StrEnum):
    DCAT = "dcat"
    CKAN = "ckan"
    FILE = "file"


class SourceOptions(Model):
    classification: str = Field(
        default="",
        description="open, closed or personal: the classification of new datasets "
        "(empty: what the record says, else open)",
        pattern=r"^(|open|closed|personal)$",
    )
    language: str = Field(
        default="",
        max_length=8,
        description="The language of texts without "
        "a language tag (empty: the catalogue's default language)",
    )
    create_publishers: bool = Field(
        default=False,
        description="Publishers the source names that are not organisations "
        "here become organisations (otherwise the source's organisation publishes them)",
    )
    archive_grace_days: float = Field(
        default=7.0,
        ge=0,
        le=3650,
        description=("Days a dataset gone from a complete harvest waits before it is archived"),
    )
    incremental: bool = Field(
        default=False,
        description=(
            "CKAN: after a complete harvest, ask only for packages modified since (such runs "
            "archive nothing)"
        ),
    )
    timeout_seconds: float = Field(default=30.0, gt=0, le=600)
    max_page_bytes: int = Field(default=20 * 1024 * 1024, ge=1024, le=512 * 1024 * 1024)


class SourceDocument(Model):
    name: Slug
    kind: Kind
    url: Url | None = None
    organisation: Slug
    schedule: str = Field(
        default="manual",
        description=(
            "manual, or an interval as an ISO 8601 duration (PT6H, P1D; at least 5 minutes)"
        ),
    )
    options: SourceOptions = Field(default_factory=SourceOptions)

    @model_validator(mode="after")
    def _checked(self) -> SourceDocument:
        if self.kind in (Kind.DCAT, Kind.CKAN) and not self.url:
            raise ValueError(f"a {self.kind.value} source needs its url")
        schedule_seconds(self.schedule)
        return self


def schedule_seconds(schedule: str) -> int:
    """0 for manual, else the interval in seconds; ValueError for anything else."""
    if schedule in ("", "manual"):
        return 0
    match = SCHEDULE.match(schedule)
    if not match or not any(match.groupdict().values()):
        raise ValueError("schedule must be 'manual' or an ISO 8601 duration such as PT6H or P1D")
    parts = {key: int(value or 0) for key, value in match.groupdict().items()}
    seconds = parts["days"] * 86400 + parts["hours"] * 3600 + parts["minutes"] * 60
    if seconds < MIN_INTERVAL_SECONDS:
        raise ValueError("a scheduled harvest runs at most every 5 minutes (PT5M)")
    return seconds


def schedule_text(seconds: int) -> str:
    if not seconds:
        return "manual"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    time = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return f"P{f'{days}D' if days else ''}{'T' + time if time else ''}"
