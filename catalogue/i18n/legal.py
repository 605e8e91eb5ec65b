"""GDPR references in plain language: "Article 6(1)(c) GDPR: a legal obligation".

The DPV vocabulary labels them "Art 6(1-c) legal obligation", in English only; people read
the article the way the law cites it, then what it means, in their language.
"""

from __future__ import annotations

import re

from catalogue.i18n.catalogues import N_, translate

MEANINGS: dict[str, dict[str, str]] = {
    "legal-bases": {
        "A6-1-a": N_("consent of the person"),
        "A6-1-b": N_("a contract with the person"),
        "A6-1-c": N_("a legal obligation"),
        "A6-1-d": N_("protecting someone's life or health (vital interests)"),
        "A6-1-e": N_("a task in the public interest"),
        "A6-1-f": N_("legitimate interests"),
    },
    "special-category-conditions": {
        "A9-2-a": N_("explicit consent"),
        "A9-2-b": N_("employment, social security and social protection law"),
        "A9-2-c": N_("protecting someone's life or health (vital interests)"),
        "A9-2-d": N_("activities of a foundation, association or non-profit body"),
        "A9-2-e": N_("data the person has made public"),
        "A9-2-f": N_("legal claims and courts"),
        "A9-2-g": N_("a substantial public interest laid down by law"),
        "A9-2-h": N_("health care, medicine and social care"),
        "A9-2-i": N_("public health"),
        "A9-2-j": N_("archiving in the public interest, research or statistics"),
    },
    "transfer-bases": {
        "A45-3": N_("an adequacy decision of the European Commission"),
        "A46-2-a": N_("a binding instrument between public authorities"),
        "A46-2-b": N_("binding corporate rules"),
        "A46-2-c": N_("standard contractual clauses of the European Commission"),
        "A46-2-d": N_("standard contractual clauses of a data protection authority"),
        "A46-2-e": N_("an approved code of conduct"),
        "A46-2-f": N_("an approved certification"),
        "A46-3-a": N_("contractual clauses authorised by the data protection authority"),
        "A46-3-b": N_("an administrative arrangement between public authorities"),
        "A49-1-a": N_("explicit consent"),
        "A49-1-b": N_("performance of a contract with the person"),
        "A49-1-c": N_("a contract in the person's interest"),
        "A49-1-d": N_("important reasons of public interest"),
        "A49-1-e": N_("legal claims"),
        "A49-1-f": N_("protecting someone's life or health (vital interests)"),
        "A49-1-g": N_("a public register"),
        "A49-2": N_("compelling legitimate interests (a one-off transfer)"),
    },
}
ARTICLE = N_("Article %(number)s%(rest)s GDPR: %(meaning)s")
"""Slovenian: "%(number)s. člen%(rest)s GDPR: %(meaning)s" (6. člen(1)(c) GDPR: ...)."""
_CODE = re.compile(r"^A(\d+)((?:-[0-9a-z]+)*)$")


def legal_label(vocabulary: str, code: str, lang: str) -> str | None:
    """The plain-language label of a GDPR article concept, or None for other codes."""
    meaning = MEANINGS.get(vocabulary, {}).get(code)
    match = _CODE.match(code)
    if meaning is None or match is None:
        return None
    parts = [part for part in match.group(2).split("-") if part]
    rest = "".join(f"({part})" for part in parts)
    return translate(ARTICLE, lang) % {
        "number": match.group(1),
        "rest": rest,
        "meaning": translate(meaning, lang),
    }
