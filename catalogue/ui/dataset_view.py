"""What the dataset page says about a dataset, in plain language: plain Python, no HTTP.

The most important sentence on the page is what the classification means for a reuser;
it is built here from the document so every page (and test) gets the same wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from catalogue.domain.dataset import DatasetDocument
from catalogue.domain.fields import in_section
from catalogue.domain.fieldspec import Display
from catalogue.domain.paths import attribute
from catalogue.i18n import N_, translate
from catalogue.ui.filters import CLASSIFICATION_LABELS, concept_label, text_in

RDF_FORMATS: tuple[tuple[str, str, str], ...] = (
    ("ttl", "text/turtle", "Turtle"),
    ("rdf", "application/rdf+xml", "RDF/XML"),
    ("jsonld", "application/ld+json", "JSON-LD"),
    ("nt", "application/n-triples", "N-Triples"),
)


@dataclass(frozen=True)
class Explanation:
    """The badge text and the one sentence a reuser needs (plus how to ask, when closed)."""

    badge: str
    sentence: str
    how_to_request: str = ""
    reason: str = ""


def _join(items: list[str], lang: str) -> str:
    """``a, b and c`` / ``a, b in c``."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return translate(N_("%(items)s and %(last)s"), lang) % {
        "items": ", ".join(items[:-1]),
        "last": items[-1],
    }


def licence_of(document: DatasetDocument) -> str | None:
    """The dataset's licence, else the one its distributions share."""
    if document.legal.licence:
        return document.legal.licence
    licences = {d.licence for d in document.technical.distributions if d.licence}
    return licences.pop() if len(licences) == 1 else None


SENTENCES = {
    "open_licence": N_("You may download and reuse this data under %(licence)s."),
    "open": N_("You may download and reuse this data; check each file's licence."),
    "closed_how": N_(
        "This data is not open: it is available on request (see how to request access below)."
    ),
    "closed": N_("This data is not open: it is available on request from its publisher."),
    "personal_bases_purposes": N_(
        "Contains personal data about %(subjects)s; processed under %(bases)s for "
        "%(purposes)s. It is not open: only those with a legal right may use it."
    ),
    "personal_bases": N_(
        "Contains personal data about %(subjects)s; processed under %(bases)s. It is not open: "
        "only those with a legal right may use it."
    ),
    "personal_purposes": N_(
        "Contains personal data about %(subjects)s, used for %(purposes)s. It is not open: "
        "only those with a legal right may use it."
    ),
    "personal": N_(
        "Contains personal data about %(subjects)s. It is not open: only those with a legal "
        "right may use it."
    ),
}
PEOPLE = N_("people")


def explain(document: DatasetDocument, lang: str = "en") -> Explanation:
    """One sentence per classification: what a reuser may do, or how to ask, or whose data."""
    classification = document.classification.value
    legal = document.legal
    badge = translate(CLASSIFICATION_LABELS[classification], lang)
    if classification == "open":
        licence = licence_of(document)
        if licence:
            name = concept_label(licence, "licences", lang)
            sentence = translate(SENTENCES["open_licence"], lang) % {"licence": name}
        else:
            sentence = translate(SENTENCES["open"], lang)
        return Explanation(badge, sentence)
    if classification == "closed":
        restriction = legal.restriction
        how = text_in(restriction.how_to_request, lang) if restriction else ""
        reason = text_in(restriction.reason, lang) if restriction else ""
        sentence = translate(SENTENCES["closed_how" if how else "closed"], lang)
        return Explanation(badge, sentence, how_to_request=how, reason=reason)
    personal = legal.personal_data
    subjects = (
        _join(
            [concept_label(code, "data-subjects", lang).lower() for code in personal.data_subjects],
            lang,
        )
        if personal
        else ""
    )
    bases = (
        _join([concept_label(code, "legal-bases", lang) for code in personal.legal_bases], lang)
        if personal
        else ""
    )
    purposes = (
        _join([concept_label(p.code, "purposes", lang).lower() for p in personal.purposes], lang)
        if personal
        else ""
    )
    key = "personal" + ("_bases" if bases else "") + ("_purposes" if purposes else "")
    sentence = translate(SENTENCES[key], lang) % {
        "subjects": subjects or translate(PEOPLE, lang),
        "bases": bases,
        "purposes": purposes,
    }
    restriction = legal.restriction
    how = text_in(restriction.how_to_request, lang) if restriction else ""
    reason = text_in(restriction.reason, lang) if restriction else ""
    return Explanation(badge, sentence, how_to_request=how, reason=reason)


def rdf_links(slug: str) -> list[dict[str, str]]:
    """The dataset's RDF twins, for ``<link rel=alternate>`` and the page's download list."""
    return [
        {"href": f"/dataset/{slug}.{ext}", "type": media_type, "label": label}
        for ext, media_type, label in RDF_FORMATS
    ]


SHOWN_VALUE_CHARS = 80
"""Longer old/new values are cut: the history says what changed, the revision has the rest."""


@dataclass(frozen=True)
class FieldChange:
    """One changed field of a history entry; ``before``/``after`` only for plain values."""

    name: str
    before: str | None = None
    after: str | None = None


def _plain(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _shown(value: object) -> str:
    if value is None or value == "":
        return translate(N_("(empty)"))
    if isinstance(value, bool):
        return translate(N_("Yes")) if value else translate(N_("No"))
    text = str(value)
    return text if len(text) <= SHOWN_VALUE_CHARS else text[: SHOWN_VALUE_CHARS - 1] + "…"


def changed_fields(changes: dict[str, object]) -> list[FieldChange]:
    """History entries list dotted paths with ``{"from", "to"}``; the page shows short readable
    names, and old → new for plain values (lists and objects show their name only)."""
    fields: dict[str, FieldChange] = {}
    for path, change in changes.items():
        name = path.replace("[", " ").replace("]", "").replace("_", " ").replace(".", " › ")
        if name in fields:
            continue
        before = change.get("from") if isinstance(change, dict) else None
        after = change.get("to") if isinstance(change, dict) else None
        if isinstance(change, dict) and _plain(before) and _plain(after):
            fields[name] = FieldChange(name, _shown(before), _shown(after))
        else:
            fields[name] = FieldChange(name)
    return list(fields.values())


@dataclass(frozen=True)
class PageRow:
    """One field of one level on the page: generic rows render from their declaration."""

    path: str
    kind: str
    vocabulary: str | None
    display: Display
    value: Any
    generic: bool


def page_rows(document: DatasetDocument) -> dict[str, list[PageRow]]:
    """The rows of each level, in the registry's order (custom ones the template writes)."""
    levels: dict[str, list[PageRow]] = {}
    for level in ("technical", "semantic", "organisational", "legal"):
        levels[level] = [
            PageRow(
                field.path,
                field.kind,
                field.vocabulary,
                field.display(),
                attribute(document, field.path),
                field.generic("page"),
            )
            for field in in_section(level)
            if "page" not in field.never
        ]
    return levels
