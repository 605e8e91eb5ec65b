"""Storing one page of harvest records: identity, change, merge, the batch write, archiving.

Every page is written in one transaction: the datasets (through the batch write path, with
every check, history, audit and change log) and their ``harvest_record`` rows commit
together, so a harvest killed at any moment leaves whole pages or nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from catalogue.datasets import service
from catalogue.datasets.batch import Outcome
from catalogue.datasets.queries import identifier_scheme_codes
from catalogue.datasets.tables import Dataset
from catalogue.db import insert_rows, write_transaction
from catalogue.domain import rules
from catalogue.errors import CatalogueError, InvalidDocument
from catalogue.harvest import merge
from catalogue.harvest.records import HarvestRecord
from catalogue.harvest.report import Report
from catalogue.harvest.sources import SourceOptions
from catalogue.harvest.tables import HarvestPage
from catalogue.harvest.tables import HarvestRecord as RecordRow
from catalogue.harvest.writing import problem_of, value_at, write_tolerantly
from catalogue.organisations.tables import Organisation

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RECORD_INSERT = [
    column for column in RecordRow._meta.columns if column._meta.name != "id"
]  # every column has a value in a new row (``page`` empty until the page is remembered)


@dataclass
class JobContext:
    source_id: int
    source_name: str
    organisation: str  # the source's organisation: the default publisher
    options: SourceOptions
    job_id: int
    dry_run: bool
    report: Report
    actor: str
    organisations: dict[str, bool] = field(default_factory=dict)  # slug -> exists here
    seen: set[str] = field(default_factory=set)  # keys of a dry run (nothing is stored)


@dataclass
class _Item:
    record: HarvestRecord
    key: str
    hash: str
    row: dict[str, Any] | None
    document: dict[str, Any]
    restored: bool = False


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:90].rstrip("-") or "dataset"


async def known_page(context: JobContext, key: str) -> tuple[bool, str | None]:
    """Whether the page ``key`` was stored whole before (and its records are all still
    here, none archived), and the next page's URL it had."""
    page = (
        await HarvestPage.select(HarvestPage.records, HarvestPage.next_url)
        .where((HarvestPage.source == context.source_id) & (HarvestPage.hash == key))
        .first()
    )
    if page is None or not page["records"]:
        return False, None
    # By the page alone (its index: a page's few rows), the rest counted here: with the
    # source in the query SQLite may walk the source's index instead, every record of it.
    rows = await RecordRow.select(RecordRow.source, RecordRow.archived, RecordRow.last_job).where(
        RecordRow.page == key
    )
    present = sum(
        1
        for row in rows
        if row["source"] == context.source_id
        and not row["archived"]
        and row["last_job"] != context.job_id
    )
    return present == page["records"], page["next_url"] or None


async def skipped_page(context: JobContext, key: str) -> None:
    """A page with the bytes of one stored whole before: each record is unchanged."""
    found = await RecordRow.select(
        RecordRow.id, RecordRow.source, RecordRow.key, RecordRow.slug
    ).where(RecordRow.page == key)  # by the page's index, as in known_page
    rows = [row for row in found if row["source"] == context.source_id]
    if context.dry_run:
        context.seen.update(row["key"] for row in rows)
    else:
        async with write_transaction():
            if rows:
                await RecordRow.update(
                    {RecordRow.last_job: context.job_id, RecordRow.missing_since: None}
                ).where(RecordRow.id.is_in([row["id"] for row in rows]))
            await HarvestPage.update({HarvestPage.last_job: context.job_id}).where(
                (HarvestPage.source == context.source_id) & (HarvestPage.hash == key)
            )
    for row in rows:
        context.report.records += 1
        context.report.count("unchanged", row["slug"])


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
    items: list[_Item] = []
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
        theirs = await _theirs(context, record)
        if row is not None and local is not None:
            document = merge.merge(row["harvested"], local, theirs)
            document["slug"] = row["slug"]
        else:
            document = theirs
        items.append(
            _Item(record, key, digest, row, document, restored=bool(row and row["archived"]))
        )
    await _free_slugs(items)
    if context.dry_run:
        await _dry_run(context, items)
        return
    async with write_transaction():
        if unchanged:
            await RecordRow.update(
                {RecordRow.last_job: context.job_id, RecordRow.missing_since: None}
            ).where(RecordRow.id.is_in(unchanged))
        if items:
            await _write(context, items)
        if page_key and whole and report.failed == failed_before and keyed:
            await _remember_page(context, page_key, next_url, list(keyed))


