"""The shapes of ``/api/v1/harvest`` bodies, as OpenAPI documents them."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from catalogue.harvest.sources import SourceDocument
from catalogue.web.openapi import Body, Shape

EXAMPLE_SOURCE: dict[str, Any] = {
    "name": "national-portal",
    "kind": "dcat",
    "url": "https://data.example.org/catalog.ttl",
    "organisation": "statistical-office",
    "schedule": "P1D",
    "options": {
        "classification": "open",
        "language": "en",
        "create_publishers": False,
        "archive_grace_days": 7,
    },
}


class SourceLinks(Body):
    self: str
    jobs: str
    run: str
    html: str


class SourceResource(Body):
    name: str
    kind: str = Field(description="dcat, ckan or file")
    url: str | None
    organisation: str = Field(description="The organisation it belongs to: the default publisher")
    schedule: str = Field(description="manual, or an ISO 8601 interval")
    options: dict[str, Any]
    created: str
    modified: str
    next_run: str | None
    running_job: int | None = Field(description="The job holding the source now, if any")
    last_complete: str | None
    links: SourceLinks


class SourceList(Body):
    items: list[SourceResource]
    total: int


class Summary(Body):
    created: int
    updated: int
    unchanged: int
    archived: int
    restored: int
    failed: int
    missing: int = Field(description="Gone from the source, archived after the grace period")


class Issue(Body):
    record: str = Field(description="The record's identity at the source")
    slug: str
    field: str
    value: str = Field(description="The value exactly as the source gave it")
    reason: str
    kind: str = Field(description="mapping, rule, identity or archive")


class JobReport(Body):
    summary: Summary
    complete: bool
    error: str
    issue_count: int
    pages: int | None = None
    records: int | None = None
    issues: list[Issue] | None = None
    datasets: dict[str, list[str]] | None = Field(
        default=None, description="The slugs per outcome (created, updated, ...)"
    )


class JobLinks(Body):
    self: str
    html: str


class JobResource(Body):
    id: int
    source: str
    status: str = Field(description="running, complete, failed or interrupted")
    dry_run: bool
    started: str
    finished: str | None
    pages: int
    records: int
    error: str | None
    report: JobReport
    links: JobLinks


class JobList(Body):
    items: list[JobResource]


class Deleted(Body):
    name: str
    deleted: bool


SourceBody = Annotated[dict[str, Any], Shape(SourceDocument, example=EXAMPLE_SOURCE)]
SourceOut = Annotated[dict[str, Any], Shape(SourceResource)]
SourceListOut = Annotated[dict[str, Any], Shape(SourceList)]
JobOut = Annotated[dict[str, Any], Shape(JobResource)]
JobListOut = Annotated[dict[str, Any], Shape(JobList)]
DeletedOut = Annotated[dict[str, Any], Shape(Deleted)]
