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
from markupsafe import Markup

from catalogue.domain import languages
from catalogue.domain.services import HVD_LEGISLATION
from catalogue.i18n import N_, current_language, translate
from catalogue.i18n.formatting import byte_size, date_text, duration_text, number_text
from catalogue.i18n.legal import legal_label
from catalogue.settings import get_settings
from catalogue.vocabularies import default_vocabularies

CLASSIFICATION_LABELS = {
    "open": N_("Open data"),
    "closed": N_("Closed data"),
    "personal": N_("Personal data"),
}
STATUS_LABELS = {
    "draft": N_("Draft"),
    "published": N_("Published"),
    "deprecated": N_("Deprecated"),
    "withdrawn": N_("Withdrawn"),
}
ACTION_LABELS = {
    "create": N_("Created"),
    "update": N_("Updated"),
    "publish": N_("Published"),
    "unpublish": N_("Unpublished"),
    "deprecate": N_("Deprecated"),
    "withdraw": N_("Withdrawn"),
}


def _lang(context: Context) -> str:
    """The page's language (macros imported without context: the request's language)."""
    value = context.get("lang")
    return value if isinstance(value, str) else current_language()


def text_in(value: Mapping[str, str] | str | None, lang: str = "") -> str:
    """The text of a language map in ``lang``, else in the configured languages, else any."""
    return languages.text_in(value, lang, get_settings().languages)


def lang_attribute(value: Mapping[str, str] | str | None, lang: str) -> Markup:
    """`` lang="en"`` when the text shown for ``value`` is not in the page's language, else
    nothing: put it on the element that shows the text (``<h1{{ title | lang_attr }}>``)."""
    _, shown = languages.text_and_language(value, lang, get_settings().languages)
    if shown and shown != lang:
        return Markup(' lang="{}"').format(shown)
    return Markup("")


def label(table: Mapping[str, str], code: str | None) -> str:
    if code is not None and code in table:
        return translate(table[code])
    return humanise_code(code or "")


def humanise_code(code: str) -> str:
    """A readable fallback for a code without a vocabulary entry (never a bare IRI)."""
    tail = code.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", tail).replace("_", " ").replace("-", " ")
    return spaced[:1].upper() + spaced[1:]


def concept_label(code: str | None, vocabulary: str, lang: str = "en") -> str:
    """The label of ``code`` in ``vocabulary``; unknown codes get a humanised fallback."""
    return concept_label_and_language(code, vocabulary, lang)[0]


def concept_label_and_language(code: str | None, vocabulary: str, lang: str) -> tuple[str, str]:
    """The label and the language it is in (the vocabulary's own fallback when it has no
    label in ``lang``); GDPR articles in plain language in ``lang``."""
    if not code:
        return "", lang
    plain = legal_label(vocabulary, code, lang)
    if plain is not None:
        return plain, lang
    vocabularies = default_vocabularies()
    if vocabulary in vocabularies:
        concept = vocabularies[vocabulary].get(code)
        if concept is not None:
            label, shown = languages.text_and_language(concept.labels, lang, ("en",))
            return (label, shown) if label else (concept.code, lang)
    return humanise_code(code), lang


def concept_definition(code: str | None, vocabulary: str, lang: str = "en") -> str:
    if not code:
        return ""
    vocabularies = default_vocabularies()
    if vocabulary in vocabularies and (concept := vocabularies[vocabulary].get(code)):
        return concept.definition(lang)
    return ""


def iso_date(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    return value.isoformat()


def install(environment: Environment) -> None:
    """Register the filters on the one template environment."""

    @pass_context
    def text(context: Context, value: Any) -> str:
        return text_in(value, _lang(context))

    @pass_context
    def concept(context: Context, code: str | None, vocabulary: str) -> str | Markup:
        """The label; inside ``<span lang="en">`` when it is not in the page's language."""
        label, shown = concept_label_and_language(code, vocabulary, _lang(context))
        if shown and shown != _lang(context):
            return Markup('<span lang="{}">{}</span>').format(shown, label)
        return label

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

    @pass_context
    def lang_attr(context: Context, value: Any) -> Markup:
        return lang_attribute(value, _lang(context))

    @pass_context
    def date(context: Context, value: Any) -> str:
        return date_text(value, _lang(context))

    @pass_context
    def number(context: Context, value: Any) -> str:
        return number_text(value, _lang(context))

    @pass_context
    def size(context: Context, value: Any) -> str:
        return byte_size(value, _lang(context))

    environment.filters.update(
        law_title=law_title,
        text=text,
        lang_attr=lang_attr,
        number=number,
        concept=concept,
        definition=definition,
        duration=duration_text,
        date=date,
        iso=iso_date,
        bytes=size,
        capfirst=lambda value: (value[:1].upper() + value[1:]) if value else "",
        classification=lambda code: label(CLASSIFICATION_LABELS, code),
        action=lambda code: label(ACTION_LABELS, code),
        status=lambda code: label(STATUS_LABELS, code),
    )
