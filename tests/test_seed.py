"""The demo catalogue: realistic, complete, passing every rule, and idempotent to load."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from catalogue.accounts.principal import Principal
from catalogue.datasets import queries, service
from catalogue.datasets.tables import Dataset, DatasetRevision
from catalogue.organisations.tables import Organisation
from catalogue.seed import load_seed
from tests.conftest import PROJECT_ROOT

EVERYONE = Principal(user_id=0, name="test", email="", global_role="auditor")


async def all_records() -> list[queries.DatasetRecord]:
    records, _ = await queries.list_records(EVERYONE, queries.DatasetFilter(), 1, 100)
    return records


async def test_the_seed_is_a_realistic_small_country(seeded):
    assert await Organisation.count() >= 10
    records = await all_records()
    assert len(records) >= 40
    classes = Counter(record.document.classification.value for record in records)
    assert set(classes) == {"open", "closed", "personal"}
    assert sum(record.document.organisational.is_base_register for record in records) >= 3
    assert sum(bool(record.document.semantic.hvd_categories) for record in records) >= 3
    assert all(record.document.technical.attributes for record in records)
    slugs = {record.slug for record in records}
    assert {"central-population-register", "business-register", "land-cadastre"} <= slugs


async def test_every_seed_dataset_passes_the_rules(seeded):
    for record in await all_records():
        problems = await service.problems_for(record.document)
        assert service.rules.blocking(problems) == [], record.slug


async def test_loading_the_seed_twice_changes_nothing(seeded):
    revisions = await DatasetRevision.count()
    report = await load_seed(PROJECT_ROOT / "seed")
    assert report.created == {}
    assert report.unchanged["datasets"] == await Dataset.count()
    assert await DatasetRevision.count() == revisions


def _language_maps(node: Any, path: str = "") -> list[tuple[str, dict[str, str]]]:
    """Every ``{"en": ..., "sl": ...}`` map in a seed document, with where it is."""
    if isinstance(node, list):
        return [
            found for i, item in enumerate(node) for found in _language_maps(item, f"{path}[{i}]")
        ]
    if not isinstance(node, dict):
        return []
    if node and set(node) <= {"en", "sl"}:
        return [(path, node)]
    return [
        found for key, value in node.items() for found in _language_maps(value, f"{path}.{key}")
    ]


def test_every_text_of_the_seed_agreements_is_in_english_and_slovenian():
    items = json.loads((PROJECT_ROOT / "seed" / "agreements.json").read_text(encoding="utf-8"))
    maps = dict(_language_maps(items))
    for i, item in enumerate(items):  # each agreement's texts are found as language maps
        texts = [".service.title", ".purpose.text", ".law.title"] + [
            f".needed_attributes[{n}].need"
            for n in range(len(item["agreement"]["needed_attributes"]))
        ]
        assert {f"[{i}].agreement{text}" for text in texts} <= set(maps), item["reference"]
    for path, texts in maps.items():
        assert set(texts) == {"en", "sl"}, path
        assert texts["en"].strip() and texts["sl"].strip(), path
        assert texts["sl"] != texts["en"], path  # translated, not copied
