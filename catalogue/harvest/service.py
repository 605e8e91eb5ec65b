"""Harvest sources and their jobs: create, read, change, delete; who may do what."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from catalogue.accounts.principal import Principal
from catalogue.db import is_unique_violation, write_transaction
from catalogue.domain.problems import problems_from_validation_error
from catalogue.errors import Conflict, Forbidden, InvalidDocument, NotFound, Problem, Unauthorised
from catalogue.harvest.jobs import organisation_id, source_row
from catalogue.harvest.report import Report
from catalogue.harvest.sources import SourceDocument, schedule_seconds, schedule_text
from catalogue.harvest.tables import HarvestJob, HarvestRecord, HarvestSource

JOB_PAGE = 50


def parse_source(raw: Any) -> SourceDocument:
    if not isinstance(raw, dict):
        raise InvalidDocument([Problem("(document)", "must be a JSON object")])
    try:
        return SourceDocument.model_validate(raw)
    except ValidationError as error:
        raise InvalidDocument(problems_from_validation_error(error)) from None


def may_read(principal: Principal | None, organisation: str) -> bool:
    return principal is not None and (
        principal.reads_everything or bool(principal.roles.get(organisation))
    )


def authorise(principal: Principal | None, organisation: str) -> Principal:
    if principal is None:
        raise Unauthorised("sign in or send 'Authorization: Bearer <token>' to manage harvesting")
    if not principal.can_edit_datasets_of(organisation):
        raise Forbidden(
            f"only stewards of '{organisation}' or an administrator may manage its harvest sources"
        )
    return principal


def represent(row: dict[str, Any]) -> dict[str, Any]:
    name = row["name"]
    return {
        "name": name,
        "kind": row["kind"],
        "url": row["url"] or None,
        "organisation": row["organisation.slug"],
        "schedule": schedule_text(row["schedule_seconds"]),
        "options": row["options"] or {},
        "created": row["created"].isoformat(),
        "modified": row["modified"].isoformat(),
        "next_run": row["next_run"].isoformat() if row["next_run"] else None,
        "running_job": row["running_job"],
        "last_complete": row["last_complete"].isoformat() if row["last_complete"] else None,
        "links": {
            "self": f"/api/v1/harvest/sources/{name}",
            "jobs": f"/api/v1/harvest/sources/{name}/jobs",
            "run": f"/api/v1/harvest/sources/{name}/run",
            "html": f"/harvest/sources/{name}",
        },
    }


async def list_sources(principal: Principal | None) -> list[dict[str, Any]]:
    rows = (
        await HarvestSource.select(*HarvestSource.all_columns(), HarvestSource.organisation.slug)
        .order_by(HarvestSource.name)
        .output(load_json=True)
    )
    return [represent(row) for row in rows if may_read(principal, row["organisation.slug"])]


async def read_source(name: str, principal: Principal | None) -> dict[str, Any]:
    row = await source_row(name)
    if not may_read(principal, row["organisation.slug"]):
        if principal is None:
            raise Unauthorised("sign in to read harvest sources")
        raise NotFound(f"no harvest source '{name}'")
    return row


async def create_source(raw: Any, principal: Principal | None) -> dict[str, Any]:
    document = parse_source(raw)
    authorise(principal, document.organisation)
    return await save_source(document)


async def save_source(
    document: SourceDocument, existing: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Insert (or with ``existing`` replace) a source; the CLI calls this directly."""
    try:
        organisation = await organisation_id(document.organisation)
    except NotFound as error:
        raise InvalidDocument(
            [Problem("organisation", error.message, "unknown_organisation")]
        ) from None
    seconds = schedule_seconds(document.schedule)
    now = dt.datetime.now(dt.UTC)
    values = {
        HarvestSource.name: document.name,
        HarvestSource.kind: document.kind.value,
        HarvestSource.url: document.url or "",
        HarvestSource.organisation: organisation,
        HarvestSource.schedule_seconds: seconds,
        HarvestSource.options: document.options.model_dump(mode="json"),
        HarvestSource.modified: now,
        HarvestSource.next_run: now if seconds else None,
    }
    try:
        async with write_transaction():
            if existing is None:
                await HarvestSource.insert(
                    HarvestSource(created=now, **{c._meta.name: v for c, v in values.items()})
                )
            else:
                await HarvestSource.update(values).where(  # type: ignore[arg-type]
                    HarvestSource.id == existing["id"]
                )
    except Exception as error:
        if is_unique_violation(error):
            raise Conflict(f"a harvest source named '{document.name}' already exists") from None
        raise
    return represent(await source_row(document.name))


