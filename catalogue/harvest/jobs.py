"""Running a harvest job: one per source at a time, on any number of nodes.

The source row is the guard: a job claims it with an atomic conditional update (on
PostgreSQL after ``SELECT … FOR UPDATE SKIP LOCKED``, so nodes racing for it do not wait on
each other), holds it with a lease it renews on every page, and frees it when it ends. A job
whose process died (kill -9) leaves a lease that expires, or, on the same machine, a process
id that no longer exists: the next run takes the source over and marks that job interrupted.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import importlib
import logging
import os
import socket
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from catalogue.db import write_transaction
from catalogue.errors import Conflict, NotFound
from catalogue.harvest import fetch
from catalogue.harvest.archive import archive_missing
from catalogue.harvest.known_pages import known_page, skipped_page
from catalogue.harvest.report import Report
from catalogue.harvest.sources import SourceOptions
from catalogue.harvest.store import store_page
from catalogue.harvest.store_context import JobContext
from catalogue.harvest.tables import HarvestJob, HarvestSource
from catalogue.harvest.walk import pages
from catalogue.organisations.tables import Organisation

logger = logging.getLogger("catalogue.harvest")
LEASE_SECONDS = 120.0
FILE_CHUNK = 200
FINGERPRINT_MODULES = (
    "catalogue.harvest.records",
    "catalogue.harvest.worker",
    "catalogue.harvest.store",
    "catalogue.harvest.store_context",
    "catalogue.harvest.incoming",
    "catalogue.harvest.known_pages",
    "catalogue.harvest.record_outcomes",
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

        walk = pages(source, options, data, filename, incremental, skip)
        async with contextlib.aclosing(walk):  # no page read ahead outlives the job
            async for records, page in walk:
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
