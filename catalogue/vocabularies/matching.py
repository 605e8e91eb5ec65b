"""Foreign ways of naming a concept, mapped to our vocabulary codes (plain Python).

Catalogues name the same licence, format, language or frequency in many ways: the EU IRI (over
http or https), a Creative Commons or opendefinition URL (with or without a trailing slash), an
SPDX or CKAN id, an ISO 639-1 code, an IANA media type, a label, a DCAT-AP 2 or ADMS IRI, an
old ``purl.org/cld/freq`` frequency. :func:`concept_code` tries them all for one vocabulary and
answers our code, or None when nothing matches (the caller reports it). Only the vocabulary
files the app loads are consulted; nothing here does I/O.
"""

from __future__ import annotations

import re
from functools import lru_cache

from catalogue.vocabularies import Vocabularies, Vocabulary
from catalogue.vocabularies.matching_tables import (
    ACCESS_RIGHTS,
    FORMAT_NAMES,
    FREQUENCIES,
    ISO_639_1,
    ISO_639_2B,
    LICENCE_IDS,
    MEDIA_EXTRA,
    STATUSES,
)

EU_AUTHORITY = re.compile(r"^https?://publications\.europa\.eu/resource/(?:authority|dataset)/")
IANA = re.compile(r"^https?://(?:www\.)?iana\.org/assignments/media-types/", re.IGNORECASE)
MEDIA_TYPE = re.compile(r"^[a-z]+/[a-z0-9][a-z0-9.+_-]*(?:\s*;.*)?$", re.IGNORECASE)
_CC = re.compile(
    r"(?:^|[^a-z])cc[\s_/-]*(by(?:[\s_/-]*nc)?(?:[\s_/-]*(?:sa|nd))?)"
    r"(?:[\s_/-]*(?:v(?:ersion)?\s*)?(\d)(?:[._]?(\d))?)?(?:[^0-9]|$)"
)
_CC_URL = re.compile(r"creativecommons\.org/licen[cs]es/(by(?:-nc)?(?:-sa|-nd)?)/(\d)\.(\d)")


def _key(text: str) -> str:
    return re.sub(r"[\s_.-]+", "", text.casefold())


