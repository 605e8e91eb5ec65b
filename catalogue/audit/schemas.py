"""The shapes of ``/api/v1/audit`` and ``/api/v1/ropa`` bodies, as OpenAPI documents them."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from catalogue.web.openapi import Body, Shape


class AuditActor(Body):
    id: int | None
    name: str
    email: str | None
    role: str


class AuditObject(Body):
    kind: str = Field(description="dataset, organisation, user, token, agreement ...")
    id: str
    label: str


class AuditEvent(Body):
    sequence: int = Field(ge=1)
    at: str
    actor: AuditActor
    organisation: str | None
    action: str
    object: AuditObject
    diff: dict[str, Any] = Field(description='{"field": {"from": ..., "to": ...}}')
    details: dict[str, Any]
    reason: str
    previous_hash: str
    hash: str


class AuditLog(Body):
    items: list[AuditEvent]
    total: int = Field(ge=0)
    page: int = Field(ge=1)
    size: int = Field(ge=1)


class BrokenLink(Body):
    sequence: int
    reason: str


class ChainStatus(Body):
    ok: bool
    events: int = Field(ge=0)
    head_hash: str
    unkeyed_events: int = Field(ge=0, description="Version 1 (unkeyed) events at the start")
    checkpoints: int = Field(ge=0, description="Checkpoints the log was checked against")
    first_broken: BrokenLink | None


class Checkpoint(Body):
    """The log had ``events`` events ending in ``head_hash`` at ``at``, signed by the server."""

    events: int = Field(ge=0)
    head_hash: str
    at: str
    signature: str


class RecordOfProcessing(Body):
    """GDPR Art. 30: per controller, its processing activities (one per personal dataset and
    per approved agreement that uses one)."""

    title: str
    generated: str
    note: str
    controllers: list[dict[str, Any]]


AuditLogOut = Annotated[dict[str, Any], Shape(AuditLog)]
ChainStatusOut = Annotated[dict[str, Any], Shape(ChainStatus)]
CheckpointOut = Annotated[dict[str, Any], Shape(Checkpoint)]
