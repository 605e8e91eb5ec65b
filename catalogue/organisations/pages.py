"""``/admin/organisations``: the administrators' pages for organisations (the twin of
``/api/v1/organisations``): the list, a new organisation, editing one.

The form posts the fields of an organisation document; the service validates it (slug,
publisher type, parent, addresses) and a problem is shown beside its field, with what was
typed kept. The slug names the organisation in addresses and cannot change once created.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.response import Redirect
from pydantic import ValidationError

from catalogue.accounts.principal import Principal
from catalogue.domain.organisation import OrganisationDocument
from catalogue.domain.problems import problems_from_validation_error
from catalogue.errors import Conflict, InvalidDocument, Problem
from catalogue.i18n import N_, translate
from catalogue.organisations import service
from catalogue.ui.admin_pages import (
    admin,
    admin_exception_handlers,
    field_errors,
    json_twin,
    plain_message,
)
from catalogue.ui.auth_pages import flash
from catalogue.ui.forms.choice_lists import vocabulary_choices
from catalogue.ui.negotiation import wants_json
from catalogue.ui.rendering import current_language, render
from catalogue.vocabularies import default_vocabularies
from catalogue.web.params import CurrentPrincipal, FromPath

PATH = "/admin/organisations"
FIELDS = ("slug", "name", "description", "type", "parent", "homepage", "email")
OPTIONAL = ("type", "parent", "homepage", "email")


def document_from_form(form: dict[str, str]) -> OrganisationDocument:
    """The organisation the form describes (an empty optional field is no value)."""
    data: dict[str, Any] = {
        name: (value or None) if name in OPTIONAL else value for name, value in form.items()
    }
    problems = [] if data["name"] else [Problem("name", "is required")]
    try:
        document = OrganisationDocument.model_validate(data)
    except ValidationError as error:
        problems += problems_from_validation_error(error)
    if problems:
        raise InvalidDocument(problems)
    return document


@get(PATH, include_in_schema=False, name="admin:organisations")
async def organisations_page(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    actor = admin(principal)
    items = await service.list_organisations()
    if wants_json(request):
        return json_twin({"items": items, "total": len(items)})
    return render(
        request,
        "admin/organisations.html",
        {"principal": actor, "organisations": items, "json_twin": "/api/v1/organisations"},
    )


async def _form_page(
    request: Request[Any, Any, Any],
    principal: Principal,
    form: dict[str, str],
    creating: bool,
    status: int = 200,
    errors: dict[str, str] | None = None,
) -> Response[Any]:
    organisations = await service.list_organisations()
    if wants_json(request):
        return json_twin(form if creating else await service.get_organisation(form["slug"]))
    return render(
        request,
        "admin/organisation_form.html",
        {
            "principal": principal,
            "form": form,
            "creating": creating,
            "errors": errors or {},
            "types": vocabulary_choices(
                default_vocabularies(), "publisher-types", current_language(request)
            ),
            "parents": [o for o in organisations if o["slug"] != form["slug"] or creating],
            "action": f"{PATH}/new" if creating else f"{PATH}/{form['slug']}/edit",
            "json_twin": f"{PATH}/new?format=json"
            if creating
            else f"/api/v1/organisations/{form['slug']}",
        },
        status=status,
    )


@get(f"{PATH}/new", include_in_schema=False, name="admin:new-organisation")
async def new_organisation(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    return await _form_page(request, admin(principal), dict.fromkeys(FIELDS, ""), creating=True)


async def _save(
    request: Request[Any, Any, Any], principal: Principal, slug: str | None
) -> Response[Any]:
    data = await request.form()
    form = {name: str(data.get(name) or "").strip() for name in FIELDS}
    if slug is not None:
        form["slug"] = slug  # the address names it; the slug cannot change
    try:
        saved = await service.save_organisation(
            document_from_form(form), principal, create=slug is None
        )
    except InvalidDocument as error:
        errors = field_errors(error.problems, "slug")
        return await _form_page(request, principal, form, slug is None, 422, errors)
    except Conflict as error:
        errors = {"slug": plain_message(error.message)}
        return await _form_page(request, principal, form, slug is None, 422, errors)
    message = N_("Organisation %(name)s created.") if slug is None else N_("Changes saved.")
    flash(request, translate(message) % {"name": saved["name"]})
    return Redirect(path=PATH, status_code=303)


@post(f"{PATH}/new", include_in_schema=False)
async def create_organisation(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    return await _save(request, admin(principal), None)


@get(f"{PATH}/{{slug:str}}/edit", include_in_schema=False, name="admin:edit-organisation")
async def edit_organisation(
    request: Request[Any, Any, Any], principal: CurrentPrincipal, slug: FromPath[str]
) -> Response[Any]:
    actor = admin(principal)
    stored = await service.get_organisation(slug)
    form = {name: str(stored.get(name) or "") for name in FIELDS}
    return await _form_page(request, actor, form, creating=False)


@post(f"{PATH}/{{slug:str}}/edit", include_in_schema=False)
async def update_organisation(
    request: Request[Any, Any, Any], principal: CurrentPrincipal, slug: FromPath[str]
) -> Response[Any]:
    actor = admin(principal)
    await service.get_organisation(slug)  # a missing one is a 404 before its form is read
    return await _save(request, actor, slug)


organisation_pages = Router(
    path="/",
    route_handlers=[
        organisations_page,
        new_organisation,
        create_organisation,
        edit_organisation,
        update_organisation,
    ],
    exception_handlers=admin_exception_handlers(),
    include_in_schema=False,
)
