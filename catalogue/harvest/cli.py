"""``catalogue harvest``: sources, runs, jobs and one-off imports; each prints the report
and exits with status 1 when a record (or the harvest) failed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from catalogue.running import fail, run


@click.group()
def harvest() -> None:
    """Harvest DCAT-AP feeds, CKAN sites and files."""


def _progress(label: str) -> Any:
    from catalogue.progress import status_line

    line = status_line(label)
    if line is None:
        return None, None

    def show(report: Any) -> None:
        line(f"{report.pages} page(s), {report.records} record(s)")

    return show, line


def _print(job_id: int, report: Any) -> None:
    click.echo(f"Job {job_id}.")
    for text in report.lines():
        click.echo(text)
    if report.failed or not report.complete:
        sys.exit(1)


@harvest.command("add")
@click.option("--name", required=True, help="A short name (lower case, digits, hyphens).")
@click.option("--kind", type=click.Choice(["dcat", "ckan"]), required=True)
@click.option("--url", required=True, help="The feed (DCAT) or the CKAN site's address.")
@click.option(
    "--organisation",
    required=True,
    help="Slug of the organisation it belongs to (the default publisher).",
)
@click.option(
    "--schedule",
    default="manual",
    show_default=True,
    help="manual, or an ISO 8601 interval such as PT6H or P1D.",
)
@click.option("--classification", default="", help="Classification of new datasets.")
@click.option("--language", default="", help="Language of untagged texts.")
@click.option(
    "--create-publishers", is_flag=True, help="Publishers unknown here become organisations."
)
@click.option(
    "--grace-days",
    type=float,
    default=7.0,
    show_default=True,
    help="Days before a dataset gone from the source is archived.",
)
def add(
    name: str,
    kind: str,
    url: str,
    organisation: str,
    schedule: str,
    classification: str,
    language: str,
    create_publishers: bool,
    grace_days: float,
) -> None:
    """Register a harvest source."""
    from catalogue.errors import CatalogueError, InvalidDocument
    from catalogue.harvest import service

    raw = {
        "name": name,
        "kind": kind,
        "url": url,
        "organisation": organisation,
        "schedule": schedule,
        "options": {
            "classification": classification,
            "language": language,
            "create_publishers": create_publishers,
            "archive_grace_days": grace_days,
        },
    }
    try:
        source = run(lambda: service.save_source(service.parse_source(raw)))
    except InvalidDocument as error:
        fail("; ".join(f"{p.field}: {p.message}" for p in error.problems))
    except CatalogueError as error:
        fail(error.message)
    click.echo(
        f"Harvest source '{source['name']}' added ({source['kind']}, {source['url']}, "
        f"schedule {source['schedule']})."
    )


@harvest.command("list")
def list_sources() -> None:
    """Every harvest source."""
    from catalogue.accounts.principal import Principal
    from catalogue.harvest import service

    everyone = Principal(user_id=0, name="cli", email="", global_role="auditor")
    for source in run(lambda: service.list_sources(everyone)):
        running = f", job {source['running_job']} running" if source["running_job"] else ""
        click.echo(
            f"{source['name']} [{source['kind']}] {source['url'] or ''} "
            f"organisation={source['organisation']} schedule={source['schedule']}"
            f"{running}"
        )


@harvest.command("run")
@click.argument("name")
@click.option("--dry-run", is_flag=True, help="Report what would change; store nothing.")
def run_source(name: str, dry_run: bool) -> None:
    """Harvest a source now and print the report."""
    from catalogue.errors import CatalogueError
    from catalogue.harvest import worker
    from catalogue.harvest.jobs import harvest as run_harvest

    show, line = _progress(f"Harvesting {name}")
    try:
        job_id, report = run(lambda: run_harvest(name, dry_run=dry_run, progress=show))
    except CatalogueError as error:
        fail(error.message)
    finally:
        worker.shutdown()
    if line:
        line("")
    _print(job_id, report)


@harvest.command("jobs")
@click.argument("name")
@click.option("--limit", default=20, show_default=True)
def jobs(name: str, limit: int) -> None:
    """A source's latest jobs."""
    from catalogue.accounts.principal import Principal
    from catalogue.errors import CatalogueError
    from catalogue.harvest import service

    everyone = Principal(user_id=0, name="cli", email="", global_role="auditor")
    try:
        rows = run(lambda: service.list_jobs(name, everyone, limit))
    except CatalogueError as error:
        fail(error.message)
    for job in rows:
        summary = job["report"]["summary"]
        counts = ", ".join(f"{value} {key}" for key, value in summary.items())
        click.echo(
            f"job {job['id']} {job['status']}{' (dry run)' if job['dry_run'] else ''} "
            f"started {job['started']}: {job['pages']} page(s), {job['records']} "
            f"record(s); {counts}{'; ' + job['error'] if job['error'] else ''}"
        )


@harvest.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--organisation", required=True, help="Slug of the organisation it belongs to.")
@click.option("--dry-run", is_flag=True, help="Report what would change; store nothing.")
def import_file(file: Path, organisation: str, dry_run: bool) -> None:
    """Import a file once: DCAT in any RDF syntax, or a CSV/XLSX spreadsheet of datasets."""
    from catalogue.errors import CatalogueError, InvalidDocument
    from catalogue.harvest import service
    from catalogue.harvest.incoming import slugify
    from catalogue.harvest.jobs import harvest as run_harvest

    name = f"file-{slugify(file.stem)}"[:100].rstrip("-")
    data = file.read_bytes()

    async def go() -> Any:
        from catalogue.harvest.tables import HarvestSource

        existing = await HarvestSource.exists().where(HarvestSource.name == name)
        if not existing:
            await service.save_source(
                service.parse_source({"name": name, "kind": "file", "organisation": organisation})
            )
        return await run_harvest(
            name, dry_run=dry_run, data=data, filename=file.name, progress=show
        )

    show, line = _progress(f"Importing {file.name}")
    try:
        job_id, report = run(go)
    except InvalidDocument as error:
        fail("; ".join(f"{p.field}: {p.message}" for p in error.problems))
    except CatalogueError as error:
        fail(error.message)
    if line:
        line("")
    _print(job_id, report)


commands = [harvest]
