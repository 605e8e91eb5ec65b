"""The stewards' harvest pages: sources, a source with its jobs, a job's report (with its
progress while it runs). Each has a JSON twin (``Accept: application/json``)."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response, Router, get, post
from litestar.response import Redirect

from catalogue.accounts.principal import Principal
from catalogue.errors import Conflict, InvalidDocument, Unauthorised
from catalogue.harvest import service
from catalogue.harvest.jobs import start_in_background
from catalogue.i18n import N_, translate
from catalogue.organisations.tables import Organisation
from catalogue.ui.admin_pages import field_errors, plain_message
from catalogue.ui.auth_pages import flash
from catalogue.ui.negotiation import wants_json
from catalogue.ui.rendering import NavItem, render
from catalogue.ui.steward_common import SignInRequired, to_signin
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


def _signed_in(principal: Any, request: Request[Any, Any, Any]) -> Any:
    """The principal; an anonymous browser is sent to sign in (and back), a client gets 401."""
    if principal is None:
        if request.method == "GET" and not wants_json(request):
            raise SignInRequired
        raise Unauthorised("sign in to see harvesting")
    return principal


FORM_FIELDS = ("name", "kind", "url", "organisation", "schedule")
KINDS = (("dcat", N_("DCAT-AP feed")), ("ckan", N_("CKAN site")))
SCHEDULES = (
    ("P1D", N_("Every day")),
    ("PT6H", N_("Every six hours")),
    ("P7D", N_("Every week")),
    ("manual", N_("Only when run by hand")),
)


async def _organisations_for(principal: Principal) -> list[tuple[str, str]]:
    """The organisations the principal may register a source for (slug, name)."""
    query = Organisation.select(Organisation.slug, Organisation.name).order_by(Organisation.name)
    if not principal.is_admin:
        mine = sorted(o for o in principal.organisations if principal.can_edit_datasets_of(o))
        if not mine:
            return []
        query = query.where(Organisation.slug.is_in(mine))
    return [(row["slug"], row["name"]) for row in await query]


async def _sources_page(
    request: Request[Any, Any, Any], principal: Principal, status: int = 200, **extra: Any
) -> Response[Any]:
    items = await service.list_sources(principal)
    if wants_json(request):
        return _json({"items": items, "total": len(items)})
    organisations = await _organisations_for(principal)
    context = {
        "principal": principal,
        "sources": items,
        "organisations": organisations,
        "kinds": [(value, translate(label)) for value, label in KINDS],
        "schedules": [(value, translate(label)) for value, label in SCHEDULES],
        "form": {
            **dict.fromkeys(FORM_FIELDS, ""),
            "kind": "dcat",
            "schedule": "P1D",
            "organisation": organisations[0][0] if len(organisations) == 1 else "",
        },
        "errors": {},
        "json_twin": "/api/v1/harvest/sources",
        **extra,
    }
    return render(request, "harvest/sources.html", context, status=status)


@get("/harvest/sources", include_in_schema=False, name="harvest:sources")
async def sources_page(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    """The sources, and for stewards a form to register one."""
    return await _sources_page(request, _signed_in(principal, request))


@post("/harvest/sources", include_in_schema=False, status_code=303, name="harvest:register")
async def register_from_form(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    """Register a source (the form's twin of ``POST /api/v1/harvest/sources``)."""
    actor = _signed_in(principal, request)
    data = await request.form()
    form = {name: str(data.get(name) or "").strip() for name in FORM_FIELDS}
    raw = {**form, "url": form["url"] or None, "organisation": form["organisation"] or None}
    try:
        created = await service.create_source(raw, actor)
    except InvalidDocument as error:
        errors = field_errors(error.problems, "name")
        return await _sources_page(request, actor, 422, form=form, errors=errors)
    except Conflict as error:
        errors = {"name": plain_message(error.message)}
        return await _sources_page(request, actor, 422, form=form, errors=errors)
    flash(request, translate(N_("Harvest source %(name)s registered.")) % {"name": form["name"]})
    return Redirect(path=f"/harvest/sources/{created['name']}", status_code=303)


@get("/harvest/sources/{name:str}", include_in_schema=False, name="harvest:source")
async def source_page(
    request: Request[Any, Any, Any], principal: CurrentPrincipal, name: FromPath[str]
) -> Response[Any]:
    row = await service.read_source(name, _signed_in(principal, request))
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
    row = await service.read_source(name, _signed_in(principal, request))
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
    job = await service.read_job(name, job_id, _signed_in(principal, request))
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
    path="/",
    route_handlers=[sources_page, register_from_form, source_page, run_from_form, job_page],
    exception_handlers={SignInRequired: to_signin},
)
