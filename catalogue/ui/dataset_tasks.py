"""A dataset's task list: its sections with their status and problems, and Publish.

The status of each section is derived from the stored document and the publish checks
(``catalogue.ui.forms.tasks``); Publish runs them all and, when it is refused, links each
problem to its section and field. The JSON twin (``Accept: application/json``) carries the
same sections, statuses and problems.
"""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response, get, post
from litestar.response import Redirect

from catalogue.accounts.principal import Principal
from catalogue.datasets import service
from catalogue.datasets.queries import DatasetRecord
from catalogue.domain.dataset import Status
from catalogue.errors import InvalidDocument, PreconditionFailed, Problem
from catalogue.i18n import N_, translate
from catalogue.ui.auth_pages import flash
from catalogue.ui.dataset_sections import stored_form
from catalogue.ui.filters import STATUS_LABELS
from catalogue.ui.forms import tasks
from catalogue.ui.forms.view import SummaryItem, build_form
from catalogue.ui.negotiation import wants_json
from catalogue.ui.rendering import current_language, render
from catalogue.ui.steward_common import editable, form_choices
from catalogue.web.conditional import NO_REVISION, expected_revision
from catalogue.web.params import CurrentPrincipal, FromPath
from catalogue.web.state import settings_of

REFUSED = N_("This dataset cannot be published yet, and nothing has been saved.")
CHANGED_MEANWHILE = N_(
    "Someone changed this dataset since you opened it. Check the sections, then try again."
)


async def _task_views(
    request: Request[Any, Any, Any],
    principal: Principal,
    record: DatasetRecord,
    problems: list[Problem],
    refused: bool,
) -> list[dict[str, Any]]:
    """Each section with its status and its problems, each linked to its field."""
    form = stored_form(record)
    classification = record.document.classification.value
    choices = await form_choices(principal, current_language(request))
    languages = settings_of(request).languages
    views = []
    for task in tasks.tasks(form, classification, problems, refused=refused):
        href = f"/dataset/{record.slug}/edit/{task.page.id}"
        items: list[SummaryItem] = []
        if task.problems:
            view = build_form(
                form,
                classification=classification,
                choices=choices,
                languages=languages,
                problems=task.problems,
                sections=task.page.sections,
                note=task.page.id == "basics",
            )
            items = [
                SummaryItem(href + item.href if item.href else href, item.label, item.message)
                for item in view.summary
            ]
        views.append(
            {
                "id": task.page.id,
                "title": translate(task.page.title),
                "intro": translate(task.page.intro),
                "href": href,
                "status": task.status,
                "status_label": translate(tasks.STATUS_LABELS[task.status]),
                "problems": items,
            }
        )
    return views


async def _task_list(
    request: Request[Any, Any, Any],
    principal: Principal,
    record: DatasetRecord,
    *,
    problems: list[Problem] | None = None,
    refused: bool = False,
    failure: str = "",
    status: int = 200,
) -> Response[Any]:
    if problems is None:
        problems = await service.problems_for(record.document)
    views = await _task_views(request, principal, record, problems, refused)
    lang = current_language(request)
    state = record.document.status.value
    completed = sum(1 for view in views if view["status"] == tasks.COMPLETED)
    if wants_json(request):
        body = {
            "slug": record.slug,
            "status": state,
            "revision": record.revision,
            "sections": [
                {
                    "id": view["id"],
                    "title": view["title"],
                    "href": view["href"],
                    "status": view["status"],
                    "problems": [
                        {"href": item.href, "field": item.label, "message": item.message}
                        for item in view["problems"]
                    ],
                }
                for view in views
            ],
        }
        return Response(
            body, status_code=status, media_type=MediaType.JSON, headers={"Vary": "Accept"}
        )
    return render(
        request,
        "steward/tasks.html",
        {
            "principal": principal,
            "record": record,
            "tasks": views,
            "completed": completed,
            "current_status": state,
            "status_label": translate(STATUS_LABELS.get(state, state)),
            "failure": failure,
            "refused": refused,
            "problem_count": sum(len(view["problems"]) for view in views),
            "title_text": record.document.text(record.document.title, lang) or record.slug,
            "json_twin": f"/dataset/{record.slug}/edit?format=json",
        },
        status=status,
    )


@get("/dataset/{slug:str}/edit", include_in_schema=False)
async def task_list(
    request: Request[Any, Any, Any], principal: CurrentPrincipal, slug: FromPath[str]
) -> Response[Any]:
    """The dataset's sections with their status; Publish when nothing is missing."""
    user, record = await editable(slug, principal)
    return await _task_list(request, user, record)


@post("/dataset/{slug:str}/edit", include_in_schema=False, status_code=200)
async def publish_from_task_list(
    request: Request[Any, Any, Any], principal: CurrentPrincipal, slug: FromPath[str]
) -> Response[Any]:
    """Publish (every check runs; nothing changes when one fails) or unpublish."""
    user, record = await editable(slug, principal)
    submitted = await request.form()
    action = str(submitted.get("_action") or "publish")
    wanted = Status.DRAFT if action == "draft" else Status.PUBLISHED
    expected = expected_revision(str(submitted.get("_revision") or "")) or NO_REVISION
    try:
        saved = await service.patch_dataset(slug, {"status": wanted.value}, expected, user)
    except InvalidDocument as error:
        return await _task_list(
            request,
            user,
            record,
            problems=error.problems,
            refused=True,
            status=422,
            failure=translate(REFUSED),
        )
    except PreconditionFailed:
        user, record = await editable(slug, principal)
        return await _task_list(
            request,
            user,
            record,
            status=409,
            failure=translate(CHANGED_MEANWHILE),
        )
    if saved.document.status == Status.PUBLISHED:
        if record.document.status == Status.PUBLISHED:
            flash(request, translate(N_("No changes: the dataset was already published.")))
        else:
            flash(request, translate(N_("Published: the dataset is now in the catalogue.")))
        return Redirect(path=f"/dataset/{saved.slug}", status_code=303)
    flash(request, translate(N_("Unpublished: the dataset is a draft again.")))
    return Redirect(path=f"/dataset/{saved.slug}/edit", status_code=303)


TASK_HANDLERS = (task_list, publish_from_task_list)
