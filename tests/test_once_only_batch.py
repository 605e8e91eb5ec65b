"""The once-only map kept in step by a batch write holds exactly the rows the one-by-one
listener writes (the batch form only takes fewer statements)."""

from __future__ import annotations

from catalogue.datasets.batch import write_batch
from catalogue.datasets.tables import Dataset
from catalogue.onceonly.index import index_dataset
from catalogue.onceonly.tables import RegisterAttribute, RegisterTerm


async def snapshot() -> set[tuple[object, ...]]:
    attributes = await RegisterAttribute.select(
        RegisterAttribute.id,
        RegisterAttribute.dataset_slug,
        RegisterAttribute.name,
        RegisterAttribute.fact,
        RegisterAttribute.is_key,
        RegisterAttribute.is_base_register,
    )
    words: dict[int, list[str]] = {}
    for term in await RegisterTerm.select(RegisterTerm.attribute, RegisterTerm.word):
        words.setdefault(term["attribute"], []).append(term["word"])
    return {
        (
            a["dataset_slug"],
            a["name"],
            a["fact"],
            a["is_key"],
            a["is_base_register"],
            tuple(sorted(words.get(a["id"], []))),
        )
        for a in attributes
    }


async def test_the_batch_form_writes_the_rows_of_the_single_one(seeded):
    rows = await Dataset.select(Dataset.id, Dataset.document).output(load_json=True)
    changed = []
    for row in rows:
        document = row["document"]
        document["description"] = {"en": "Rewritten in one batch."}
        changed.append(document)
    outcomes = await write_batch(changed, None, upsert=True, trusted=True)
    assert sum(o.outcome == "updated" for o in outcomes) == len(rows)
    by_batch = await snapshot()
    assert by_batch
    for row in await Dataset.select(Dataset.id, Dataset.document).output(load_json=True):
        await index_dataset(str(row["id"]), row["document"])
    assert await snapshot() == by_batch
