"""Jinja2 filters that turn stored values into plain language (labels, dates, durations).

Templates never show a raw IRI or code when a label exists: ``{{ code | concept('themes') }}``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from catalogue.domain import languages
from catalogue.domain.services import HVD_LEGISLATION
from catalogue.settings import get_settings
from catalogue.vocabularies import default_vocabularies

CLASSIFICATION_LABELS = {"open": "Open data", "closed": "Closed data", "personal": "Personal data"}
STATUS_LABELS = {
    "draft": "Draft",
    "published": "Published",
    "deprecated": "Deprecated",
    "withdrawn": "Withdrawn",
}
ACTION_LABELS = {
    "create": "Created",
    "update": "Updated",
    "publish": "Published",
    "unpublish": "Unpublished",
    "deprecate": "Deprecated",
    "withdraw": "Withdrawn",
}
_DURATION = re.compile(
    r"^P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$"
)
_UNITS = ("years", "months", "weeks", "days", "hours", "minutes", "seconds")


def _lang(context: Context) -> str:
    value = context.get("lang")
    return value if isinstance(value, str) else "en"


def text_in(value: Mapping[str, str] | str | None, lang: str = "") -> str:
    """The text of a language map in ``lang``, else in the configured languages, else any."""
    return languages.text_in(value, lang, get_settings().languages)


def humanise_code(code: str) -> str:
    """A readable fallback for a code without a vocabulary entry (never a bare IRI)."""
    tail = code.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", tail).replace("_", " ").replace("-", " ")
    return spaced[:1].upper() + spaced[1:]


def concept_label(code: str | None, vocabulary: str, lang: str = "en") -> str:
    """The label of ``code`` in ``vocabulary``; unknown codes get a humanised fallback."""
    if not code:
        return ""
    vocabularies = default_vocabularies()
    if vocabulary in vocabularies:
        concept = vocabularies[vocabulary].get(code)
        if concept is not None:
            return concept.label(lang)
    return humanise_code(code)


def concept_definition(code: str | None, vocabulary: str, lang: str = "en") -> str:
    if not code:
        return ""
    vocabularies = default_vocabularies()
    if vocabulary in vocabularies and (concept := vocabularies[vocabulary].get(code)):
        return concept.definition(lang)
    return ""


def duration_text(value: str | None) -> str:
    """ISO 8601 durations in words: ``P10Y`` -> ``10 years``."""
    if not value:
        return ""
    match = _DURATION.match(value)
    if not match:
        return value
    parts = []
    for unit in _UNITS:
        amount = match.group(unit)
        if amount and int(amount):
            number = int(amount)
            parts.append(f"{number} {unit if number != 1 else unit[:-1]}")
    return ", ".join(parts) or value


def date_text(value: dt.datetime | dt.date | str | None) -> str:
    """``24 November 2026`` (no time: pages say when, not to the second)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        text = value
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            return text
    return f"{value.day} {value:%B %Y}"


def iso_date(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    return value.isoformat()


def byte_size(value: int | None) -> str:
    if value is None:
        return ""
    size = float(value)
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            return f"{int(size)} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{value} bytes"


def install(environment: Environment) -> None:
    """Register the filters on the one template environment."""

    @pass_context
    def text(context: Context, value: Any) -> str:
        return text_in(value, _lang(context))

    @pass_context
    def concept(context: Context, code: str | None, vocabulary: str) -> str:
        return concept_label(code, vocabulary, _lang(context))

    @pass_context
    def definition(context: Context, code: str | None, vocabulary: str) -> str:
        return concept_definition(code, vocabulary, _lang(context))

    @pass_context
    def law_title(context: Context, iri: str, document: Any) -> str:
        """A law's title as the dataset's own list of laws gives it, else its address."""
        for law in document.legal.legislation:
            if law.iri == iri and law.title:
                return text_in(law.title, _lang(context))
        if iri == HVD_LEGISLATION:
            return "Implementing Regulation (EU) 2023/138 (high-value datasets)"
        return iri

    environment.filters.update(
        law_title=law_title,
        text=text,
        concept=concept,
        definition=definition,
        duration=duration_text,
        date=date_text,
        iso=iso_date,
        bytes=byte_size,
        capfirst=lambda value: (value[:1].upper() + value[1:]) if value else "",
        classification=lambda code: CLASSIFICATION_LABELS.get(code, humanise_code(code or "")),
        action=lambda code: ACTION_LABELS.get(code, humanise_code(code or "")),
        status=lambda code: STATUS_LABELS.get(code, humanise_code(code or "")),
    )
