"""Storing one page of harvest records: identity, change, merge, the batch write, archiving.

Every page is written in one transaction: the datasets (through the batch write path, with
every check, history, audit and change log) and their ``harvest_record`` rows commit
together, so a harvest killed at any moment leaves whole pages or nothing. The steps are
apart: the document as we store it (``incoming``), pages known before (``known_pages``), the
write and its outcomes (``record_outcomes``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from catalogue.datasets.tables import Dataset
from catalogue.db import write_transaction
from catalogue.harvest import merge
from catalogue.harvest.incoming import free_slugs, their_document
from catalogue.harvest.known_pages import remember_page
from catalogue.harvest.record_outcomes import report_dry_run, write_items
from catalogue.harvest.records import HarvestRecord
from catalogue.harvest.store_context import JobContext, PageItem
from catalogue.harvest.tables import HarvestRecord as RecordRow


async def store_page(
    context: JobContext,
    records: Sequence[HarvestRecord],
    page_key: str | None = None,
    next_url: str | None = None,
) -> None:
    """Compare, merge and store one page of records; the report counts each. A page stored
    whole (no record failed, none listed on an earlier page) is remembered by ``page_key``."""
    report = context.report
    failed_before = report.failed
    whole = True
    keyed: dict[str, HarvestRecord] = {}
    for record in records:
        report.records += 1
        key = merge.key_of(record.identifier)
        for issue in record.issues:
            report.issue(record.identifier, issue.path, issue.value, issue.reason)
        if key in keyed or key in context.seen:
            report.issue(
                record.identifier,
                "(record)",
                record.identifier,
                "the source lists this dataset twice; the first is kept",
                "identity",
            )
            continue
        keyed[key] = record
    rows = (
        {
            row["key"]: row
            for row in await RecordRow.select()
            .where(
                (RecordRow.source == context.source_id) & RecordRow.key.is_in(list(keyed) or [""])
            )
            .output(load_json=True)
        }
        if keyed
        else {}
    )
    documents = await stored_documents([row["dataset"] for row in rows.values()])
    items: list[PageItem] = []
    unchanged: list[int] = []
    for key, record in keyed.items():
        row = rows.get(key)
        if row is not None and row["last_job"] == context.job_id:
            whole = False
            report.issue(
                record.identifier,
                "(record)",
                record.identifier,
                "the source lists this dataset twice; the first is kept",
                "identity",
            )
            continue
        if context.dry_run:
            context.seen.add(key)
        digest = merge.content_hash(
            record.document,
            record.source_issued,
            record.source_modified,
            record.landing_page,
            context.options.model_dump(),
        )
        local = documents.get(row["dataset"]) if row else None
        if (
            row is not None
            and local is not None
            and row["content_hash"] == digest
            and not row["archived"]
        ):
            unchanged.append(row["id"])
            report.count("unchanged", row["slug"])
            continue
        theirs = await their_document(context, record)
        if row is not None and local is not None:
            document = merge.merge(row["harvested"], local, theirs)
            document["slug"] = row["slug"]
        else:
            document = theirs
        items.append(
            PageItem(record, key, digest, row, document, restored=bool(row and row["archived"]))
        )
    await free_slugs(items)
    if context.dry_run:
        await report_dry_run(context, items)
        return
    async with write_transaction():
        if unchanged:
            await RecordRow.update(
                {RecordRow.last_job: context.job_id, RecordRow.missing_since: None}
            ).where(RecordRow.id.is_in(unchanged))
        if items:
            await write_items(context, items)
        if page_key and whole and report.failed == failed_before and keyed:
            await remember_page(context, page_key, next_url, list(keyed))


async def stored_documents(ids: list[Any]) -> dict[Any, dict[str, Any]]:
    if not ids:
        return {}
    rows = (
        await Dataset.select(Dataset.id, Dataset.document)
        .where(Dataset.id.is_in(ids))
        .output(load_json=True)
    )
    return {row["id"]: row["document"] for row in rows}