async def _remember_page(
    context: JobContext, key: str, next_url: str | None, keys: list[str]
) -> None:
    source = RecordRow.source == context.source_id
    await RecordRow.update({RecordRow.page: key}).where(source & RecordRow.key.is_in(keys))
    await HarvestPage.delete().where(
        (HarvestPage.source == context.source_id) & (HarvestPage.hash == key)
    )
    await HarvestPage.insert(
        HarvestPage(
            source=context.source_id,
            hash=key,
            next_url=next_url or "",
            records=len(keys),
            last_job=context.job_id,
        )
    )


async def stored_documents(ids: list[Any]) -> dict[Any, dict[str, Any]]:
    if not ids:
        return {}
    rows = (
        await Dataset.select(Dataset.id, Dataset.document)
        .where(Dataset.id.is_in(ids))
        .output(load_json=True)
    )
    return {row["id"]: row["document"] for row in rows}


async def _theirs(context: JobContext, record: HarvestRecord) -> dict[str, Any]:
    """The record's document as we mean to store it: published, with a publisher here.

    Only the top level and ``organisational`` are changed here, so only they are copied
    (the rest is shared with the record, which nothing changes: a deep copy cost as much
    as a rule check)."""
    document = dict(record.document)
    document["status"] = "published"
    if context.options.classification and not document.get("classification"):
        document["classification"] = context.options.classification
    document.setdefault("classification", "open")
    organisational = document["organisational"] = dict(document.get("organisational") or {})
    publisher = organisational.get("publisher")
    if publisher and not await _organisation_exists(context, publisher):
        if context.options.create_publishers and SLUG.match(publisher):
            if context.dry_run:  # it would be created: checked under the source's one
                publisher = None
            else:
                await _create_organisation(publisher)
                context.organisations[publisher] = True
        else:
            context.report.issue(
                record.identifier,
                "organisational.publisher",
                publisher,
                f"no organisation '{publisher}' here: published under the "
                f"source's organisation '{context.organisation}'",
            )
            publisher = None
    organisational["publisher"] = publisher or context.organisation
    slug = document.get("slug")
    if not isinstance(slug, str) or not SLUG.match(slug) or len(slug) > 100:
        title = document.get("title") or {}
        text = next(iter(title.values()), "") if isinstance(title, dict) else ""
        document["slug"] = slugify(text or record.identifier.rsplit("/", 1)[-1])
    return document


async def _organisation_exists(context: JobContext, slug: str) -> bool:
    if slug not in context.organisations:
        context.organisations[slug] = await Organisation.exists().where(Organisation.slug == slug)
    return context.organisations[slug]


async def _create_organisation(slug: str) -> None:
    from catalogue.domain.organisation import OrganisationDocument
    from catalogue.organisations.service import save_organisation

    name = slug.replace("-", " ").capitalize()
    await save_organisation(OrganisationDocument(slug=slug, name=name), None, create=True)


async def _free_slugs(items: list[_Item]) -> None:
    """New datasets get their slug, or the first free variant (``slug-2``, ...)."""
    new = [item for item in items if item.row is None]
    if not new:
        return
    wanted = {item.document["slug"] for item in new}
    taken = {
        row["slug"]
        for row in await Dataset.select(Dataset.slug).where(Dataset.slug.is_in(list(wanted)))
    }
    claimed: set[str] = set()
    for item in new:
        slug = item.document["slug"]
        if slug in taken or slug in claimed:
            stem = slug[:94].rstrip("-")
            variants = {
                row["slug"]
                for row in await Dataset.select(Dataset.slug).where(Dataset.slug.like(f"{stem}-%"))
            }
            slug = next(
                f"{stem}-{n}"
                for n in range(2, len(variants) + len(claimed) + 3)
                if f"{stem}-{n}" not in variants | claimed
            )
            item.document["slug"] = slug
        claimed.add(slug)


async def _write(context: JobContext, items: list[_Item]) -> None:
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
    context: JobContext, item: _Item, outcome: Outcome, problems: list[dict[str, str]]
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


async def _dry_run(context: JobContext, items: list[_Item]) -> None:
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
