"""The stewards' pages: register and edit datasets in a guided form, publish, see what is missing.

Thin handlers: the form mapping (``catalogue.ui.forms``) turns the submitted fields into a raw
document, and the dataset service validates, checks the rules and stores it. A failed submit
stores nothing and shows the page again with everything typed and every problem beside its
field; a stale edit is never saved over someone else's change.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import quote

from litestar import Request, Response, Router, get, post
from litestar.response import Redirect

from catalogue.accounts.principal import Principal
from catalogue.datasets import service
from catalogue.datasets.queries import (
    DatasetFilter,
    DatasetRecord,
    get_record,
    identifier_schemes,
    list_records,
)
from catalogue.domain import disclosure, rules
from catalogue.domain.codes import DATA_TYPES
from catalogue.domain.dataset import Classification, Status
from catalogue.domain.rules import blocking
from catalogue.errors import Conflict, Forbidden, InvalidDocument, PreconditionFailed, Problem
from catalogue.i18n import N_, translate
from catalogue.organisations.service import list_organisations
from catalogue.ui.auth_pages import AUTH_HANDLERS, flash
from catalogue.ui.filters import STATUS_LABELS
from catalogue.ui.forms.diff import changed_fields
from catalogue.ui.forms.mapping import (
    FormData,
    document_to_form,
    form_from_multidict,
    form_to_document,
)
from catalogue.ui.forms.view import Choices, build_form, rows_requested, vocabulary_choices
from catalogue.ui.rendering import current_language, render
from catalogue.vocabularies import default_vocabularies
from catalogue.web.conditional import NO_REVISION, expected_revision
from catalogue.web.params import CurrentPrincipal, FromPath, FromQuery
from catalogue.web.state import settings_of

CLASSES = tuple(item.value for item in Classification)
DEFAULT_ACCESS = {"open": "PUBLIC", "closed": "NON_PUBLIC", "personal": "RESTRICTED"}
DATA_TYPE_LABELS = {
    "string": N_("Short text"),
    "text": N_("Long text"),
    "integer": N_("Whole number"),
    "decimal": N_("Decimal number"),
    "boolean": N_("Yes or no"),
    "date": N_("Date"),
    "datetime": N_("Date and time"),
    "time": N_("Time of day"),
    "code": N_("Code from a list"),
    "identifier": N_("Identifier"),
    "geometry": N_("Shape or location"),
    "json": N_("Structured (JSON)"),
    "binary": N_("File or image"),
}
CLASS_HELP = {
    "open": N_("Anyone may use it: published with an open licence and a way to download it."),
    "closed": N_(
        "Not public, for reasons such as security or confidentiality; people can ask for access."
    ),
    "personal": N_("About identifiable people; the GDPR applies and access is restricted."),
}
CLASSIFICATION_NAMES = {
    "open": N_("Open data"),
    "closed": N_("Closed data"),
    "personal": N_("Personal data"),
}


def class_choices() -> list[tuple[str, str, str]]:
    """The three classifications with their names and what each means, translated."""
    return [
        (value, translate(CLASSIFICATION_NAMES[value]), translate(CLASS_HELP[value]))
        for value in CLASSES
    ]


class SignInRequired(Exception):
    """Raised inside a handler to send an anonymous browser to the sign-in page."""


def _is_steward(principal: Principal) -> bool:
    return principal.is_admin or any(principal.has_role(org, "steward") for org in principal.roles)


def _steward(principal: Principal | None) -> Principal:
    if principal is None:
        raise SignInRequired
    if not _is_steward(principal):
        raise Forbidden("only data stewards and administrators register datasets")
    return principal


def _to_signin(request: Request[Any, Any, Any], _: Exception) -> Response[Any]:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return Redirect(path=f"/signin?next={quote(target, safe='/')}", status_code=303)


@cache
def _vocabulary_choices(lang: str) -> dict[str, list[tuple[str, str, str]]]:
    vocabularies = default_vocabularies()
    return {key: vocabulary_choices(vocabularies, key, lang) for key in vocabularies}


async def _choices(principal: Principal, lang: str) -> Choices:
    organisations = await list_organisations()
    schemes = await identifier_schemes()
    return {
        **_vocabulary_choices(lang),
        "organisations": [
            (org["slug"], org["name"], "")
            for org in organisations
            if principal.can_edit_datasets_of(org["slug"])
        ],
        "all-organisations": [(org["slug"], org["name"], "") for org in organisations],
        "identifier-schemes": [(row["code"], row["label"], row["description"]) for row in schemes],
        "data-types": [
            (code, translate(DATA_TYPE_LABELS.get(code, code)), "") for code in DATA_TYPES
        ],
    }


async def _form_page(
    request: Request[Any, Any, Any],
    principal: Principal,
    form: FormData,
    *,
    record: DatasetRecord | None = None,
    problems: list[Problem] | None = None,
    guidance: list[Problem] | None = None,
    rows: dict[str, int] | None = None,
    failure: str = "",
    status: int = 200,
) -> Response[str]:
    lang = current_language(request)
    classification = (form.get("classification") or [""])[0]
    if classification not in CLASSES:
        classification = record.document.classification.value if record else "open"
        form["classification"] = [classification]
    choices = await _choices(principal, lang)
    languages = settings_of(request).languages
    view = build_form(
        form,
        classification=classification,
        choices=choices,
        languages=languages,
        problems=problems or [],
        rows=rows,
        new=record is None,
    )
    current_status = record.document.status.value if record else Status.DRAFT.value
    guide = (
        build_form(
            form,
            classification=classification,
            choices=choices,
            languages=languages,
            problems=guidance or [],
            new=record is None,
        ).summary
        if guidance
        else []
    )
    return render(
        request,
        "steward/form.html",
        {
            "principal": principal,
            "view": view,
            "record": record,
            "classification": classification,
            "classes": class_choices(),
            "current_status": current_status,
            "action_url": f"/dataset/{record.slug}/edit" if record else "/dataset/new",
            "revision": (form.get("_revision") or [str(record.revision) if record else ""])[0],
            "failure": failure,
            "guidance": guide,
            "title_text": record.document.text(record.document.title, lang) if record else "",
        },
        status=status,
    )


def _split_action(form: FormData) -> tuple[str, str]:
    action = (form.pop("_action", None) or ["save"])[0]
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


async def _submit(
    request: Request[Any, Any, Any], principal: Principal, record: DatasetRecord | None
) -> Response[Any]:
    """Save, publish, or rework the form (add/remove a row, change the classification)."""
    submitted = form_from_multidict((await request.form()).multi_items())
    verb, argument = _split_action(submitted)
    rows = rows_requested(submitted)
    typed = {k: v for k, v in submitted.items() if not k.startswith(("_rows.", "_csrf"))}
    if verb in {"add", "remove", "reclassify", "review"}:
        if verb == "add":
            rows[argument] = rows.get(argument, 0) + 1
        elif verb == "remove":
            typed = _remove_row(typed, argument)
            base = argument.rpartition("[")[0]
            rows[base] = max(rows.get(base, 1) - 1, 0)
        return await _form_page(request, principal, typed, record=record, rows=rows)
    raw = form_to_document(typed)
    # Shown again from the document, so row numbers match the paths the problems name.
    form = {**document_to_form(raw), "_revision": typed.get("_revision", [""])}
    current = record.document.status.value if record else Status.DRAFT.value
    raw["status"] = {"publish": "published", "draft": "draft"}.get(verb, current)
    try:
        if record is None:
            saved = await service.create_dataset(raw, principal)
        else:
            revision = (submitted.get("_revision") or [""])[0]
            expected = expected_revision(revision) or NO_REVISION  # the form always names one
            saved = await service.replace_dataset(record.slug, raw, expected, principal)
    except InvalidDocument as error:
        return await _form_page(
            request,
            principal,
            form,
            record=record,
            problems=error.problems,
            rows=rows,
            failure=_failure(raw["status"], current),
            status=422,
        )
    except Conflict as error:  # the short name is taken
        return await _form_page(
            request,
            principal,
            form,
            record=record,
            rows=rows,
            problems=[Problem("slug", error.message, "slug_taken")],
            failure=translate(N_("The dataset could not be saved.")),
            status=409,
        )
    except PreconditionFailed:
        assert record is not None
        return await _stale_page(request, principal, record.slug, form)
    if saved.document.status == Status.PUBLISHED and current == Status.PUBLISHED.value:
        flash(
            request,
            translate(N_("Changes saved: the published dataset is updated in the catalogue.")),
        )
        return Redirect(path=f"/dataset/{saved.slug}", status_code=303)
    if saved.document.status == Status.PUBLISHED:
        flash(request, translate(N_("Published: the dataset is now in the catalogue.")))
        return Redirect(path=f"/dataset/{saved.slug}", status_code=303)
    flash(
        request,
        translate(N_("Saved (%(status)s)."))
        % {"status": translate(STATUS_LABELS.get(saved.document.status.value, "")).lower()},
    )
    return Redirect(path=f"/dataset/{saved.slug}/edit", status_code=303)


def _failure(wanted: str, current: str) -> str:
    if disclosure.is_public(wanted) and current == wanted:
        return translate(N_("The changes cannot be saved while the dataset stays published."))
    if disclosure.is_public(wanted):
        return translate(N_("This dataset cannot be published yet, and nothing has been saved."))
    return translate(N_("The dataset could not be saved."))


async def _stale_page(
    request: Request[Any, Any, Any], principal: Principal, slug: str, yours: FormData
) -> Response[str]:
    current = await get_record(slug, principal)
    theirs = document_to_form(current.document.model_dump(mode="json"))
    classification = (yours.get("classification") or ["open"])[0]
    changes = changed_fields(
        yours,
        theirs,
        classification=classification,
        choices=await _choices(principal, current_language(request)),
        languages=settings_of(request).languages,
    )
    if yours.get("classification") != theirs.get("classification"):
        changes.insert(0, _classification_change(yours, theirs))
    yours_for_review = {k: v for k, v in yours.items() if k != "_revision"}
    return render(
        request,
        "steward/stale.html",
        {
            "principal": principal,
            "record": current,
            "changes": changes,
            "yours": yours_for_review,
            "title_text": current.document.text(current.document.title, current_language(request)),
        },
        status=409,
    )


def _classification_change(yours: FormData, theirs: FormData) -> Any:
    from catalogue.ui.forms.diff import ChangedField

    return ChangedField(
        "classification",
        "Classification",
        (yours.get("classification") or [""])[0].capitalize(),
        (theirs.get("classification") or [""])[0].capitalize(),
    )


@get("/dataset/new", include_in_schema=False)
async def new_dataset(
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    classification: FromQuery[str | None] = None,
) -> Response[Any]:
    """First the classification (it decides what the form asks), then the form itself."""
    steward = _steward(principal)
    if classification not in CLASSES:
        return render(
            request,
            "steward/choose.html",
            {
                "principal": steward,
                "classes": class_choices(),
                "error": translate(N_("Choose one of the three.")) if classification else "",
            },
            status=400 if classification else 200,
        )
    form: FormData = {
        "classification": [classification],
        "legal.access_rights": [DEFAULT_ACCESS[classification]],
    }
    editable = [org for org in steward.roles if steward.has_role(org, "steward")]
    if len(editable) == 1 and not steward.is_admin:
        form["organisational.publisher"] = editable
    return await _form_page(request, steward, form)


@post("/dataset/new", include_in_schema=False, status_code=200)
async def create_dataset(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    return await _submit(request, _steward(principal), None)


async def _editable(slug: str, principal: Principal | None) -> tuple[Principal, DatasetRecord]:
    steward = _steward(principal)
    record = await get_record(slug, steward)
    if not steward.can_edit_datasets_of(record.publisher):
        raise Forbidden(f"only stewards of '{record.publisher}' may edit this dataset")
    return steward, record


@get("/dataset/{slug:str}/edit", include_in_schema=False)
async def edit_dataset(
    request: Request[Any, Any, Any], principal: CurrentPrincipal, slug: FromPath[str]
) -> Response[Any]:
    steward, record = await _editable(slug, principal)
    form = document_to_form(record.document.model_dump(mode="json"))
    guidance = blocking(await service.problems_for(record.document))
    return await _form_page(request, steward, form, record=record, guidance=guidance)


@post("/dataset/{slug:str}/edit", include_in_schema=False, status_code=200)
async def update_dataset(
    request: Request[Any, Any, Any], principal: CurrentPrincipal, slug: FromPath[str]
) -> Response[Any]:
    steward, record = await _editable(slug, principal)
    return await _submit(request, steward, record)


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
            "can_register": _is_steward(principal),
        },
    )


steward_router = Router(
    path="/",
    route_handlers=[
        *AUTH_HANDLERS,
        new_dataset,
        create_dataset,
        edit_dataset,
        update_dataset,
        dashboard,
    ],
    exception_handlers={SignInRequired: _to_signin},
    include_in_schema=False,
)
"""Sign-in/out, the dataset form and the dashboard (one entry in ``ROUTE_HANDLERS``)."""
