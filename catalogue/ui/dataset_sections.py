"""The dataset form, one page at a time: registering (the basics page creates the draft) and
each section of a dataset's task list, saved as a draft with "Save and continue".

Thin handlers: the form mapping (``catalogue.ui.forms``) turns the fields of one page, laid
over the stored document, into a raw document, and the dataset service validates and stores
it. A failed save stores nothing and shows the page again with everything typed and every
problem beside its field; a stale edit is never saved over someone else's change.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.response import Redirect

from catalogue.accounts.principal import Principal
from catalogue.datasets import service
from catalogue.datasets.queries import DatasetRecord
from catalogue.domain.dataset import Status
from catalogue.errors import Conflict, InvalidDocument, NotFound, PreconditionFailed, Problem
from catalogue.i18n import N_, translate
from catalogue.ui.auth_pages import flash
from catalogue.ui.dataset_stale import stale_page
from catalogue.ui.forms import tasks
from catalogue.ui.forms.mapping import (
    FormData,
    document_to_form,
    form_from_multidict,
    form_to_document,
)
from catalogue.ui.forms.table_schema import SchemaUnreadable, add_columns, read_columns
from catalogue.ui.forms.view import SummaryItem, build_form, rows_requested
from catalogue.ui.rendering import current_language, render
from catalogue.ui.steward_common import (
    CLASSES,
    DEFAULT_ACCESS,
    class_choices,
    editable,
    form_choices,
    steward,
)
from catalogue.web.conditional import NO_REVISION, expected_revision
from catalogue.web.params import CurrentPrincipal, FromPath, FromQuery
from catalogue.web.state import settings_of

ATTRIBUTES = "technical.attributes"
MAX_SCHEMA_BYTES = 1_000_000  # a Table Schema is far smaller; a CSV file's first line is enough


def stored_form(record: DatasetRecord) -> FormData:
    return document_to_form(record.document.model_dump(mode="json"))


def _classification(form: FormData, record: DatasetRecord | None) -> str:
    value = (form.get("classification") or [""])[0]
    if value in CLASSES:
        return value
    return record.document.classification.value if record else "open"


async def section_page(
    request: Request[Any, Any, Any],
    principal: Principal,
    page: tasks.Page,
    form: FormData,
    *,
    record: DatasetRecord | None = None,
    problems: list[Problem] | None = None,
    rows: dict[str, int] | None = None,
    failure: str = "",
    status: int = 200,
    imported: dict[str, Any] | None = None,
) -> Response[str]:
    """One page of the form, its problems beside their fields; others link to their page."""
    lang = current_language(request)
    classification = _classification(form, record)
    form["classification"] = [classification]
    here = [p for p in problems or [] if tasks.page_of(p.field) == page.id]
    view = build_form(
        form,
        classification=classification,
        choices=await form_choices(principal, lang),
        languages=settings_of(request).languages,
        problems=here,
        rows=rows,
        new=record is None,
        sections=page.sections,
        note=page.id == "basics",
    )
    for problem in problems or []:
        elsewhere = tasks.page_of(problem.field)
        if problem.severity == "error" and elsewhere != page.id and record is not None:
            other = tasks.page(elsewhere)
            view.summary.append(
                SummaryItem(
                    f"/dataset/{record.slug}/edit/{elsewhere}",
                    translate(other.title) if other else elsewhere,
                    problem.message[:1].upper() + problem.message[1:],
                )
            )
    all_pages = tasks.pages_for(classification, stored_form(record) if record else form)
    following = tasks.next_page(page.id, all_pages)
    position = [one.id for one in all_pages].index(page.id) + 1 if page in all_pages else 0
    return render(
        request,
        "steward/section.html",
        {
            "principal": principal,
            "page": page,
            "page_title": translate(page.title),
            "page_intro": translate(page.intro),
            "position": position,
            "page_count": len(all_pages),
            "has_next": following is not None,
            "view": view,
            "record": record,
            "current_status": record.document.status.value if record else Status.DRAFT.value,
            "classification": classification,
            "classes": class_choices(),
            "action_url": f"/dataset/{record.slug}/edit/{page.id}" if record else "/dataset/new",
            "revision": (form.get("_revision") or [str(record.revision) if record else ""])[0],
            "failure": failure,
            "imported": imported or {},
            "title_text": record.document.text(record.document.title, lang) if record else "",
        },
        status=status,
    )


def _split_action(form: FormData) -> tuple[str, str]:
    action = (form.pop("_action", None) or ["continue"])[0]
    verb, _, argument = action.partition(":")
    return verb, argument


def _remove_row(form: FormData, name: str) -> FormData:
    """Drop one row (``technical.distributions[2]``) and close the gap in the numbering."""
    base, _, index_text = name.rstrip("]").rpartition("[")
    if not index_text.isdigit():
        return form
    removed = int(index_text)
    result: FormData = {}
    for key, values in form.items():
        if key.startswith(f"{base}["):
            index_part, _, rest = key[len(base) + 1 :].partition("]")
            if index_part.isdigit():
                index = int(index_part)
                if index == removed:
                    continue
                if index > removed:
                    key = f"{base}[{index - 1}]{rest}"
        result[key] = values
    return result


async def _schema_text(request: Request[Any, Any, Any], typed: FormData) -> str:
    """What the steward gave to fill the attributes from: a chosen file, else the pasted text."""
    for name, value in (await request.form()).multi_items():
        if name == "_schema_file" and hasattr(value, "read"):
            data = await value.read(MAX_SCHEMA_BYTES)
            if data:
                return str(data.decode("utf-8", "replace"))
    return (typed.get("_schema_text") or [""])[0]


async def _import(
    request: Request[Any, Any, Any], typed: FormData, rows: dict[str, int]
) -> tuple[FormData, dict[str, Any]]:
    """The attributes a CSV header row or a Table Schema names, added to the page's rows."""
    text = await _schema_text(request, typed)
    try:
        columns = read_columns(text)
    except SchemaUnreadable as error:
        return typed, {"error": translate(str(error)), "text": text[:2000]}
    language = settings_of(request).languages[0]
    typed, added = add_columns(typed, columns, language)
    rows.pop(ATTRIBUTES, None)  # the rows now in the form decide how many there are
    message = translate(N_("Attributes added: %(added)s. Check them, then save the page."))
    return typed, {"message": message % {"added": added}}


