"""A realistic synthetic catalogue: Zipf-distributed words, 500 publishers, every class.

Deterministic for a given seed, so runs at 10k and 100k datasets are comparable.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from typing import Any

SYLLABLES = [
    "ka",
    "ro",
    "mi",
    "ta",
    "ne",
    "lo",
    "vi",
    "sa",
    "de",
    "pu",
    "ri",
    "go",
    "an",
    "el",
    "ot",
    "us",
    "ber",
    "lan",
    "tor",
    "gin",
    "mar",
    "sel",
    "ven",
    "dor",
    "pli",
    "stra",
    "kov",
    "nik",
]
DOMAIN_WORDS = [
    "register",
    "population",
    "tax",
    "number",
    "address",
    "building",
    "parcel",
    "vehicle",
    "health",
    "insurance",
    "school",
    "enrolment",
    "statistics",
    "income",
    "employer",
    "business",
    "company",
    "municipality",
    "permit",
    "licence",
    "transport",
    "road",
    "water",
    "air",
    "quality",
    "energy",
    "budget",
    "spending",
    "procurement",
    "court",
    "decision",
    "benefit",
    "pension",
    "farm",
    "subsidy",
    "forest",
    "soil",
    "weather",
    "station",
    "census",
    "survey",
]
ATTRIBUTE_NAMES = [
    "tax_number",
    "employer_tax_number",
    "personal_id",
    "birth_date",
    "address_id",
    "business_id",
    "parcel_id",
    "building_id",
    "vehicle_id",
    "municipality_code",
    "amount",
    "valid_from",
    "valid_to",
    "status_code",
    "name",
    "surname",
    "postal_code",
    "year",
    "month",
]
THEMES = [
    "AGRI",
    "ECON",
    "EDUC",
    "ENER",
    "ENVI",
    "GOVE",
    "HEAL",
    "INTR",
    "JUST",
    "REGI",
    "SOCI",
    "TECH",
    "TRAN",
]
FORMATS = ["CSV", "JSON", "XML", "XLSX", "PDF", "HTML", "ZIP", "GPKG", "SHP", "RDF_TURTLE"]
CLASSIFICATIONS = [("open", 0.5), ("closed", 0.2), ("personal", 0.3)]
STATUSES = [("published", 0.9), ("draft", 0.08), ("deprecated", 0.02)]


def vocabulary(size: int, rng: random.Random) -> list[str]:
    """Domain words first (the most frequent), then invented words."""
    words = list(DOMAIN_WORDS)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Generator:
    def __init__(self, seed: int = 42, vocabulary_size: int = 20_000, publishers: int = 500):
        self.rng = random.Random(seed)
        self.words = vocabulary(vocabulary_size, self.rng)
        weights = [1 / (rank**1.07) for rank in range(1, len(self.words) + 1)]
        self.cumulative = list(itertools.accumulate(weights))
        self.publishers = [f"publisher-{number:03d}" for number in range(publishers)]
        publisher_weights = [1 / (rank**0.8) for rank in range(1, publishers + 1)]
        self.publisher_cumulative = list(itertools.accumulate(publisher_weights))

    def zipf_words(self, count: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=count)

    def text(self, low: int, high: int) -> str:
        return " ".join(self.zipf_words(self.rng.randint(low, high)))

    def _pick(self, options: list[tuple[str, float]]) -> str:
        return self.rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]

    def dataset(self, number: int) -> dict[str, Any]:
        rng = self.rng
        classification = self._pick(CLASSIFICATIONS)
        publisher = rng.choices(self.publishers, cum_weights=self.publisher_cumulative)[0]
        title = self.text(3, 7).capitalize()
        attributes = [
            {"name": name, "data_type": "string", "description": {"en": self.text(3, 8)}}
            for name in rng.sample(ATTRIBUTE_NAMES, rng.randint(2, 8))
        ]
        distributions = [
            {
                "title": {"en": f"{self.text(1, 3)} extract"},
                "access_url": f"https://data.example.si/{number}/{index}",
                "format": rng.choice(FORMATS),
                **({"licence": "CC_BY_4_0"} if classification == "open" else {}),
            }
            for index in range(rng.randint(1, 3))
        ]
        return {
            "slug": f"dataset-{number:06d}",
            "classification": classification,
            "status": self._pick(STATUSES),
            "title": {"en": title, "sl": self.text(3, 6).capitalize()},
            "description": {"en": self.text(20, 60) + ".", "sl": self.text(15, 40) + "."},
            "technical": {"distributions": distributions, "attributes": attributes},
            "semantic": {
                "themes": rng.sample(THEMES, rng.randint(1, 3)),
                "keywords": [self.text(1, 2) for _ in range(rng.randint(3, 8))],
                "languages": ["SLV", *(["ENG"] if rng.random() < 0.4 else [])],
            },
            "organisational": {
                "publisher": publisher,
                "is_base_register": rng.random() < 0.05,
                "contact_point": {"name": "Data desk", "email": "data@example.si"},
            },
            "legal": {
                "licence": "CC_BY_4_0" if classification == "open" else None,
                "access_rights": {"open": "PUBLIC", "closed": "NON_PUBLIC"}.get(
                    classification, "RESTRICTED"
                ),
            },
        }

    def datasets(self, count: int) -> Iterator[dict[str, Any]]:
        for number in range(count):
            yield self.dataset(number)

    def query(self) -> str:
        """1-3 words, drawn with the same Zipf weights as the documents."""
        return " ".join(self.zipf_words(self.rng.choices([1, 2, 3], weights=[5, 4, 1])[0]))
