"""The shapes of ``/api/v1/datasets`` bodies, as OpenAPI documents them.

The request body *is* the domain's :class:`DatasetDocument`; a response adds what the server
keeps (id, revision, dates, links). ``tests/test_fuzz.py`` checks real responses against these.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field

from catalogue.domain.dataset import Classification, DatasetDocument, Status
from catalogue.domain.types import Code, LangText, Slug
from catalogue.web.openapi import Body, ProblemItem, Shape

EXAMPLE_DOCUMENT: dict[str, Any] = {
    "slug": "population-by-settlement",
    "classification": "open",
    "status": "draft",
    "title": {"en": "Population by settlement", "sl": "Prebivalstvo po naseljih"},
    "description": {"en": "Half-yearly population figures for every settlement."},
    "technical": {
        "distributions": [
            {
                "title": {"en": "CSV file"},
                "access_url": "https://data.example.gov/population.csv",
                "format": "CSV",
                "licence": "CC_BY_4_0",
            }
        ],
        "attributes": [{"name": "municipality", "data_type": "string"}],
        "frequency": "ANNUAL",
    },
    "semantic": {"themes": ["SOCI"], "keywords": ["population"]},
    "organisational": {
        "publisher": "statistical-office",
        "contact_point": {"name": "Data desk", "email": "data@stat.example.si"},
    },
    "legal": {"licence": "CC_BY_4_0", "access_rights": "PUBLIC"},
}


class DatasetLinks(Body):
    self: str
    html: str
    history: str
    problems: str


class DatasetResource(DatasetDocument):
    """A stored dataset: the steward's document plus what the server keeps about it.
    ``internal_note`` is shown only to those who may edit or audit the dataset."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(description="A UUID the server gives the dataset")
    revision: int = Field(ge=1, description="Also the ETag: send it back in If-Match")
    created: str = Field(description="ISO 8601 date-time")
    modified: str = Field(description="ISO 8601 date-time of the latest change")
    issued: str | None = Field(description="When it was first published")
    publisher_name: str
    links: DatasetLinks


class DatasetPatch(Body):
    """A JSON Merge Patch (RFC 7396): the fields to change; ``null`` removes a field."""

    model_config = ConfigDict(
        extra="allow", json_schema_extra={"examples": [{"status": "published"}]}
    )

    slug: Slug | None = None
    classification: Classification | None = None
    status: Status | None = None
    title: LangText | None = None
    description: LangText | None = None
    technical: dict[str, Any] | None = None
    semantic: dict[str, Any] | None = None
    organisational: dict[str, Any] | None = None
    legal: dict[str, Any] | None = None
    internal_note: str | None = None


class ListLinks(Body):
    next: str | None = Field(description="The next page (by cursor); null on the last page")


class DatasetList(Body):
    items: list[DatasetResource]
    total: int = Field(ge=0)
    page: int | None = Field(ge=1, description="null when the page was asked by cursor")
    size: int = Field(ge=1)
    order: str = Field(description="modified (newest change first) or created (oldest first)")
    next_cursor: str | None = Field(description="Send it as cursor= for the next page")
    links: ListLinks


class Revision(Body):
    revision: int = Field(ge=1)
    action: str = Field(description="create, update, patch, withdraw ...")
    actor: str = Field(description="Who made the change (system for the seed and the CLI)")
    at: str = Field(description="ISO 8601 date-time")
    changes: dict[str, dict[str, Any]] = Field(
        description='Changed fields: {"field": {"from": ..., "to": ...}}'
    )


class DatasetHistory(Body):
    slug: str
    items: list[Revision]


class DatasetAtRevision(Body):
    revision: int = Field(ge=1)
    document: dict[str, Any] = Field(description="The dataset document as it was then")


class DatasetProblems(Body):
    slug: str
    classification: Code
    publishable: bool = Field(description="No error blocks publishing (warnings never do)")
    problems: list[ProblemItem]


DatasetBody = Annotated[dict[str, Any], Shape(DatasetDocument, example=EXAMPLE_DOCUMENT)]
DatasetPatchBody = Annotated[dict[str, Any], Shape(DatasetPatch)]
DatasetOut = Annotated[dict[str, Any], Shape(DatasetResource)]
DatasetListOut = Annotated[dict[str, Any], Shape(DatasetList)]
DatasetHistoryOut = Annotated[dict[str, Any], Shape(DatasetHistory)]
DatasetAtRevisionOut = Annotated[dict[str, Any], Shape(DatasetAtRevision)]
DatasetProblemsOut = Annotated[dict[str, Any], Shape(DatasetProblems)]


class BatchItem(Body):
    """One item of a batch: a document, with the revision it replaces when updating."""

    document: DatasetDocument
    if_match: str | None = Field(
        default=None, description="The revision (ETag) the item replaces, as If-Match says"
    )


class BatchRequest(Body):
    """Up to 1,000 documents (plain, or wrapped with ``if_match``) written in one request."""

    items: list[DatasetDocument | BatchItem] = Field(min_length=1)
    mode: str = Field(
        default="create", description="create (a slug taken is a 409) or upsert (replace it)"
    )


class BatchResult(Body):
    index: int = Field(ge=0, description="The item's position in the request")
    slug: str | None
    status: int = Field(description="201, 200, 403, 409, 412 or 422, as a single write answers")
    outcome: str = Field(description="created, updated, unchanged or failed")
    id: str | None = None
    revision: int | None = None
    etag: str | None = None
    links: dict[str, str] | None = None
    detail: str | None = None
    problems: list[ProblemItem] | None = None


class BatchSummary(Body):
    created: int = Field(ge=0)
    updated: int = Field(ge=0)
    unchanged: int = Field(ge=0)
    failed: int = Field(ge=0)


class BatchResponse(Body):
    summary: BatchSummary
    items: list[BatchResult]


DatasetBatchBody = Annotated[dict[str, Any], Shape(BatchRequest)]
DatasetBatchOut = Annotated[dict[str, Any], Shape(BatchResponse)]