async def update_source(name: str, raw: Any, principal: Principal | None) -> dict[str, Any]:
    existing = await read_source(name, principal)
    authorise(principal, existing["organisation.slug"])
    if isinstance(raw, dict):
        raw.setdefault("name", name)
    document = parse_source(raw)
    if document.name != name:
        raise InvalidDocument(
            [Problem("name", "cannot be changed; create a new source", "name_changed")]
        )
    authorise(principal, document.organisation)
    return await save_source(document, existing)


async def delete_source(name: str, principal: Principal | None) -> None:
    """The source, its jobs and records go; the datasets it brought stay, as local ones."""
    existing = await read_source(name, principal)
    authorise(principal, existing["organisation.slug"])
    if existing["running_job"] is not None:
        raise Conflict(f"job {existing['running_job']} of this source is running")
    async with write_transaction():
        await HarvestRecord.delete().where(HarvestRecord.source == existing["id"])
        await HarvestJob.delete().where(HarvestJob.source == existing["id"])
        await HarvestSource.delete().where(HarvestSource.id == existing["id"])


def represent_job(row: dict[str, Any], source: str, full: bool = True) -> dict[str, Any]:
    report = Report.from_dict(row["report"]).as_dict()
    if not full:
        report = {key: report[key] for key in ("summary", "complete", "error", "issue_count")}
    return {
        "id": row["id"],
        "source": source,
        "status": row["status"],
        "dry_run": row["dry_run"],
        "started": row["started"].isoformat(),
        "finished": row["finished"].isoformat() if row["finished"] else None,
        "pages": row["pages"],
        "records": row["records"],
        "error": row["error"] or None,
        "report": report,
        "links": {
            "self": f"/api/v1/harvest/sources/{source}/jobs/{row['id']}",
            "html": f"/harvest/sources/{source}/jobs/{row['id']}",
        },
    }


async def list_jobs(
    name: str, principal: Principal | None, limit: int = JOB_PAGE
) -> list[dict[str, Any]]:
    source = await read_source(name, principal)
    rows = (
        await HarvestJob.select()
        .where(HarvestJob.source == source["id"])
        .order_by(HarvestJob.id, ascending=False)
        .limit(limit)
        .output(load_json=True)
    )
    return [represent_job(row, name, full=False) for row in rows]


async def read_job(name: str, job_id: int, principal: Principal | None) -> dict[str, Any]:
    source = await read_source(name, principal)
    row = (
        await HarvestJob.select()
        .where((HarvestJob.id == job_id) & (HarvestJob.source == source["id"]))
        .output(load_json=True)
        .first()
    )
    if row is None:
        raise NotFound(f"no job {job_id} of harvest source '{name}'")
    return represent_job(row, name)


async def provenance(dataset_id: Any) -> dict[str, Any] | None:
    """Where a harvested dataset comes from (the dataset page and the feed show it)."""
    row = (
        await HarvestRecord.select(
            HarvestRecord.identifier,
            HarvestRecord.fields,
            HarvestRecord.issues,
            HarvestRecord.problems,
            HarvestRecord.source_issued,
            HarvestRecord.source_modified,
            HarvestRecord.landing_page,
            HarvestRecord.archived,
            HarvestRecord.source.name,
            HarvestRecord.source.url,
            HarvestRecord.source.kind,
        )
        .where(HarvestRecord.dataset == dataset_id)
        .output(load_json=True)
        .first()
    )
    if row is None:
        return None
    return {
        "identifier": row["identifier"],
        "source": row["source.name"],
        "source_url": row["source.url"] or None,
        "kind": row["source.kind"],
        "fields": row["fields"] or [],
        "issues": row["issues"] or [],
        "problems": row["problems"] or [],
        "issued": row["source_issued"] or None,
        "modified": row["source_modified"] or None,
        "landing_page": row["landing_page"] or None,
        "archived": row["archived"],
    }
