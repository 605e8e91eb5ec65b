"""The stewards' harvest pages: sources, a source with its jobs, a job's report (with its
progress while it runs). Each has a JSON twin (``Accept: application/json``)."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response, Router, get, post
from litestar.response import Redirect

from catalogue.errors import Unauthorised
from catalogue.harvest import service
from catalogue.harvest.jobs import start_in_background
from catalogue.i18n import N_
from catalogue.ui.negotiation import wants_json
from catalogue.ui.rendering import NavItem, render
from catalogue.web.params import CurrentPrincipal, FromPath

NAV_ITEMS = (
    NavItem(
        "/harvest/sources",
        N_("Harvesting"),
        35,  # listed in catalogue.wiring
        visible=lambda principal: principal is not None,
    ),
)
REFRESH_SECONDS = 3


def _json(body: Any) -> Response[Any]:
    return Response(body, media_type=MediaType.JSON, headers={"Vary": "Accept"})


def _signed_in(principal: Any) -> Any:
    if principal is None:
        raise Unauthorised("sign in to see harvesting")
    return principal


@get("/harvest/sources", include_in_schema=False, name="harvest:sources")
async def sources_page(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    items = await service.list_sources(_signed_in(principal))
    if wants_json(request):
        return _json({"items": items, "total": len(items)})
    return render(
        request,
        "harvest/sources.html",
        {"principal": principal, "sources": items, "json_twin": "/api/v1/harvest/sources"},
    )


@get("/harvest/sources/{name:str}", include_in_schema=False, name="harvest:source")
async def source_page(
    request: Request[Any, Any, Any], principal: CurrentPrincipal, name: FromPath[str]
) -> Response[Any]:
    row = await service.read_source(name, _signed_in(principal))
    source = service.represent(row)
    jobs = await service.list_jobs(name, principal)
    if wants_json(request):
        return _json({**source, "jobs": jobs})
    return render(
        request,
        "harvest/source.html",
        {
            "principal": principal,
            "source": source,
            "jobs": jobs,
            "may_run": principal is not None
            and principal.can_edit_datasets_of(row["organisation.slug"]),
            "json_twin": f"/api/v1/harvest/sources/{name}",
        },
    )


@post(
    "/harvest/sources/{name:str}/run", include_in_schema=False, status_code=303, name="harvest:run"
)
async def run_from_form(
    request: Request[Any, Any, Any], principal: CurrentPrincipal, name: FromPath[str]
) -> Response[Any]:
    row = await service.read_source(name, _signed_in(principal))
    service.authorise(principal, row["organisation.slug"])
    form = await request.form()
    job_id = await start_in_background(name, dry_run=form.get("dry_run") == "1")
    return Redirect(path=f"/harvest/sources/{name}/jobs/{job_id}", status_code=303)


@get("/harvest/sources/{name:str}/jobs/{job_id:int}", include_in_schema=False, name="harvest:job")
async def job_page(
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    name: FromPath[str],
    job_id: FromPath[int],
) -> Response[Any]:
    job = await service.read_job(name, job_id, _signed_in(principal))
    if wants_json(request):
        return _json(job)
    running = job["status"] == "running"
    headers = {"Refresh": str(REFRESH_SECONDS)} if running else {}
    return render(
        request,
        "harvest/job.html",
        {
            "principal": principal,
            "job": job,
            "source": name,
            "running": running,
            "json_twin": f"/api/v1/harvest/sources/{name}/jobs/{job_id}",
        },
        headers=headers,
    )


harvest_pages = Router(
    path="/", route_handlers=[sources_page, source_page, run_from_form, job_page]
)
