"""The stewards' pages: the dataset form as a task list (register, edit a section at a time,
publish) and the dashboard of what each dataset still needs.

The form's handlers live in ``catalogue.ui.dataset_sections`` (the pages of the form) and
``catalogue.ui.dataset_tasks`` (the task list and Publish); this module gathers them in one
router with sign-in/out and the dashboard.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, Router, get

from catalogue.datasets import service
from catalogue.datasets.queries import DatasetFilter, DatasetRecord, list_records
from catalogue.domain import rules
from catalogue.domain.dataset import Status
from catalogue.domain.rules import blocking
from catalogue.errors import Problem
from catalogue.organisations.service import list_organisations
from catalogue.ui.auth_pages import AUTH_HANDLERS
from catalogue.ui.dataset_sections import SECTION_HANDLERS
from catalogue.ui.dataset_tasks import TASK_HANDLERS
from catalogue.ui.rendering import current_language, render
from catalogue.ui.steward_common import SignInRequired, is_steward, to_signin
from catalogue.web.params import CurrentPrincipal

_to_signin = to_signin  # the name other pages' routers use for their sign-in redirect
__all__ = ["SignInRequired", "_to_signin", "steward_router"]


async def _still_needed(record: DatasetRecord) -> list[Problem]:
    """Drafts get every publish check (rules, SHACL...); published datasets passed those when
    published, so the classification rules alone (fast, pure) say if something is missing now."""
    document = record.document
    if document.status == Status.DRAFT:
        return await service.problems_for(document)
    if document.status == Status.WITHDRAWN:
        return []
    return rules.check(document, await service.rule_context(document))


@get("/dashboard", include_in_schema=False)
async def dashboard(request: Request[Any, Any, Any], principal: CurrentPrincipal) -> Response[Any]:
    """The datasets of the steward's organisations, with what each still needs to be published."""
    if principal is None:
        raise SignInRequired
    lang = current_language(request)
    names = {org["slug"]: org["name"] for org in await list_organisations()}
    slugs = sorted(names) if principal.reads_everything else sorted(principal.roles)
    groups = []
    for org in slugs:
        records: list[DatasetRecord] = []
        page = 1
        while True:
            batch, total = await list_records(principal, DatasetFilter(publisher=org), page, 100)
            records += batch
            if len(records) >= total or not batch:
                break
            page += 1
        items = []
        for record in records:
            problems = blocking(await _still_needed(record))
            items.append(
                {
                    "record": record,
                    "title": record.document.text(record.document.title, lang) or record.slug,
                    "problems": problems,
                    "editable": principal.can_edit_datasets_of(org),
                }
            )
        groups.append({"slug": org, "name": names.get(org, org), "items": items})
    return render(
        request,
        "steward/dashboard.html",
        {
            "principal": principal,
            "groups": groups,
            "can_register": is_steward(principal),
        },
    )


steward_router = Router(
    path="/",
    route_handlers=[
        *AUTH_HANDLERS,
        *SECTION_HANDLERS,
        *TASK_HANDLERS,
        dashboard,
    ],
    exception_handlers={SignInRequired: to_signin},
    include_in_schema=False,
)
"""Sign-in/out, the dataset form and the dashboard (one entry in ``ROUTE_HANDLERS``)."""