async def _rework(
    request: Request[Any, Any, Any],
    principal: Principal,
    page: tasks.Page,
    record: DatasetRecord | None,
) -> tuple[FormData, dict[str, int], str, Response[str] | None]:
    """What was typed, and the page again if the steward asked to add or remove a row (or to
    fill the attributes from a file)."""
    submitted = form_from_multidict((await request.form()).multi_items())
    verb, argument = _split_action(submitted)
    rows = rows_requested(submitted)
    typed = {k: v for k, v in submitted.items() if not k.startswith(("_rows.", "_csrf"))}
    imported: dict[str, Any] = {}
    if verb == "import" and page.id == "attributes":
        typed, imported = await _import(request, typed, rows)
    typed.pop("_schema_text", None)
    if verb not in {"add", "remove", "reclassify", "review", "import"}:
        return typed, rows, verb, None
    if verb == "add":
        rows[argument] = rows.get(argument, 0) + 1
    elif verb == "remove":
        typed = _remove_row(typed, argument)
        base = argument.rpartition("[")[0]
        rows[base] = max(rows.get(base, 1) - 1, 0)
    again = await section_page(
        request,
        principal,
        page,
        typed,
        record=record,
        rows=rows,
        imported=imported,
        status=422 if imported.get("error") else 200,
    )
    return typed, rows, verb, again


def _after_saving(slug: str, verb: str, page: tasks.Page, record: DatasetRecord) -> str:
    if verb == "continue":
        form = stored_form(record)
        following = tasks.next_page(page.id, tasks.pages_for(_classification(form, record), form))
        if following is not None:
            return f"/dataset/{slug}/edit/{following.id}"
    return f"/dataset/{slug}/edit"


def _saved_message(saved: DatasetRecord) -> str:
    if saved.document.status == Status.PUBLISHED:
        return translate(N_("Changes saved: the published dataset is updated in the catalogue."))
    if saved.document.status == Status.DRAFT:
        return translate(N_("Draft saved. It is not published yet."))
    return translate(N_("Changes saved."))


