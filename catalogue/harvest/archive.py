"""After a complete harvest: what the source no longer lists is marked missing, and archived
(withdrawn, never deleted) once it has been missing for the source's grace period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from catalogue.datasets.batch import write_batch
from catalogue.db import write_transaction
from catalogue.harvest.store import stored_documents
from catalogue.harvest.store_context import JobContext
from catalogue.harvest.tables import HarvestPage
from catalogue.harvest.tables import HarvestRecord as RecordRow

ARCHIVE_CHUNK = 200


async def archive_missing(context: JobContext, now: dt.datetime) -> None:
    """After a complete harvest: mark what the source no longer lists, and archive (withdraw)
    what has been missing for the grace period. Never deletes anything."""
    report, grace = context.report, dt.timedelta(days=context.options.archive_grace_days)
    absent = (RecordRow.source == context.source_id) & (RecordRow.archived == False)  # noqa: E712
    if context.dry_run:
        async for keys in _chunks(absent):
            for row in keys:
                if row["key"] not in context.seen:
                    missing_since = row["missing_since"] or now
                    report.count(
                        "archived" if missing_since + grace <= now else "missing", row["slug"]
                    )
        return
    absent = absent & (RecordRow.last_job != context.job_id)
    async with write_transaction():
        await RecordRow.update({RecordRow.missing_since: now}).where(
            absent & RecordRow.missing_since.is_null()
        )
    while True:
        due = (
            await RecordRow.select(RecordRow.id, RecordRow.dataset, RecordRow.slug)
            .where(absent & (RecordRow.missing_since <= now - grace))
            .limit(ARCHIVE_CHUNK)
        )
        if not due:
            break
        await _archive(context, due)
    report.missing = await RecordRow.count().where(absent)
    await HarvestPage.delete().where(
        (HarvestPage.source == context.source_id) & (HarvestPage.last_job != context.job_id)
    )


async def _chunks(clause: Any) -> Any:
    last = 0
    while True:
        rows = (
            await RecordRow.select(
                RecordRow.id, RecordRow.key, RecordRow.slug, RecordRow.missing_since
            )
            .where(clause & (RecordRow.id > last))
            .order_by(RecordRow.id)
            .limit(1000)
        )
        if not rows:
            return
        yield rows
        last = rows[-1]["id"]


async def _archive(context: JobContext, due: list[dict[str, Any]]) -> None:
    documents = await stored_documents([row["dataset"] for row in due])
    withdrawn = [
        {**documents[row["dataset"]], "status": "withdrawn"}
        for row in due
        if row["dataset"] in documents
    ]
    async with write_transaction():
        outcomes = await write_batch(
            withdrawn, None, upsert=True, trusted=True, actor_name=context.actor
        )
        for outcome in outcomes:
            if not outcome.ok:
                context.report.issue(
                    outcome.slug or "",
                    "status",
                    "withdrawn",
                    "could not be archived",
                    "archive",
                    outcome.slug or "",
                )
        await RecordRow.update({RecordRow.archived: True}).where(
            RecordRow.id.is_in([row["id"] for row in due])
        )
    for row in due:
        context.report.count("archived", row["slug"])