def _tail(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@lru_cache(maxsize=64)
def _labels(vocabulary: Vocabulary) -> dict[str, str]:
    """Every label (any language, folded) and folded code -> code; first come wins."""
    table: dict[str, str] = {}
    current_first = sorted(
        vocabulary.concepts.values(), key=lambda c: bool(c.flags.get("deprecated"))
    )
    for concept in current_first:
        table.setdefault(_key(concept.code), concept.code)
        for label in concept.labels.values():
            table.setdefault(_key(label), concept.code)
    return table


@lru_cache(maxsize=8)
def _media_types(vocabulary: Vocabulary) -> dict[str, str]:
    """``text/csv`` -> ``CSV`` from the file-type table's ``cat:mediaType``: the common
    types first, then the shortest code (the plain format before its variants)."""
    table = {media: code for media, code in MEDIA_EXTRA.items() if code in vocabulary.concepts}
    for concept in sorted(vocabulary.concepts.values(), key=lambda c: (len(c.code), c.code)):
        media = concept.flags.get("mediaType")
        if isinstance(media, str) and not concept.flags.get("deprecated"):
            table.setdefault(media.lower(), concept.code)
    return table


def _known(vocabulary: Vocabulary, code: str | None) -> str | None:
    concept = vocabulary.get(code) if code else None
    return concept.code if concept else None


def _direct(vocabulary: Vocabulary, value: str) -> str | None:
    """Our code or IRI as given, the EU IRI over https or as an older path, the bare code."""
    if found := _known(vocabulary, value):
        return found
    if EU_AUTHORITY.match(value):
        found = _known(vocabulary, _tail(value))
        if found:
            return found
    if found := _known(vocabulary, value.strip().upper()):
        return found
    return None


def licence(vocabulary: Vocabulary, value: str) -> str | None:
    text = value.strip()
    if found := _direct(vocabulary, text):
        return found
    lowered = text.casefold()
    if match := _CC_URL.search(lowered):
        kind, major, minor = match.groups()
        return _known(vocabulary, f"CC_{kind.upper().replace('-', '')}_{major}_{minor}")
    if "creativecommons.org/publicdomain/zero" in lowered:
        return _known(vocabulary, "CC0")
    stripped = re.sub(r"^https?://(?:www\.)?", "", lowered).rstrip("/")
    for prefix in (
        "opendefinition.org/licenses/",
        "dcat-ap.de/def/licenses/",
        "spdx.org/licenses/",
        "w3id.org/italia/controlled-vocabulary/licences/",
    ):
        if stripped.startswith(prefix):
            stripped = stripped[len(prefix) :].removesuffix(".html").removesuffix(".json")
    stripped = re.sub(r"/(?:summary|legalcode|deed\.[a-z]+)$", "", stripped)
    if stripped.startswith("opendatacommons"):
        stripped = re.sub(r"/\d[.-]\d$", "", stripped)
    if found := _known(
        vocabulary, LICENCE_IDS.get(stripped) or LICENCE_IDS.get(stripped.replace("/", "-"))
    ):
        return found
    if match := _CC.search(f" {stripped} "):
        kind, major, minor = match.groups()
        kind = re.sub(r"[\s_/-]+", "", kind).upper()
        version = f"{major}_{minor or '0'}" if major else "4_0"
        return _known(vocabulary, f"CC_{kind}_{version}")
    return _known(vocabulary, _labels(vocabulary).get(_key(text)))


def frequency(vocabulary: Vocabulary, value: str) -> str | None:
    if found := _direct(vocabulary, value):
        return found
    word = _key(_tail(value) if "://" in value else value.removeprefix("R/"))
    return _known(vocabulary, FREQUENCIES.get(word) or _labels(vocabulary).get(word))


def language(vocabulary: Vocabulary, value: str) -> str | None:
    text = value.strip()
    if found := _direct(vocabulary, text):
        return found
    tag = (_tail(text) if "://" in text else text).lower().split("-")[0].split("_")[0]
    code = ISO_639_1.get(tag) or ISO_639_2B.get(tag) or (tag.upper() if len(tag) == 3 else None)
    return _known(vocabulary, code) or _known(vocabulary, _labels(vocabulary).get(_key(text)))


def media_type(value: str) -> str | None:
    """``text/csv`` from a literal or an IANA IRI (http or https, with or without www)."""
    text = IANA.sub("", value.strip())
    return text.lower() if MEDIA_TYPE.match(text) else None


def file_format(vocabulary: Vocabulary, value: str) -> str | None:
    text = value.strip()
    if found := _direct(vocabulary, text):
        return found
    if "://" in text and "file-type/" in text:
        return _known(vocabulary, _tail(text).upper())
    if media := media_type(text):
        base = media.split(";")[0].strip()
        return _media_types(vocabulary).get(base)
    name = text.casefold().lstrip(".")
    if found := _known(vocabulary, FORMAT_NAMES.get(name)):
        return found
    return _known(vocabulary, re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_")) or _known(
        vocabulary, _labels(vocabulary).get(_key(text))
    )


def _plain(table: dict[str, str]) -> object:
    def lookup(vocabulary: Vocabulary, value: str) -> str | None:
        if found := _direct(vocabulary, value):
            return found
        word = _key(_tail(value) if "://" in value else value)
        return _known(vocabulary, table.get(word) or _labels(vocabulary).get(word))

    return lookup


def _generic(vocabulary: Vocabulary, value: str) -> str | None:
    return _direct(vocabulary, value) or (
        None if "://" in value else _known(vocabulary, _labels(vocabulary).get(_key(value)))
    )


LOOKUPS = {
    "licences": licence,
    "frequencies": frequency,
    "languages": language,
    "file-types": file_format,
    "distribution-status": _plain(STATUSES),
    "planned-availability": _plain({}),
    "access-rights": _plain(ACCESS_RIGHTS),
}


def concept_code(vocabularies: Vocabularies, key: str, value: str | None) -> str | None:
    """Our code in vocabulary ``key`` for a foreign ``value`` (IRI, id, code or label), or None."""
    if not value or key not in vocabularies:
        return None
    lookup = LOOKUPS.get(key, _generic)
    return lookup(vocabularies[key], value)  # type: ignore[operator]


def is_web_iri(value: str) -> bool:
    return value.startswith(("http://", "https://")) and " " not in value
