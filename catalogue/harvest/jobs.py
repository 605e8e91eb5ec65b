"""Running a harvest job: one per source at a time, on any number of nodes.

The source row is the guard: a job claims it with an atomic conditional update (on
PostgreSQL after ``SELECT … FOR UPDATE SKIP LOCKED``, so nodes racing for it do not wait on
each other), holds it with a lease it renews on every page, and frees it when it ends. A job
whose process died (kill -9) leaves a lease that expires, or, on the same machine, a process
id that no longer exists: the next run takes the source over and marks that job interrupted.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import importlib
import logging
import os
import socket
from collections.abc import AsyncIterator, Callable, Iterable
from pathlib import Path
from typing import Any

import httpx
from piccolo.engine.postgres import PostgresEngine

from catalogue.db import write_transaction
from catalogue.errors import Conflict, NotFound
from catalogue.harvest import fetch
from catalogue.harvest.records import HarvestRecord, records_from_graph
from catalogue.harvest.report import Report
from catalogue.harvest.sources import SourceOptions
from catalogue.harvest.store import (
    JobContext,
    archive_missing,
    known_page,
    skipped_page,
    store_page,
)
from catalogue.harvest.tables import HarvestJob, HarvestSource
from catalogue.organisations.tables import Organisation
from catalogue.settings import get_settings
from catalogue.vocabularies import default_vocabularies

logger = logging.getLogger("catalogue.harvest")
LEASE_SECONDS = 120.0
FILE_CHUNK = 200
FINGERPRINT_MODULES = (
    "catalogue.harvest.records",
    "catalogue.harvest.store",
    "catalogue.harvest.merge",
    "catalogue.dcat.reverse",
)
Progress = Callable[[Report], None]
_running: set[int] = set()  # job ids this process is running
_tasks: set[asyncio.Task[Any]] = set()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _node() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _holder_is_dead(node: str, job_id: int) -> bool:
    host, _, pid = node.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return job_id not in _running
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


async def source_row(name: str) -> dict[str, Any]:
    row = (
        await HarvestSource.select(*HarvestSource.all_columns(), HarvestSource.organisation.slug)
        .where(HarvestSource.name == name)
        .output(load_json=True)
        .first()
    )
    if row is None:
        raise NotFound(f"no harvest source '{name}'")
    return row


async def claim(source_id: int, dry_run: bool) -> int:
    """A new job holding the source; Conflict when another job holds it."""
    now = _now()
    async with write_transaction():
        if isinstance(HarvestSource._meta.db, PostgresEngine):
            locked = await HarvestSource.raw(
                "SELECT id FROM harvest_source WHERE id = {} FOR UPDATE SKIP LOCKED", source_id
            )
            if not locked:
                raise Conflict("another node is starting a job of this source right now")
        row = (
            await HarvestSource.select(HarvestSource.running_job, HarvestSource.lease_until)
            .where(HarvestSource.id == source_id)
            .first()
        )
        if row is None:
            raise NotFound("no such harvest source")
        holder = row["running_job"]
        if holder is not None:
            job = await HarvestJob.select(HarvestJob.node).where(HarvestJob.id == holder).first()
            lease = row["lease_until"]
            alive = (
                lease is not None
                and lease > now
                and not (job and _holder_is_dead(job["node"], holder))
            )
            if alive:
                raise Conflict(f"job {holder} of this source is running; wait for it to end")
            await HarvestJob.update(
                {
                    HarvestJob.status: "interrupted",
                    HarvestJob.finished: now,
                    HarvestJob.error: "its process ended before it did",
                }
            ).where((HarvestJob.id == holder) & (HarvestJob.status == "running"))
        created = await HarvestJob.insert(
            HarvestJob(
                source=source_id,
                status="running",
                dry_run=dry_run,
                started=now,
                heartbeat=now,
                node=_node(),
                report=Report().as_dict(),
            )
        ).returning(HarvestJob.id)
        job_id = created[0]["id"]
        await HarvestSource.update(
            {HarvestSource.running_job: job_id, HarvestSource.lease_until: now + _lease()}
        ).where(HarvestSource.id == source_id)
    _running.add(job_id)
    return job_id


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=LEASE_SECONDS)


async def _heartbeat(context: JobContext) -> None:
    """Progress for the pages, and the lease renewed (one short transaction)."""
    now = _now()
    report = context.report
    async with write_transaction():
        await HarvestJob.update(
            {
                HarvestJob.heartbeat: now,
                HarvestJob.pages: report.pages,
                HarvestJob.records: report.records,
                HarvestJob.report: report.as_dict(),
            }
        ).where(HarvestJob.id == context.job_id)
        await HarvestSource.update({HarvestSource.lease_until: now + _lease()}).where(
            (HarvestSource.id == context.source_id) & (HarvestSource.running_job == context.job_id)
        )


async def _finish(
    context: JobContext, status: str, schedule_seconds: int, complete_at: dt.datetime | None
) -> None:
    now, report = _now(), context.report
    async with write_transaction():
        await HarvestJob.update(
            {
                HarvestJob.status: status,
                HarvestJob.finished: now,
                HarvestJob.heartbeat: now,
                HarvestJob.pages: report.pages,
                HarvestJob.records: report.records,
                HarvestJob.error: report.error,
                HarvestJob.report: report.as_dict(),
            }
        ).where(HarvestJob.id == context.job_id)
        values: dict[Any, Any] = {HarvestSource.running_job: None, HarvestSource.lease_until: None}
        if schedule_seconds:
            values[HarvestSource.next_run] = now + dt.timedelta(seconds=schedule_seconds)
        if complete_at is not None:
            values[HarvestSource.last_complete] = complete_at
        await HarvestSource.update(values).where(
            (HarvestSource.id == context.source_id) & (HarvestSource.running_job == context.job_id)
        )
    _running.discard(context.job_id)


async def run_job(
    job_id: int,
    source: dict[str, Any],
    *,
    data: bytes | None = None,
    filename: str = "",
    progress: Progress | None = None,
) -> Report:
    """Gather, fetch and store every page; archive what is gone when the walk completed."""
    options = SourceOptions.model_validate(source.get("options") or {})
    job = await HarvestJob.select(HarvestJob.dry_run).where(HarvestJob.id == job_id).first()
    context = JobContext(
        source_id=source["id"],
        source_name=source["name"],
        organisation=source["organisation.slug"],
        options=options,
        job_id=job_id,
        dry_run=bool(job and job["dry_run"]),
        report=Report(),
        actor=f"harvest job {job_id} ({source['name']})",
    )
    started = _now()
    incremental = bool(
        options.incremental and source["kind"] == "ckan" and source.get("last_complete")
    )
    status, complete_at = "failed", None
    try:
        fingerprint = _fingerprint(options)

        async def skip(digest: str) -> tuple[bool, str | None]:
            return await known_page(context, _page_key(fingerprint, digest))

        async for records, page in _pages(source, options, data, filename, incremental, skip):
            if page is not None and page.skipped:
                await skipped_page(context, _page_key(fingerprint, page.digest))
            else:
                key = _page_key(fingerprint, page.digest) if page is not None else None
                await store_page(
                    context, records or [], key, page.next_url if page is not None else None
                )
            context.report.pages += 1
            if not context.dry_run:
                await _heartbeat(context)
            if progress:
                progress(context.report)
        if not incremental:
            await archive_missing(context, _now())
        context.report.complete = True
        status, complete_at = "complete", None if context.dry_run else started
    except fetch.HarvestFailed as error:
        context.report.error = str(error)
        logger.warning("harvest job %s of %s stopped: %s", job_id, source["name"], error)
    except Exception as error:
        context.report.error = f"{type(error).__name__}: {error}"[:2000]
        logger.exception("harvest job %s of %s failed", job_id, source["name"])
    finally:
        await _finish(context, status, source.get("schedule_seconds") or 0, complete_at)
    if progress:
        progress(context.report)
    return context.report


def _fingerprint(options: SourceOptions) -> str:
    """What a page's records depend on besides its bytes: the mapping code and the options."""
    digest = hashlib.sha256(options.model_dump_json().encode())
    for module in FINGERPRINT_MODULES:
        digest.update(Path(importlib.import_module(module).__file__ or "").read_bytes())
    return digest.hexdigest()


