"""What the once-only map knows about a dataset or an agreement: plain Python, no SQL, no HTTP.

* An attribute's *fact* is what it holds: its identifier scheme when it has one
  (``scheme:address-id``), else its personal-data category (``category:BirthDate``). Two
  attributes with the same fact in different datasets hold the same facts twice.
* A base register is *authoritative* for the scheme of its key, the first identifier
  attribute: the population register is keyed by the personal ID number, the address
  register by the address ID; others merely carry those identifiers.
* A public service is named by a stable slug of its title (English first).
* Search words are cut to their first six letters, so "addresses" finds "address" and
  "naslova" finds "naslov" with one exact, indexed lookup.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

STEM_LENGTH = 6
ENGLISH_STOP_WORDS = "a an and as at by for from in is it of on or the to with"
SLOVENIAN_STOP_WORDS = "ali in iz je na ob od po pri s z za"
STOP_WORDS = frozenset(f"{ENGLISH_STOP_WORDS} {SLOVENIAN_STOP_WORDS}".split())
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def stems(text: str) -> set[str]:
    """The search stems of ``text``: lower-case words without stop words, cut to six letters."""
    words = _WORD.findall(text.lower())
    return {word[:STEM_LENGTH] for word in words if len(word) > 1 and word not in STOP_WORDS}


def query_stems(query: str) -> list[str]:
    """The stems a search asks for, in the order typed (each must match)."""
    seen = dict.fromkeys(sorted(stems(query), key=query.lower().find))
    return list(seen)


def slugify(text: str) -> str:
    """ASCII lower-case words joined by hyphens: "Child benefit" → child-benefit."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:120]


def service_slug(title: Mapping[str, str], url: str | None = None) -> str:
    """The stable name of a public service: its English title (else any), else its address."""
    for text in (title.get("en"), *title.values(), url or ""):
        if text and (slug := slugify(text)):
            return slug
    return "service"


def fact_of(attribute: Mapping[str, Any]) -> str:
    if scheme := attribute.get("identifier_scheme"):
        return f"scheme:{scheme}"
    if category := attribute.get("personal_data_category"):
        return f"category:{category}"
    return ""


@dataclass(frozen=True)
class AttributeRow:
    name: str
    description: dict[str, str]
    personal_data_category: str
    identifier_scheme: str
    is_key: bool
    fact: str
    words: set[str] = field(default_factory=set)


def attribute_rows(
    document: Mapping[str, Any], category_labels: Mapping[str, Iterable[str]]
) -> list[AttributeRow]:
    """The rows to index for one dataset; ``category_labels`` gives each category's labels in
    every language, so "Date of birth" and "Datum rojstva" both find ``BirthDate``."""
    attributes = (document.get("technical") or {}).get("attributes") or []
    key = next(
        (a for a in attributes if a.get("is_identifier") or a.get("identifier_scheme")), None
    )
    rows = []
    for attribute in attributes:
        category = attribute.get("personal_data_category") or ""
        scheme = attribute.get("identifier_scheme") or ""
        description = dict(attribute.get("description") or {})
        text = " ".join(
            [
                attribute["name"].replace("_", " "),
                scheme.replace("-", " "),
                *description.values(),
                *category_labels.get(category, ()),
            ]
        )
        rows.append(
            AttributeRow(
                name=attribute["name"],
                description=description,
                personal_data_category=category,
                identifier_scheme=scheme,
                is_key=attribute is key and bool(scheme),
                fact=fact_of(attribute),
                words=stems(text),
            )
        )
    return rows


def is_base_register(document: Mapping[str, Any]) -> bool:
    return bool((document.get("organisational") or {}).get("is_base_register"))
