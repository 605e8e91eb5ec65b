"""Writing a page's changed records and recording each outcome: in the report, and in the
records' ``harvest_record`` rows; a dry run reports what the write would do, storing nothing."""

from __future__ import annotations

from typing import Any

from catalogue.datasets import service
from catalogue.datasets.batch import Outcome
from catalogue.datasets.queries import identifier_scheme_codes
from catalogue.db import insert_rows
from catalogue.domain import rules
from catalogue.errors import CatalogueError, InvalidDocument
from catalogue.harvest import merge
from catalogue.harvest.store_context import JobContext, PageItem
from catalogue.harvest.tables import HarvestRecord as RecordRow
from catalogue.harvest.writing import problem_of, value_at, write_tolerantly
from catalogue.organisations.tables import Organisation

RECORD_INSERT = [
    column for column in RecordRow._meta.columns if column._meta.name != "id"
]  # every column has a value in a new row (``page`` empty until the page is remembered)


async def write_items(context: JobContext, items: list[PageItem]) -> None:
    """Write the page tolerantly (``catalogue.harvest.writing``), report each dropped value
    and record every outcome."""
    written = await write_tolerantly([item.document for item in items], context.actor)
    for index, problem, value in written.dropped:
        item = items[index]
        context.report.issue(
            item.record.identifier,
            problem.field,
            value,
            f"dropped: {problem.message}",
            "value",
            item.document.get("slug", ""),
        )
    new_rows: list[list[Any]] = []
    for index, (item, outcome) in enumerate(zip(items, written.outcomes, strict=True)):
        item.document = written.documents[index]
        row = await _record_outcome(context, item, outcome, written.drafted.get(index, []))
        if row is not None:
            new_rows.append(row)
    await insert_rows(RecordRow, RECORD_INSERT, new_rows)  # a few inserts per page


async def _record_outcome(
    context: JobContext, item: PageItem, outcome: Outcome, problems: list[dict[str, str]]
) -> list[Any] | None:
    """Count the outcome in the report and update the record's row; a new row's values
    (``RECORD_INSERT``) are returned for the caller to insert with the rest of the page."""
    report, identifier = context.report, item.record.identifier
    if not outcome.ok or outcome.record is None:
        report.count("failed", item.document.get("slug") or identifier)
        for problem in outcome.problems or [problem_of(outcome.error)]:
            report.issue(
                identifier,
                problem.field,
                str(value_at(item.document, problem.field)),
                problem.message,
                "rule",
                item.document.get("slug", ""),
            )
        if item.row is not None:
            await RecordRow.update({RecordRow.last_job: context.job_id}).where(
                RecordRow.id == item.row["id"]
            )
        return None
    slug = outcome.record.slug
    for kept in problems:
        report.issue(
            identifier,
            kept["field"],
            str(value_at(item.document, kept["field"])),
            f"kept as a draft here: {kept['message']}",
            "rule",
            slug,
        )
    report.count(
        "restored"
        if item.restored
        else "created"
        if item.row is None
        else "unchanged"
        if outcome.outcome == "unchanged"
        else "updated",
        slug,
    )
    values: dict[Any, Any] = {
        RecordRow.identifier: identifier,
        RecordRow.dataset: outcome.record.id,
        RecordRow.slug: slug,
        RecordRow.content_hash: item.hash,
        RecordRow.harvested: outcome.record.document.model_dump(mode="json"),
        RecordRow.fields: merge.carried_fields(item.document),
        RecordRow.issues: [
            {"path": i.path, "value": i.value, "reason": i.reason} for i in item.record.issues
        ],
        RecordRow.problems: problems,
        RecordRow.source_issued: (item.record.source_issued or "")[:40],
        RecordRow.source_modified: (item.record.source_modified or "")[:40],
        RecordRow.landing_page: (item.record.landing_page or "")[:2000],
        RecordRow.last_job: context.job_id,
        RecordRow.missing_since: None,
        RecordRow.archived: False,
    }
    if item.row is None:
        values.update({RecordRow.source: context.source_id, RecordRow.key: item.key})
        return [values.get(column, "") for column in RECORD_INSERT]  # "": the page's key
    await RecordRow.update(values).where(RecordRow.id == item.row["id"])
    return None


async def report_dry_run(context: JobContext, items: list[PageItem]) -> None:
    """What the write would do, with every check, storing nothing."""
    schemes = await identifier_scheme_codes()
    for item in items:
        slug = item.document.get("slug", "")
        try:
            document = service.parse_document(item.document)
            publisher = (
                await Organisation.select(Organisation.id, Organisation.type)
                .where(Organisation.slug == (document.organisational.publisher or ""))
                .first()
            )
            document = service.checked_document(document, schemes, publisher)
            blocking = rules.blocking(
                await service.problems_for(document, service.context_for(publisher))
            )
        except (InvalidDocument, CatalogueError) as error:
            context.report.count("failed", slug)
            for problem in getattr(error, "problems", None) or [problem_of(error)]:
                context.report.issue(
                    item.record.identifier,
                    problem.field,
                    str(value_at(item.document, problem.field)),
                    problem.message,
                    "rule",
                    slug,
                )
            continue
        for problem in blocking:
            context.report.issue(
                item.record.identifier,
                problem.field,
                str(value_at(item.document, problem.field)),
                f"would be kept as a draft here: {problem.message}",
                "rule",
                slug,
            )
        context.report.count(
            "restored" if item.restored else "created" if item.row is None else "updated", slug
        )