@get("/dataset/new", include_in_schema=False)
async def new_dataset(
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    classification: FromQuery[str | None] = None,
) -> Response[Any]:
    """First the classification (it decides what the form asks), then the basics page."""
    user = steward(principal)
    if classification not in CLASSES:
        return render(
            request,
            "steward/choose.html",
            {
                "principal": user,
                "classes": class_choices(),
                "error": translate(N_("Choose one of the three.")) if classification else "",
            },
            status=400 if classification else 200,
        )
    form: FormData = {
        "classification": [classification],
        "legal.access_rights": [DEFAULT_ACCESS[classification]],
    }
    mine = [org for org in user.roles if user.has_role(org, "steward")]
    if len(mine) == 1 and not user.is_admin:
        form["organisational.publisher"] = mine
    return await section_page(request, user, tasks.PAGES[0], form)


@post("/dataset/new", include_in_schema=False, status_code=200)
async def create_dataset(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    """The basics page's "Save and continue": the draft is created, the next page follows."""
    user = steward(principal)
    basics = tasks.PAGES[0]
    typed, rows, verb, again = await _rework(request, user, basics, None)
    if again is not None:
        return again
    classification = _classification(typed, None)
    typed.setdefault("legal.access_rights", [DEFAULT_ACCESS[classification]])  # asked later
    raw = form_to_document(typed)
    raw["status"] = Status.DRAFT.value
    form = document_to_form(raw)
    try:
        saved = await service.create_dataset(raw, user)
    except InvalidDocument as error:
        failure = translate(N_("The dataset could not be saved."))
        return await section_page(
            request,
            user,
            basics,
            form,
            problems=error.problems,
            rows=rows,
            failure=failure,
            status=422,
        )
    except Conflict as error:  # the short name is taken
        return await section_page(
            request,
            user,
            basics,
            form,
            rows=rows,
            problems=[Problem("slug", error.message, "slug_taken")],
            failure=translate(N_("The dataset could not be saved.")),
            status=409,
        )
    flash(request, _saved_message(saved))
    return Redirect(path=_after_saving(saved.slug, verb, basics, saved), status_code=303)


def _page_or_404(section: str) -> tasks.Page:
    page = tasks.page(section)
    if page is None:
        raise NotFound(f"the dataset form has no section '{section}'")
    return page


@get("/dataset/{slug:str}/edit/{section:str}", include_in_schema=False)
async def edit_section(
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    slug: FromPath[str],
    section: FromPath[str],
) -> Response[Any]:
    """One section of the dataset's form, with what it still needs to be published."""
    user, record = await editable(slug, principal)
    page = _page_or_404(section)
    problems = await service.problems_for(record.document)
    here = [problem for problem in problems if tasks.page_of(problem.field) == page.id]
    return await section_page(
        request, user, page, stored_form(record), record=record, problems=here
    )


@post("/dataset/{slug:str}/edit/{section:str}", include_in_schema=False, status_code=200)
async def save_section(
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    slug: FromPath[str],
    section: FromPath[str],
) -> Response[Any]:
    """Save this page over the stored draft (or published dataset) and go on."""
    user, record = await editable(slug, principal)
    page = _page_or_404(section)
    typed, rows, verb, again = await _rework(request, user, page, record)
    if again is not None:
        return again
    revision = (typed.pop("_revision", None) or [""])[0]
    merged = tasks.merge(stored_form(record), typed, page)
    raw = form_to_document(merged)
    raw["status"] = record.document.status.value
    form = {**document_to_form(raw), "_revision": [revision]}
    try:
        expected = expected_revision(revision) or NO_REVISION  # the form always names one
        saved = await service.replace_dataset(record.slug, raw, expected, user)
    except InvalidDocument as error:
        failure = (
            translate(N_("The changes cannot be saved while the dataset stays published."))
            if record.document.status == Status.PUBLISHED
            else translate(N_("The dataset could not be saved."))
        )
        return await section_page(
            request,
            user,
            page,
            form,
            record=record,
            problems=error.problems,
            rows=rows,
            failure=failure,
            status=422,
        )
    except PreconditionFailed:
        return await stale_page(request, user, record.slug, merged, page.id)
    flash(request, _saved_message(saved))
    return Redirect(path=_after_saving(saved.slug, verb, page, saved), status_code=303)


SECTION_HANDLERS = (new_dataset, create_dataset, edit_section, save_section)
