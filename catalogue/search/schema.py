"""The index schema, and how a stored dataset becomes one index document.

Text fields are per language and stemmed where whoosh has a stemmer for the language;
facet fields hold codes exactly as the document has them, so filters and facet counts use
the same values the API shows. The builder works on the stored JSON (already validated on
write), not on the pydantic model, because a full reindex builds 100,000 of them.

Every posting costs whoosh pure-Python work on each reindex, so the schema records no more
than searching reads: ranking and facets are computed on document bitsets
(:mod:`catalogue.search.ranking`), never with whoosh's scorer, so no field keeps lengths
(``scorable``), only titles and descriptions keep positions (quoted phrases), the other text
fields record bare presence, and the sort keys are columns without postings.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from collections.abc import Iterable
from functools import cache
from typing import Any

from whoosh.analysis import CharsetFilter, LanguageAnalyzer
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, FieldType, Schema
from whoosh.formats import Existence
from whoosh.lang import has_stemmer
from whoosh.support.charset import accent_map

from catalogue.domain.fields import FACETS
from catalogue.domain.paths import values_at
from catalogue.search.analysis import (
    bilingual_analyzer,
    english_analyzer,
    fold,
    folding_analyzer,
    slovenian_analyzer,
)
from catalogue.settings import get_settings

FACET_FIELDS = tuple(facet.name for facet in FACETS)
"""Filter and facet keys, as the API and :class:`~catalogue.search.service.SearchQuery` use them
(declared with their document paths in :data:`catalogue.domain.fields.FACETS`)."""

# 4: the spelling dictionary holds words of public datasets only
# 5: accent folding everywhere, Slovenian stemming (catalogue.search.analysis)
INDEX_VERSION = f"5-{zlib.crc32(repr(FACETS).encode()):08x}"
"""Bump the number when what is indexed changes: every index built by an older version is
rebuilt. A change to the registry's facets changes the suffix, so it rebuilds the index too."""
TITLE_BOOST = 4.0
KEYWORD_BOOST = 2.0
ATTRIBUTE_BOOST = 1.5
"""Relevance weights per field, applied by :mod:`catalogue.search.ranking`."""


def languages() -> tuple[str, ...]:
    return get_settings().languages


def _analyzer(language: str) -> Any:
    """Accents are folded in every language ("emso" finds "EMŠO"); words are stemmed where we
    or whoosh have a stemmer for the language."""
    if language == "en":
        return english_analyzer()
    if language == "sl":
        return slovenian_analyzer()
    if has_stemmer(language):
        return LanguageAnalyzer(language) | CharsetFilter(accent_map)
    return folding_analyzer()


def _presence(field: FieldType) -> FieldType:
    """Index only which documents hold a term: no frequency, positions or lengths."""
    field.format = Existence()
    field.scorable = False
    return field


def _unscored(field: FieldType) -> FieldType:
    """Keep positions (for phrases) but no per-document field lengths."""
    field.scorable = False
    return field


def _column_only(field: FieldType) -> FieldType:
    """A sort key: stored in a column, no postings (nothing searches it by term)."""
    field.indexed = False
    return field


@cache
def build_schema(langs: tuple[str, ...]) -> Schema:
    fields: dict[str, Any] = {
        "id": ID(unique=True, stored=True, sortable=True),
        "slug": ID(stored=True, sortable=True),
        "title_exact": _presence(KEYWORD(commas=True, lowercase=False)),
        "title_sort": _column_only(ID(sortable=True)),
        "keywords": _presence(TEXT(analyzer=bilingual_analyzer())),
        "attributes": _presence(TEXT(analyzer=bilingual_analyzer())),
        "related_text": _presence(TEXT(analyzer=bilingual_analyzer())),
        "modified": _column_only(DATETIME(stored=True, sortable=True)),
        "created": _column_only(DATETIME(sortable=True)),
        "display": STORED(),
    }
    for language in langs:
        analyzer = _analyzer(language)
        fields[f"title_{language}"] = _unscored(TEXT(analyzer=analyzer, stored=True))
        fields[f"description_{language}"] = _unscored(TEXT(analyzer=analyzer, stored=True))
    for name in FACET_FIELDS:
        fields[name] = _presence(KEYWORD(commas=True, lowercase=False))
    return Schema(**fields)


def schema() -> Schema:
    return build_schema(languages())


