"""The auditors' pages: the audit log with filters and keyset paging, its CSV download and the
verification of its hash chain. Each has a JSON twin (``Accept: application/json``).

The log grows without bound, so pages move by entry (``before``/``after`` a sequence), never
by offset, count nothing, and the download is streamed a batch at a time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from litestar import MediaType, Request, Response, Router, get, post
from litestar.response import Redirect, Stream

from catalogue.accounts.principal import Principal
from catalogue.audit import checkpoints, policy, service
from catalogue.errors import Forbidden, Unauthorised
from catalogue.i18n import N_
from catalogue.ui.negotiation import wants_json
from catalogue.ui.rendering import NavItem, render
from catalogue.web.params import CurrentPrincipal, QueryParameter

NAV_ITEMS = (
    NavItem(
        "/audit",
        N_("Audit log"),
        60,  # listed in catalogue.wiring
        visible=policy.may_read_audit_log,
    ),
)
PAGE_SIZE = 50
KINDS = ("agreement", "dataset", "organisation", "user", "token", "harvest_source", "webhook")
"""Suggestions for the kind filter (any kind may be typed)."""
CSV_COLUMNS = (
    "sequence",
    "at",
    "actor_id",
    "actor",
    "actor_email",
    "role",
    "organisation",
    "action",
    "object_kind",
    "object_id",
    "object_label",
    "reason",
    "diff",
    "hash",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EntryNumber = Annotated[int | None, QueryParameter(ge=0, required=False)]
"""A ``before``/``after`` page boundary: an entry's sequence number."""


@dataclass
class LogQuery:
    """The filter form as typed (kept in the form) and the filter it means."""

    values: dict[str, str]
    filters: service.AuditFilter
    problems: dict[str, str] = field(default_factory=dict)

    def link(self, **extra: Any) -> str:
        kept = {name: value for name, value in self.values.items() if value}
        return urlencode({**kept, **{k: v for k, v in extra.items() if v is not None}})


def _overseer(principal: Principal | None) -> Principal | None:
    """None for an anonymous visitor (the page asks them to sign in); 403 for other roles."""
    if principal is not None and not policy.may_read_audit_log(principal):
        raise Forbidden("only an auditor or an administrator may read the audit log")
    return principal


def _sign_in(request: Request[Any, Any, Any]) -> Response[Any]:
    if wants_json(request):
        raise Unauthorised("sign in or send 'Authorization: Bearer <token>' to read the audit log")
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return Redirect(path=f"/signin?next={quote(target, safe='/')}", status_code=303)


def _day(value: str, field_name: str, problems: dict[str, str]) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems[field_name] = N_("Give a date as year-month-day, for example 2026-01-31.")
        return None


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def log_query(params: Mapping[str, str | None]) -> LogQuery:
    names = ("kind", "object", "actor", "organisation", "from", "to")
    values = {name: (params.get(name) or "").strip()[:320] for name in names}
    problems: dict[str, str] = {}
    start = _day(values["from"], "from", problems)
    end = _day(values["to"], "to", problems)
    if start and end and end < start:
        problems["to"] = N_("The last day comes before the first day.")
    filters = service.AuditFilter(
        object_kind=values["kind"] or None,
        object_id=values["object"] or None,
        actor=values["actor"] or None,
        organisation=values["organisation"] or None,
        since=_midnight(start) if start else None,
        until=_midnight(end + dt.timedelta(days=1)) if end else None,  # the last day included
    )
    return LogQuery(values, filters, problems)


def _params(request: Request[Any, Any, Any]) -> dict[str, str | None]:
    return {name: request.query_params.get(name) for name in request.query_params}


def problem_list(query: LogQuery) -> list[dict[str, str]]:
    return [{"field": name, "message": message} for name, message in query.problems.items()]


def _json(body: Any, status: int = 200) -> Response[Any]:
    return Response(body, status_code=status, media_type=MediaType.JSON, headers={"Vary": "Accept"})


@get("/audit", include_in_schema=False, name="audit:log")
async def audit_page(
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    before: EntryNumber = None,
    after: EntryNumber = None,
) -> Response[Any]:
    if _overseer(principal) is None:
        return _sign_in(request)
    query = log_query(_params(request))
    page = service.EventPage([], None, None)
    if not query.problems:
        page = await service.seek_events(query.filters, before, after, PAGE_SIZE)
    status = 422 if query.problems else 200
    if wants_json(request):
        body = {
            "items": page.items,
            "size": PAGE_SIZE,
            "newer": f"/audit?{query.link(after=page.newer)}" if page.newer else None,
            "older": f"/audit?{query.link(before=page.older)}" if page.older else None,
            "problems": problem_list(query),
        }
        return _json(body, status)
    context = {
        "principal": principal,
        "query": query.values,
        "problems": query.problems,
        "entries": page.items,
        "newer": f"/audit?{query.link(after=page.newer)}" if page.newer else None,
        "older": f"/audit?{query.link(before=page.older)}" if page.older else None,
        "csv_link": f"/audit/export.csv?{query.link()}".rstrip("?"),
        "kinds": KINDS,
        "json_twin": f"/audit?{query.link(format='json', before=before, after=after)}",
    }
    return render(request, "audit/log.html", context, status)


def _safe(value: Any) -> str:
    """Text for a cell; spreadsheets run cells that start like a formula, a quote stops that."""
    if isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_row(entry: dict[str, Any]) -> dict[str, str]:
    actor, thing = entry["actor"], entry["object"]
    row = {
        "sequence": entry["sequence"],
        "at": entry["at"],
        "actor_id": actor["id"],
        "actor": actor["name"],
        "actor_email": actor["email"],
        "role": actor["role"],
        "organisation": entry["organisation"],
        "action": entry["action"],
        "object_kind": thing["kind"],
        "object_id": thing["id"],
        "object_label": thing["label"],
        "reason": entry["reason"],
        "diff": entry["diff"] or {},
        "hash": entry["hash"],
    }
    return {name: _safe(value) for name, value in row.items()}


async def csv_lines(filters: service.AuditFilter) -> AsyncIterator[str]:
    """The header, then one line per matching event, newest first, never all in memory."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    yield buffer.getvalue()
    async for entry in service.iter_events(filters):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(csv_row(entry))
        yield buffer.getvalue()


@get("/audit/export.csv", include_in_schema=False, name="audit:csv")
async def audit_csv(request: Request[Any, Any, Any], principal: CurrentPrincipal) -> Response[Any]:
    if _overseer(principal) is None:
        return _sign_in(request)
    query = log_query(_params(request))
    if query.problems:
        return _json({"problems": problem_list(query)}, 422)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return Stream(
        csv_lines(query.filters),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="audit-log-{stamp}.csv"'},
    )


@post("/audit/verify", include_in_schema=False, status_code=200, name="audit:verify")
async def verify_page(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    """Recompute the whole chain (a deliberate action: it reads every event, in batches)."""
    if _overseer(principal) is None:
        return _sign_in(request)
    status = (await checkpoints.verify_with_server_checkpoints()).as_dict()
    if wants_json(request):
        return _json(status)
    context = {"principal": principal, "status": status, "json_twin": "/api/v1/audit/verify"}
    return render(request, "audit/verify.html", context)


audit_pages = Router(path="/", route_handlers=[audit_page, audit_csv, verify_page])
