"""How a dataset document becomes its ``dataset`` row: one place for the service's writes
and the batch path's inserts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from catalogue.datasets.queries import DatasetRecord
from catalogue.datasets.tables import Dataset
from catalogue.domain import disclosure
from catalogue.domain.dataset import DatasetDocument, Status
from catalogue.settings import get_settings

ROW_COLUMNS = (
    Dataset.slug,
    Dataset.classification,
    Dataset.status,
    Dataset.publisher,
    Dataset.controller,
    Dataset.title,
    Dataset.document,
    Dataset.modified,
    Dataset.issued,
    Dataset.public_modified,
)
"""The ``dataset`` columns :func:`row_values` fills (``issued`` and ``public_modified`` only
on some writes): a batch insert writes exactly these, with the id, revision and creation."""


def row_values(
    document: DatasetDocument, publisher_id: Any, existing: DatasetRecord | None, now: dt.datetime
) -> dict[Any, Any]:
    """The ``dataset`` columns for ``document`` (``issued`` on its first publication)."""
    values = {
        Dataset.slug: document.slug,
        Dataset.classification: document.classification.value,
        Dataset.status: document.status.value,
        Dataset.publisher: publisher_id,
        Dataset.controller: document.controller()[:100],
        Dataset.title: document.text(document.title, get_settings().default_language)[:500],
        Dataset.document: document.model_dump(mode="json"),
        Dataset.modified: now,
    }
    if document.status == Status.PUBLISHED and (existing is None or existing.issued is None):
        values[Dataset.issued] = now
    before = existing.document.status.value if existing else None
    if disclosure.changes_public_view(before, document.status.value):
        values[Dataset.public_modified] = now  # the feed's Last-Modified: never a draft's edit
    return values
