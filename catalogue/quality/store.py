"""Scores in and out of the database: the one place that writes ``quality_score``.

:func:`score_rows` scores stored datasets (inside the writing transaction when the event
listener calls it) with the link answers known for their addresses, and keeps the address
list in step; :func:`rescore_urls` does it again for the datasets using addresses whose
answer changed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from uuid import UUID

from catalogue.datasets.tables import Dataset
from catalogue.db import insert_rows
from catalogue.domain.dataset import DatasetDocument
from catalogue.domain.disclosure import PUBLIC_STATUSES
from catalogue.quality.assess import Assessment, Facts, LinkResult, assess
from catalogue.quality.compliance import dcat_ap_conforms
from catalogue.quality.tables import DatasetLink, LinkCheck, QualityScore
from catalogue.settings import get_settings

ROW_COLUMNS = (Dataset.id, Dataset.document, Dataset.issued, Dataset.modified, Dataset.revision)
SCORE_INSERT = (
    QualityScore.dataset_id,
    QualityScore.slug,
    QualityScore.publisher,
    QualityScore.public,
    QualityScore.dcat_ap_conforms,
    QualityScore.points,
    QualityScore.rating,
    QualityScore.findability,
    QualityScore.accessibility,
    QualityScore.interoperability,
    QualityScore.reusability,
    QualityScore.contextuality,
    QualityScore.assessment,
    QualityScore.revision,
    QualityScore.computed_at,
)
LINK_INSERT = (DatasetLink.dataset_id, DatasetLink.url)
CHECK_INSERT = (
    LinkCheck.url,
    LinkCheck.status,
    LinkCheck.error,
    LinkCheck.method,
    LinkCheck.elapsed_ms,
    LinkCheck.checked_at,
    LinkCheck.due,
)


def urls_of(document: DatasetDocument) -> list[str]:
    """The access and download addresses the score depends on."""
    found: dict[str, None] = {}
    for distribution in document.technical.distributions:
        for url in (
            distribution.access_url or distribution.download_url,
            distribution.download_url,
        ):
            if url:
                found[url] = None
    return list(found)


async def link_results(urls: Iterable[str]) -> dict[str, LinkResult]:
    wanted = sorted(set(urls))
    results: dict[str, LinkResult] = {}
    for start in range(0, len(wanted), 500):
        rows = await LinkCheck.select(
            LinkCheck.url, LinkCheck.status, LinkCheck.checked_at, LinkCheck.error
        ).where(LinkCheck.url.is_in(wanted[start : start + 500]))
        for row in rows:
            results[row["url"]] = LinkResult(row["status"], row["checked_at"], row["error"])
    return results


def assess_stored(
    document: DatasetDocument,
    issued: dt.datetime | None,
    modified: dt.datetime | None,
    links: Mapping[str, LinkResult],
    conforms: bool | None = None,
) -> Assessment:
    """The assessment of a stored dataset: its DCAT-AP check (``conforms``, when known for
    this revision) with its publisher as the feed would describe it now."""
    from catalogue.dcat import snapshot

    if conforms is None:
        settings = get_settings()
        publisher = snapshot.current().publisher(document.organisational.publisher)
        conforms = dcat_ap_conforms(
            document, settings.base_url, settings.languages, publisher, issued, modified
        )
    return assess(
        document,
        Facts(
            issued=issued is not None,
            modified=modified is not None,
            dcat_ap_conforms=conforms,
            links=links,
        ),
    )


def _document(value: Any) -> DatasetDocument | None:
    if isinstance(value, DatasetDocument):  # validated by the writer that holds it
        return value
    if isinstance(value, str):
        value = json.loads(value)
    try:
        return DatasetDocument.model_validate(value)
    except ValueError:
        return None


async def _known_compliance(ids: list[UUID]) -> dict[tuple[UUID, int], bool]:
    """The DCAT-AP results already stored, by (dataset, revision)."""
    rows = await QualityScore.select(
        QualityScore.dataset_id, QualityScore.revision, QualityScore.dcat_ap_conforms
    ).where(QualityScore.dataset_id.is_in(ids))
    return {(_uuid(r["dataset_id"]), r["revision"]): r["dcat_ap_conforms"] for r in rows}


async def score_rows(rows: Sequence[Mapping[str, Any]], reuse: bool = False) -> None:
    """Score these ``dataset`` rows (``ROW_COLUMNS``; the document as stored, or as the
    validated model) and store the scores and addresses
    (``reuse``: keep the DCAT-AP result stored for the same revision, as a link rescore
    does: the shapes take most of a score's time)."""
    documents = [
        (row, document) for row in rows if (document := _document(row["document"])) is not None
    ]
    if not documents:
        return
    wanted = {url for _, document in documents for url in urls_of(document)}
    links = await link_results(wanted)
    now = dt.datetime.now(dt.UTC)
    ids = [_uuid(row["id"]) for row, _ in documents]
    known = await _known_compliance(ids) if reuse else {}
    await DatasetLink.delete().where(DatasetLink.dataset_id.is_in(ids))
    scores, uses = [], []
    for row, document in documents:
        conforms = known.get((_uuid(row["id"]), row["revision"]))
        assessment = assess_stored(document, row["issued"], row["modified"], links, conforms)
        dimensions = assessment.dimensions
        conforms = bool(
            next(m.value for m in assessment.measurements if m.indicator == "dcatApCompliance")
        )
        scores.append(
            (
                _uuid(row["id"]),
                document.slug,
                document.organisational.publisher or "",
                document.status.value in PUBLIC_STATUSES,
                bool(conforms),
                assessment.points,
                assessment.rating,
                dimensions["findability"],
                dimensions["accessibility"],
                dimensions["interoperability"],
                dimensions["reusability"],
                dimensions["contextuality"],
                assessment.as_dict(),
                row["revision"],
                now,
            )
        )
        uses += [(_uuid(row["id"]), url) for url in urls_of(document)]
    # An upsert: a concurrent rescore cannot clash.
    await insert_rows(QualityScore, SCORE_INSERT, scores, 200, QualityScore.dataset_id)
    await insert_rows(DatasetLink, LINK_INSERT, uses, 200)
    new = sorted(wanted - set(links))
    await insert_rows(
        LinkCheck,
        CHECK_INSERT,
        [(url, None, "", "", 0, None, now) for url in new],
        200,
        skip_conflicts=True,
    )


async def score_datasets(ids: Iterable[Any], reuse: bool = False) -> None:
    """Score these datasets as stored now."""
    wanted = [_uuid(value) for value in ids]
    for start in range(0, len(wanted), 200):
        rows = await Dataset.select(*ROW_COLUMNS).where(
            Dataset.id.is_in(wanted[start : start + 200])
        )
        await score_rows(rows, reuse)


async def forget(ids: Iterable[Any]) -> None:
    wanted = [_uuid(value) for value in ids]
    if wanted:
        await QualityScore.delete().where(QualityScore.dataset_id.is_in(wanted))
        await DatasetLink.delete().where(DatasetLink.dataset_id.is_in(wanted))


async def rescore_urls(urls: Iterable[str]) -> int:
    """Rescore every dataset using one of these addresses; how many were rescored."""
    wanted = sorted(set(urls))
    ids: set[UUID] = set()
    for start in range(0, len(wanted), 500):
        rows = await DatasetLink.select(DatasetLink.dataset_id).where(
            DatasetLink.url.is_in(wanted[start : start + 500])
        )
        ids |= {_uuid(row["dataset_id"]) for row in rows}
    await score_datasets(sorted(ids), reuse=True)
    return len(ids)


async def rescore_all(batch: int = 500) -> int:
    """Score every dataset (the migration, and ``catalogue quality rescore``)."""
    last: Any = None
    count = 0
    while True:
        query = Dataset.select(*ROW_COLUMNS).order_by(Dataset.id).limit(batch)
        if last is not None:
            query = query.where(Dataset.id > last)
        rows = await query
        if not rows:
            return count
        await score_rows(rows)
        count += len(rows)
        last = rows[-1]["id"]


async def score_missing(limit: int = 1000) -> int:
    """Score up to ``limit`` datasets that have no score yet (a database older than the
    quality tables, filled in the background); how many were scored."""
    rows = await Dataset.raw(
        "SELECT d.id FROM dataset d LEFT JOIN quality_score q ON q.dataset_id = d.id"
        f" WHERE q.id IS NULL LIMIT {int(limit)}"
    )
    ids = [row["id"] for row in rows]
    # Small steps: this runs beside the server's requests, and scoring (with the DCAT-AP
    # check) is CPU work between awaits; 200 at once held a worker for half a second.
    for start in range(0, len(ids), MISSING_STEP):
        await score_datasets(ids[start : start + MISSING_STEP])
        await asyncio.sleep(0)
    return len(ids)


MISSING_STEP = 20


async def stored(dataset_id: Any) -> dict[str, Any] | None:
    """The stored score row of one dataset (one indexed read)."""
    rows = (
        await QualityScore.select()
        .where(QualityScore.dataset_id == _uuid(dataset_id))
        .limit(1)
        .output(load_json=True)
    )
    return rows[0] if rows else None


def _uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))
