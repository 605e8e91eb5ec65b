"""Writing many datasets at once: every check of a single write, one transaction per chunk.

Each item goes through what :mod:`catalogue.datasets.service` does for one dataset (the
document's structure and codes, the publisher, permissions, the revision guard, the
classification rules and every publish check, SHACL included) and gets its own outcome, so
one bad item never blocks the good ones: items are checked first, then the good ones of a
chunk are written in one transaction (rows, themes, history) and announced together (the
audit chain, the change log and the DCAT snapshot take the batch at once). Should the
database still refuse an insert (another writer took the slug meanwhile), the chunk falls
back to a savepoint per item, so only that item fails.

The lookups a single write repeats per dataset (publishers, identifier schemes, existing
records) are made once per chunk.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from catalogue.accounts.principal import Principal
from catalogue.datasets import service
from catalogue.datasets.queries import (
    RECORD_COLUMNS,
    DatasetRecord,
    identifier_scheme_codes,
    may_see,
    record_from_row,
)
from catalogue.datasets.rows import ROW_COLUMNS, row_values
from catalogue.datasets.tables import Dataset, DatasetRevision, DatasetTheme
from catalogue.datasets.versions import held_version
from catalogue.db import insert_rows, is_unique_violation, write_transaction
from catalogue.domain.dataset import DatasetDocument
from catalogue.domain.patch import changed_fields
from catalogue.errors import (
    CatalogueError,
    Conflict,
    InvalidDocument,
    NotFound,
    PreconditionFailed,
    Problem,
)
from catalogue.events import Change, announce_many
from catalogue.organisations.tables import Organisation
from catalogue.web.statuses import status_for  # per-item statuses: the one table (see pyproject)

CHUNK = 500
INSERT_ROWS = 100
MAX_ITEMS = 1000


@dataclass
class Outcome:
    """What became of one item: ``status`` as the single write would answer it."""

    index: int
    slug: str | None
    status: int = 0
    outcome: str = ""  # "created", "updated", "unchanged", or "failed"
    record: DatasetRecord | None = None
    error: CatalogueError | InvalidDocument | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def fail(self, error: CatalogueError | InvalidDocument) -> None:
        self.status = status_for(error)
        self.outcome, self.error, self.record = "failed", error, None

    @property
    def problems(self) -> list[Problem]:
        return list(getattr(self.error, "problems", None) or [])


@dataclass
class _Pending:
    outcome: Outcome
    document: DatasetDocument
    publisher: dict[str, Any]
    existing: DatasetRecord | None
    values: dict[Any, Any] = field(default_factory=dict)
    dataset_id: uuid.UUID | None = None
    revision: int = 1


async def write_batch(
    items: Sequence[Any],
    principal: Principal | None,
    *,
    upsert: bool = False,
    trusted: bool = False,
    expected: Sequence[int | None] | None = None,
    actor_name: str | None = None,
) -> list[Outcome]:
    """Create (or with ``upsert`` also replace) every item; one :class:`Outcome` each.

    ``trusted`` (the seed, the CLI, benchmarks) writes as the system, without a principal;
    otherwise the principal must be allowed to write each publisher's datasets. ``expected``
    gives, per item, the revision an update must find (as the ``If-Match`` of a PUT).
    ``actor_name`` names who wrote a trusted batch in the history and the audit log (a
    harvest job) instead of "system".
    """
    if not trusted:
        service._authorise(principal)
    outcomes: list[Outcome] = []
    for start in range(0, len(items), CHUNK):
        chunk = items[start : start + CHUNK]
        guards: list[int | None] = (
            list(expected[start : start + CHUNK]) if expected else [None] * len(chunk)
        )
        outcomes += await _write_chunk(chunk, guards, start, principal, upsert, trusted, actor_name)
    return outcomes


async def _write_chunk(
    items: Sequence[Any],
    guards: list[int | None],
    offset: int,
    principal: Principal | None,
    upsert: bool,
    trusted: bool,
    actor_name: str | None = None,
) -> list[Outcome]:
    outcomes = [Outcome(offset + i, _slug_of(raw)) for i, raw in enumerate(items)]
    parsed: dict[int, DatasetDocument] = {}
    for outcome, raw in zip(outcomes, items, strict=True):
        try:
            parsed[outcome.index] = service.parse_document(raw)
        except InvalidDocument as error:
            outcome.fail(error)
    publishers = await _publishers({d.organisational.publisher for d in parsed.values()})
    existing = await _existing({d.slug for d in parsed.values()})
    schemes = await identifier_scheme_codes()
    pending: list[_Pending] = []
    claimed: set[str] = set()
    async with held_version():  # the checks write nothing: one version read for them all
        for outcome, guard in zip(outcomes, guards, strict=True):
            document = parsed.get(outcome.index)
            if document is None:
                continue
            try:
                item = await _prepare(
                    document, guard, publishers, existing, schemes, principal, upsert, trusted
                )
                if document.slug in claimed:
                    raise Conflict(f"the slug '{document.slug}' appears twice in this batch")
                claimed.add(document.slug)
            except (CatalogueError, InvalidDocument) as error:
                outcome.fail(error)
                continue
            if item is None:
                outcome.status, outcome.outcome = 200, "unchanged"
                outcome.record = existing[document.slug]
            else:
                item.outcome = outcome
                pending.append(item)
    if pending:
        await _store(pending, principal, actor_name)
    return outcomes


def _slug_of(raw: Any) -> str | None:
    slug = raw.get("slug") if isinstance(raw, dict) else None
    return slug if isinstance(slug, str) else None


async def _publishers(slugs: set[str | None]) -> dict[str, dict[str, Any]]:
    wanted = [slug for slug in slugs if slug]
    if not wanted:
        return {}
    rows = await Organisation.select(
        Organisation.id, Organisation.slug, Organisation.name, Organisation.type
    ).where(Organisation.slug.is_in(wanted))
    return {row["slug"]: row for row in rows}


async def _existing(slugs: set[str]) -> dict[str, DatasetRecord]:
    if not slugs:
        return {}
    rows = await Dataset.select(*RECORD_COLUMNS).where(Dataset.slug.is_in(list(slugs)))
    return {record.slug: record for record in map(record_from_row, rows)}


async def _prepare(
    document: DatasetDocument,
    guard: int | None,
    publishers: dict[str, dict[str, Any]],
    existing: dict[str, DatasetRecord],
    schemes: Collection[str],
    principal: Principal | None,
    upsert: bool,
    trusted: bool,
) -> _Pending | None:
    """Every check of a single write, for one item; None when it would change nothing."""
    publisher = publishers.get(document.organisational.publisher or "")
    document = service.checked_document(document, schemes, publisher)
    assert publisher is not None  # checked_document refuses an unknown publisher
    record = existing.get(document.slug)
    if not trusted:
        service._authorise(principal, document.organisational.publisher)
    if record is not None:
        if not upsert:
            raise Conflict(f"a dataset with the slug '{document.slug}' already exists")
        if not trusted:
            if not may_see(record, principal):
                raise NotFound(f"no dataset '{document.slug}'")
            service._authorise(principal, record.publisher)
        if guard is not None:
            service._expect_revision(record, guard)
        if record.document == document:
            return None
    await service.refuse_unpublishable(document, service.context_for(publisher))
    return _Pending(
        outcome=Outcome(-1, document.slug), document=document, publisher=publisher, existing=record
    )


async def _store(
    pending: list[_Pending], principal: Principal | None, actor_name: str | None = None
) -> None:
    """Write the checked items of one chunk in one transaction, then announce them."""
    now = dt.datetime.now(dt.UTC)
    for item in pending:
        item.values = row_values(item.document, item.publisher["id"], item.existing, now)
    async with write_transaction() as transaction:
        written = [item for item in pending if item.existing is not None and await _update(item)]
        creates = [item for item in pending if item.existing is None]
        savepoint = await transaction.savepoint()
        try:
            await _insert(creates, now)
            await savepoint.release()
            written += creates
        except Exception as error:
            if not is_unique_violation(error):
                raise
            await savepoint.rollback_to()
            written += [item for item in creates if await _insert_alone(transaction, item, now)]
        await _history(written, principal, now, actor_name)
        await announce_many([_change(item, principal, actor_name) for item in written])
    for item in written:
        item.outcome.status = 200 if item.existing else 201
        item.outcome.outcome = "updated" if item.existing else "created"
        item.outcome.record = DatasetRecord(
            id=item.dataset_id,  # type: ignore[arg-type]
            revision=item.revision,
            created=item.existing.created if item.existing else now,
            modified=now,
            issued=item.values.get(Dataset.issued, item.existing.issued if item.existing else None),
            publisher_name=item.publisher["name"],
            document=item.document,
        )


async def _update(item: _Pending) -> bool:
    existing = item.existing
    assert existing is not None
    item.dataset_id, item.revision = existing.id, existing.revision + 1
    updated = (
        await Dataset.update({**item.values, Dataset.revision: item.revision})
        .where((Dataset.id == existing.id) & (Dataset.revision == existing.revision))
        .returning(Dataset.id)
    )
    if not updated:
        item.outcome.fail(
            PreconditionFailed(
                "the dataset changed while the batch was saving; read it again and reapply "
                "your change",
                existing.revision + 1,
            )
        )
    return bool(updated)


DATASET_INSERT = (Dataset.id, Dataset.revision, Dataset.created, *ROW_COLUMNS)
THEME_INSERT = (DatasetTheme.dataset, DatasetTheme.theme)
REVISION_INSERT = (
    DatasetRevision.dataset,
    DatasetRevision.revision,
    DatasetRevision.action,
    DatasetRevision.actor,
    DatasetRevision.actor_name,
    DatasetRevision.at,
    DatasetRevision.changes,
    DatasetRevision.snapshot,
)


async def _insert(items: list[_Pending], now: dt.datetime) -> None:
    rows = []
    for item in items:
        item.dataset_id = item.dataset_id or uuid.uuid4()
        values = {**item.values, Dataset.id: item.dataset_id, Dataset.revision: 1}
        values[Dataset.created] = now
        rows.append([values.get(column) for column in DATASET_INSERT])
    await insert_rows(Dataset, DATASET_INSERT, rows, INSERT_ROWS)


async def _insert_alone(transaction: Any, item: _Pending, now: dt.datetime) -> bool:
    savepoint = await transaction.savepoint()
    try:
        await _insert([item], now)
    except Exception as error:
        if not is_unique_violation(error):
            raise
        await savepoint.rollback_to()
        item.outcome.fail(
            Conflict(f"a dataset with the slug '{item.document.slug}' already exists")
        )
        return False
    await savepoint.release()
    return True


async def _history(
    items: list[_Pending],
    principal: Principal | None,
    now: dt.datetime,
    actor_name: str | None = None,
) -> None:
    """Themes and one history row per written item, a few multi-row inserts in all."""
    updated = [item.dataset_id for item in items if item.existing is not None]
    if updated:
        await DatasetTheme.delete().where(DatasetTheme.dataset.is_in(updated))
    themes = [
        (item.dataset_id, theme)
        for item in items
        for theme in dict.fromkeys(item.document.semantic.themes)
    ]
    revisions = [
        (
            item.dataset_id,
            item.revision,
            _action(item),
            principal.user_id if principal else None,
            principal.name if principal else actor_name or "system",
            now,
            changed_fields(_before(item), item.values[Dataset.document]),
            item.values[Dataset.document],
        )
        for item in items
    ]
    await insert_rows(DatasetTheme, THEME_INSERT, themes, INSERT_ROWS)
    await insert_rows(DatasetRevision, REVISION_INSERT, revisions, INSERT_ROWS)


def _before(item: _Pending) -> dict[str, Any]:
    return item.existing.document.model_dump(mode="json") if item.existing else {}


def _action(item: _Pending) -> str:
    return service._action(item.existing.document if item.existing else None, item.document)


def _change(item: _Pending, principal: Principal | None, actor_name: str | None = None) -> Change:
    before = _before(item)
    extra: dict[str, Any] = {"revision": item.revision}
    if actor_name and principal is None:
        extra["actor_name"] = actor_name
    return Change(
        "dataset",
        _action(item),
        str(item.dataset_id),
        item.document.slug,
        principal,
        before=before or None,
        after=item.values[Dataset.document],
        extra=extra,
        written=_written(item),
    )


def _written(item: _Pending) -> dict[str, Any]:
    """The stored row as the quality score reads it (``catalogue.quality.store.ROW_COLUMNS``),
    with the document as the validated model the batch checked."""
    existing = item.existing
    return {
        "id": item.dataset_id,
        "document": item.document,
        "issued": item.values.get(Dataset.issued, existing.issued if existing else None),
        "modified": item.values[Dataset.modified],
        "revision": item.revision,
    }
