"""One public dataset as schema.org ``Dataset`` JSON-LD, for Google Dataset Search and others.

A pure function of the stored record (no I/O). Only what the public page shows goes out: the
disclosure rules decide (:func:`dataset_jsonld` answers ``None`` for a dataset the public may
not read), and the fields are picked one by one, so the internal note, related datasets and
the GDPR facts of personal data never appear. The properties follow Google's list for
``Dataset`` (name and description required; creator, identifier, keywords, licence,
distribution, coverage ... recommended); :data:`TERMS` names every schema.org term used.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from catalogue.domain import disclosure
from catalogue.domain.dataset import DatasetDocument, Distribution
from catalogue.vocabularies import Vocabularies

SCHEMA = "https://schema.org/"

TYPES = frozenset(
    {"Dataset", "DataDownload", "DataCatalog", "Organization", "Place", "PropertyValue"}
)
PROPERTIES = frozenset(
    {
        "name",
        "description",
        "url",
        "identifier",
        "keywords",
        "license",
        "creator",
        "publisher",
        "distribution",
        "contentUrl",
        "encodingFormat",
        "contentSize",
        "temporalCoverage",
        "spatialCoverage",
        "sameAs",
        "dateModified",
        "datePublished",
        "isAccessibleForFree",
        "inLanguage",
        "includedInDataCatalog",
        "variableMeasured",
        "version",
        "conditionsOfAccess",
    }
)
TERMS = TYPES | PROPERTIES
"""Every schema.org term :func:`dataset_jsonld` may write (tests check each exists)."""

# The EU language authority table's codes (ISO 639-2/B style) of the official EU languages
# and a few neighbours, as the BCP 47 tags schema.org's ``inLanguage`` takes.
BCP47 = {
    "BUL": "bg",
    "CES": "cs",
    "DAN": "da",
    "DEU": "de",
    "ELL": "el",
    "ENG": "en",
    "SPA": "es",
    "EST": "et",
    "FIN": "fi",
    "FRA": "fr",
    "GLE": "ga",
    "HRV": "hr",
    "HUN": "hu",
    "ITA": "it",
    "LIT": "lt",
    "LAV": "lv",
    "MLT": "mt",
    "NLD": "nl",
    "POL": "pl",
    "POR": "pt",
    "RON": "ro",
    "SLK": "sk",
    "SLV": "sl",
    "SWE": "sv",
    "NOR": "no",
    "ISL": "is",
    "SRP": "sr",
    "BOS": "bs",
    "MKD": "mk",
    "SQI": "sq",
    "UKR": "uk",
    "RUS": "ru",
    "CAT": "ca",
    "EUS": "eu",
    "GLG": "gl",
    "LTZ": "lb",
    "TUR": "tr",
}


@dataclass(frozen=True)
class Site:
    """What the JSON-LD needs to know about the catalogue itself."""

    base_url: str
    title: str
    language: str
    languages: Sequence[str] = ()


def _organisation(site: Site, slug: str | None, name: str) -> dict[str, Any] | None:
    if not slug:
        return None
    return {
        "@type": "Organization",
        "name": name or slug,
        "url": f"{site.base_url}/organisation/{slug}",
    }


def _temporal(document: DatasetDocument) -> str | None:
    """ISO 8601 interval, open ends as ``..`` (schema.org's convention)."""
    temporal = document.technical.temporal
    if temporal is None or not (temporal.start or temporal.end):
        return None
    start = temporal.start.isoformat() if temporal.start else ".."
    end = temporal.end.isoformat() if temporal.end else ".."
    return f"{start}/{end}"


def _concept_iri(vocabularies: Vocabularies, scheme: str, code: str | None) -> str | None:
    if not code or scheme not in vocabularies:
        return None
    concept = vocabularies[scheme].get(code)
    return concept.iri if concept else None


def _label(vocabularies: Vocabularies, scheme: str, code: str, lang: str) -> str:
    concept = vocabularies[scheme].get(code) if scheme in vocabularies else None
    return concept.label(lang) if concept else code


def _download(
    distribution: Distribution, site: Site, document: DatasetDocument, vocabularies: Vocabularies
) -> dict[str, Any] | None:
    url = distribution.download_url or distribution.access_url
    if not url:
        return None
    entry: dict[str, Any] = {"@type": "DataDownload", "contentUrl": url}
    name = document.text(distribution.title, site.language, site.languages)
    if name:
        entry["name"] = name
    description = document.text(distribution.description, site.language, site.languages)
    if description:
        entry["description"] = description
    if distribution.media_type or distribution.format:
        entry["encodingFormat"] = distribution.media_type or distribution.format
    if distribution.byte_size is not None:
        entry["contentSize"] = f"{distribution.byte_size} B"
    licence = _concept_iri(vocabularies, "licences", distribution.licence)
    if licence:
        entry["license"] = licence
    return entry


def _languages(document: DatasetDocument) -> list[str]:
    """The data's languages as BCP 47 tags; else the languages its texts are written in."""
    tags = [BCP47[code] for code in document.semantic.languages if code in BCP47]
    if not tags:
        tags = [tag for tag in {**document.title, **document.description} if tag]
    return list(dict.fromkeys(tags))


def _licence(document: DatasetDocument, vocabularies: Vocabularies) -> str | None:
    """The dataset's licence, else the one all its distributions share."""
    code = document.legal.licence
    if not code:
        shared = {d.licence for d in document.technical.distributions if d.licence}
        code = shared.pop() if len(shared) == 1 else None
    return _concept_iri(vocabularies, "licences", code)


def dataset_jsonld(
    document: DatasetDocument,
    *,
    dataset_id: str,
    modified: dt.datetime | None,
    issued: dt.datetime | None,
    publisher_name: str,
    site: Site,
    vocabularies: Vocabularies,
) -> dict[str, Any] | None:
    """The schema.org description of a public dataset; ``None`` for any other."""
    if not disclosure.is_public(document.status.value):
        return None
    lang, languages = site.language, site.languages
    url = f"{site.base_url}/dataset/{document.slug}"
    body: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "Dataset",
        "@id": url,
        "name": document.text(document.title, lang, languages) or document.slug,
        "description": document.text(document.description, lang, languages) or document.slug,
        "url": url,
        "identifier": dataset_id,
        "isAccessibleForFree": document.classification.value == "open",
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "name": site.title,
            "url": f"{site.base_url}/",
        },
    }
    themes = [_label(vocabularies, "themes", code, lang) for code in document.semantic.themes]
    keywords = list(dict.fromkeys([*document.semantic.keywords, *themes]))
    optional: dict[str, Any] = {
        "keywords": keywords,
        "license": _licence(document, vocabularies),
        "temporalCoverage": _temporal(document),
        "dateModified": modified.isoformat() if modified else None,
        "datePublished": issued.isoformat() if issued else None,
        "inLanguage": _languages(document),
        "version": document.technical.version,
    }
    organisation = _organisation(site, document.organisational.publisher, publisher_name)
    if organisation:
        optional["creator"] = organisation
        optional["publisher"] = organisation
    optional["spatialCoverage"] = [
        {
            "@type": "Place",
            "name": _label(vocabularies, "countries", code, lang),
            **({"sameAs": iri} if (iri := _concept_iri(vocabularies, "countries", code)) else {}),
        }
        for code in document.technical.spatial
    ]
    downloads = [
        _download(d, site, document, vocabularies) for d in document.technical.distributions
    ]
    optional["distribution"] = [entry for entry in downloads if entry]
    optional["variableMeasured"] = [
        {
            "@type": "PropertyValue",
            "name": attribute.name,
            **(
                {"description": text}
                if (text := document.text(attribute.description, lang, languages))
                else {}
            ),
        }
        for attribute in document.technical.attributes
    ]
    restriction = document.legal.restriction
    if document.classification.value != "open" and restriction is not None:
        optional["conditionsOfAccess"] = (
            document.text(restriction.how_to_request, lang, languages) or None
        )
    body.update({key: value for key, value in optional.items() if value not in (None, [], "")})
    return body


def script_tag(body: Mapping[str, Any]) -> Markup:
    """``<script type="application/ld+json">`` with ``<``, ``>`` and ``&`` escaped, so no text
    of a dataset can close the element (JSON parsers read ``\\u003c`` back as ``<``)."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')