def _page_key(fingerprint: str, digest: str) -> str:
    return hashlib.sha256(f"{fingerprint}:{digest}".encode()).hexdigest()


async def _pages(
    source: dict[str, Any],
    options: SourceOptions,
    data: bytes | None,
    filename: str,
    incremental: bool,
    skip: fetch.SkipCheck,
) -> AsyncIterator[tuple[list[HarvestRecord] | None, fetch.Page | None]]:
    """The records of each page, mapped in a worker thread (the server goes on answering)."""
    settings, vocabularies = get_settings(), default_vocabularies()
    language = options.language or settings.default_language
    url = source.get("url") or filename
    limits = fetch.FetchLimits(
        timeout_seconds=options.timeout_seconds, max_page_bytes=options.max_page_bytes
    )
    if data is not None:
        for chunk in await asyncio.to_thread(_file_records, data, filename, url, language):
            yield chunk, None
        return
    async with httpx.AsyncClient(
        follow_redirects=True,
        timeout=options.timeout_seconds,
        headers={"User-Agent": "strategic-data-catalogue"},
    ) as client:
        if source["kind"] == "ckan":
            from catalogue.harvest.ckan_records import records_from_ckan_package

            since = _ckan_time(source["last_complete"]) if incremental else None
            async for page in fetch.ckan_pages(client, url, limits, since):
                yield (
                    [
                        records_from_ckan_package(
                            p, vocabularies, source_url=url, default_language=language
                        )
                        for p in page.packages or []
                    ],
                    None,
                )
            return
        async for page in fetch.dcat_pages(client, url, limits, skip):
            if page.skipped:
                yield None, page
                continue
            assert page.graph is not None
            graph, page.graph = page.graph, None  # the records are all that is kept
            yield await asyncio.to_thread(_graph_records, graph, page.url, language), page


