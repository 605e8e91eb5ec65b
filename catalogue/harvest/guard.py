"""Harvested fields are read-only here: a steward's edit that changes one is refused, naming
the field and where to edit it (the source). Fields the source does not carry stay free."""

from __future__ import annotations

from catalogue.datasets.queries import DatasetRecord
from catalogue.domain.dataset import DatasetDocument
from catalogue.errors import Problem
from catalogue.harvest import merge
from catalogue.harvest.tables import HarvestRecord


async def harvested_fields_are_read_only(
    record: DatasetRecord, document: DatasetDocument
) -> list[Problem]:
    row = (
        await HarvestRecord.select(
            HarvestRecord.fields, HarvestRecord.landing_page, HarvestRecord.source.name
        )
        .where(HarvestRecord.dataset == record.id)
        .output(load_json=True)
        .first()
    )
    if row is None:
        return []
    before = record.document.model_dump(mode="json")
    after = document.model_dump(mode="json")
    where = row["landing_page"] or f"the source '{row['source.name']}'"
    return [
        Problem(
            path,
            f"comes from the harvest source '{row['source.name']}' and is read-only "
            f"here; edit it at {where} (the next harvest brings the change)",
            "harvested_field",
        )
        for path in row["fields"] or []
        if merge.get(before, path) != merge.get(after, path)
    ]
