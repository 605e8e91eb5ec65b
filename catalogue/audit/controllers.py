"""``/api/v1/audit``: the audit log and its chain status, for auditors and administrators."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from litestar import Controller, get

from catalogue.accounts.principal import Principal
from catalogue.audit import checkpoints, policy, service
from catalogue.audit.schemas import AuditLogOut, ChainStatusOut, CheckpointOut
from catalogue.errors import Forbidden, InvalidDocument, Problem
from catalogue.web.auth import require_principal
from catalogue.web.openapi import errors
from catalogue.web.params import CurrentPrincipal, FromQuery, QueryParameter


def _overseer(principal: Principal | None) -> Principal:
    actor = require_principal(principal)
    if not policy.may_read_audit_log(actor):
        raise Forbidden("only an auditor or an administrator may read the audit log")
    return actor


def _parse_since(since: str | None) -> dt.datetime | None:
    if not since:
        return None
    try:
        value = dt.datetime.fromisoformat(since.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidDocument(
            [Problem("since", "must be an ISO 8601 date or date-time, e.g. 2026-01-31T12:00Z")]
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class AuditController(Controller):
    path = "/api/v1/audit"
    tags = ["oversight"]

    @get(
        "/",
        summary="The audit log, newest first (auditor or admin)",
        responses=errors(401, 403, 422),
    )
    async def list_events(
        self,
        principal: CurrentPrincipal,
        page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
        size: Annotated[int, QueryParameter(ge=1, le=service.MAX_PAGE_SIZE)] = 50,
        kind: FromQuery[str | None] = None,
        object_id: FromQuery[str | None] = None,
        actor: FromQuery[str | None] = None,
        organisation: FromQuery[str | None] = None,
        since: FromQuery[str | None] = None,
    ) -> AuditLogOut:
        _overseer(principal)
        filters = service.AuditFilter(
            object_kind=kind,
            object_id=object_id,
            actor=actor,
            organisation=organisation,
            since=_parse_since(since),
        )
        items, total = await service.list_events(filters, page, size)
        return {"items": items, "total": total, "page": page, "size": size}

    @get(
        "/verify",
        summary="Recompute the keyed hash chain and name the first broken link",
        responses=errors(401, 403),
    )
    async def verify(self, principal: CurrentPrincipal) -> ChainStatusOut:
        """Also checked against every checkpoint in the server's checkpoint file."""
        _overseer(principal)
        return (await checkpoints.verify_with_server_checkpoints()).as_dict()

    @get(
        "/checkpoint",
        summary="A signed checkpoint of the log's head, to keep elsewhere",
        responses=errors(401, 403),
    )
    async def checkpoint(self, principal: CurrentPrincipal) -> CheckpointOut:
        """An auditor keeps these; ``catalogue audit verify --checkpoint`` checks them."""
        _overseer(principal)
        return (await checkpoints.current_checkpoint()).as_dict()