def _graph_records(graph: Any, url: str, language: str) -> list[HarvestRecord]:
    try:
        return list(
            records_from_graph(
                graph,
                default_vocabularies(),
                source_url=url,
                base_url=get_settings().base_url,
                default_language=language,
            )
        )
    except Exception as error:
        raise fetch.HarvestFailed(f"{url} could not be read as DCAT: {error}"[:1000]) from None


def _file_records(data: bytes, filename: str, url: str, language: str) -> list[list[HarvestRecord]]:
    """A file given once: DCAT in any RDF syntax, or a CSV/XLSX spreadsheet."""
    lower = filename.lower()
    vocabularies = default_vocabularies()
    if lower.endswith((".csv", ".xlsx")):
        from catalogue.harvest.spreadsheet import records_from_spreadsheet

        try:
            records = list(
                records_from_spreadsheet(
                    data, filename, vocabularies, source_url=url, default_language=language
                )
            )
        except (ValueError, KeyError) as error:
            raise fetch.HarvestFailed(f"{filename}: {error}") from None
    else:
        fmt = fetch.rdf_format("", filename, data)
        graph = fetch.parse_rdf(data, fmt, 5_000_000, filename)
        records = _graph_records(graph, url, language)
    return [records[i : i + FILE_CHUNK] for i in range(0, len(records), FILE_CHUNK)] or [[]]


def _ckan_time(value: Any) -> str:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


async def harvest(
    name: str,
    *,
    dry_run: bool = False,
    data: bytes | None = None,
    filename: str = "",
    progress: Progress | None = None,
) -> tuple[int, Report]:
    """Run a job of the source ``name`` now, in this task."""
    source = await source_row(name)
    job_id = await claim(source["id"], dry_run)
    return job_id, await run_job(job_id, source, data=data, filename=filename, progress=progress)


async def start_in_background(name: str, dry_run: bool = False) -> int:
    """Claim the source and run the job as a task of this process (the API's run)."""
    source = await source_row(name)
    job_id = await claim(source["id"], dry_run)
    task = asyncio.create_task(run_job(job_id, source))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    return job_id


async def due_sources(now: dt.datetime) -> Iterable[str]:
    rows = await HarvestSource.select(HarvestSource.name).where(
        (HarvestSource.schedule_seconds > 0)
        & (HarvestSource.next_run.is_null() | (HarvestSource.next_run <= now))
        & (HarvestSource.running_job.is_null() | (HarvestSource.lease_until < now))
    )
    return [row["name"] for row in rows]


async def run_due(now: dt.datetime | None = None) -> list[int]:
    """Start every scheduled source whose time has come (another node may take some)."""
    started = []
    for name in await due_sources(now or _now()):
        try:
            started.append(await start_in_background(name))
        except (Conflict, NotFound):
            continue
    return started


async def organisation_id(slug: str) -> Any:
    row = await Organisation.select(Organisation.id).where(Organisation.slug == slug).first()
    if row is None:
        raise NotFound(f"no organisation '{slug}'")
    return row["id"]
