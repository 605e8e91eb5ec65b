"""Where harvested datasets come from, for the feed (one indexed query per page)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from catalogue.dcat.writer import SourceInfo
from catalogue.harvest.tables import HarvestRecord


async def harvested_sources(dataset_ids: Sequence[Any]) -> dict[Any, SourceInfo]:
    """``SourceInfo`` of each harvested dataset among ``dataset_ids``."""
    if not dataset_ids:
        return {}
    rows = await HarvestRecord.select(
        HarvestRecord.dataset, HarvestRecord.identifier, HarvestRecord.source.url
    ).where(HarvestRecord.dataset.is_in(list(dataset_ids)))
    return {
        row["dataset"]: SourceInfo(row["identifier"], row["source.url"] or None) for row in rows
    }
