"""The demo catalogue: realistic, complete, passing every rule, and idempotent to load."""

from __future__ import annotations

from collections import Counter

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