def _codec() -> W3Codec:
    """whoosh's codec, told not to look up a field length for every posting it writes (no
    field keeps lengths here; the lookup alone was a third of the writing time)."""
    writer_codec = W3Codec()
    writer_codec.length_stats = False
    return writer_codec


WRITER_OPTIONS: dict[str, Any] = {"codec": _codec(), "compound": False}
"""For every index writer. Not compound: whoosh copies each file of a compound segment into
memory whenever a reader opens it (a third of a second per reopen at 100,000 datasets)."""


def text_fields() -> dict[str, float]:
    """Fields a plain word is looked up in (the boosts live in the schema)."""
    fields = {f"title_{lang}": 1.0 for lang in languages()}
    fields.update({f"description_{lang}": 1.0 for lang in languages()})
    fields.update({"keywords": 1.0, "attributes": 1.0, "related_text": 1.0})
    return fields


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def split_name(name: str) -> str:
    """``employer_tax_number`` and ``employerTaxNumber`` -> ``employer tax number``."""
    return _CAMEL.sub(" ", re.sub(r"[_\-.]+", " ", name)).lower()


def normalise_title(title: str) -> str:
    """Lowercased words with accents folded (an exact title ranks first however typed)."""
    return " ".join(re.findall(r"\w+", fold(title.lower())))


def _texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [text for text in value.values() if isinstance(text, str) and text]
    return []


def _pick(value: Any, language: str) -> str:
    if not isinstance(value, dict) or not value:
        return ""
    return value.get(language) or next(iter(value.values()), "") or ""


def _join(values: Iterable[Any]) -> str:
    return ",".join(sorted({str(v) for v in values if v not in (None, "")}))


def _aware(value: dt.datetime) -> dt.datetime:
    """whoosh compares naive datetimes; the index keeps UTC without the tzinfo."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def facet_values(document: dict[str, Any]) -> dict[str, str]:
    """Each facet's values in one stored document, comma-joined as the keyword fields hold them."""
    values: dict[str, str] = {}
    for facet in FACETS:
        found = [value for path in facet.paths for value in values_at(document, path)]
        if facet.boolean:
            values[facet.name] = "true" if any(found) else "false"
        else:
            values[facet.name] = _join(found)
    return values


def index_document(
    dataset_id: str,
    document: dict[str, Any],
    publisher_name: str,
    modified: dt.datetime,
    created: dt.datetime,
) -> dict[str, Any]:
    """The index document for one stored dataset (the JSON kept in ``Dataset.document``)."""
    default = get_settings().default_language
    technical = document.get("technical") or {}
    semantic = document.get("semantic") or {}
    organisational = document.get("organisational") or {}
    legal = document.get("legal") or {}
    distributions = technical.get("distributions") or []
    attributes = technical.get("attributes") or []
    title = document.get("title") or {}
    titles = _texts(title)
    keywords = [str(k) for k in semantic.get("keywords") or []]
    attribute_text = []
    for attribute in attributes:
        attribute_text.append(split_name(attribute.get("name", "")))
        attribute_text.extend(_texts(attribute.get("description")))
    identifiers = set(organisational.get("identifier_schemes") or [])
    identifiers.update(a["identifier_scheme"] for a in attributes if a.get("identifier_scheme"))
    related = [publisher_name, str(organisational.get("publisher") or "")]
    for distribution in distributions:
        related.extend(_texts(distribution.get("title")))
        related.append(str(distribution.get("format") or ""))
    related.extend(identifiers)
    for law in legal.get("legislation") or []:
        related.extend(_texts(law.get("title")))
    default_title = _pick(title, default)
    themes = [str(t) for t in semantic.get("themes") or []]
    fields: dict[str, Any] = {
        "id": dataset_id,
        "slug": document["slug"],
        "title_exact": ",".join(normalise_title(t) for t in titles),
        "title_sort": " ".join(default_title.casefold().split()) or document["slug"],
        "keywords": "\n".join(keywords),
        "attributes": "\n".join(attribute_text),
        "related_text": "\n".join(r for r in related if r),
        "modified": _aware(modified),
        "created": _aware(created),
        **facet_values(document),
        "display": {
            "title": title,
            "publisher_name": publisher_name,
            "themes": themes,
            "classification": document.get("classification", ""),
            "publisher": str(organisational.get("publisher") or ""),
        },
    }
    for language in languages():
        fields[f"title_{language}"] = _pick(title, language) if language in title else ""
        description = document.get("description") or {}
        fields[f"description_{language}"] = description.get(language, "")
    return fields
