"""HTML pages of the register of data use and the citizens' transparency pages.

Pages call the same service as the API; a form with problems is shown again with every
problem next to its field (422), a successful post redirects (303).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from litestar import MediaType, Request, Response, get, post
from litestar.response import Redirect

from catalogue.accounts.principal import Principal
from catalogue.agreements import records, service, transparency
from catalogue.agreements.forms import agreement_from_form, decision_from_form, form_context
from catalogue.datasets.versions import VersionedCache, visibility_key
from catalogue.domain.agreement import Decision
from catalogue.errors import InvalidDocument, NotFound
from catalogue.i18n import N_, translate
from catalogue.i18n.catalogues import current_language as interface_language
from catalogue.ui.page_cache import kept_page
from catalogue.ui.rendering import NavItem, current_language, render
from catalogue.web.params import CurrentPrincipal, FromPath, FromQuery, QueryParameter

NAV_ITEMS = (
    NavItem("/transparency", N_("Who uses data about me?"), 40),
    NavItem("/agreements", N_("Data use"), 30, visible=lambda principal: principal is not None),
)

_summaries_kept: VersionedCache[list[dict[str, Any]]] = VersionedCache(max_entries=2048)
STATUS_LABELS = {
    "proposed": N_("Proposed"),
    "under_review": N_("Under review"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
    "suspended": N_("Suspended"),
    "expired": N_("Expired"),
}
OUTCOME_LABELS = {
    "compatible": N_("Compatible with the purpose of collection"),
    "presumed_compatible": N_("Presumed compatible (archiving, research, statistics)"),
    "needs_assessment": N_("Needs an assessment of compatibility"),
    "not_applicable": N_("No personal data: purpose limitation does not apply"),
}


def summary(record: records.AgreementRecord, lang: str) -> dict[str, Any]:
    """What the partial list shows for one agreement."""
    document = record.document
    return {
        "id": str(record.id),
        "reference": record.reference,
        "url": f"/agreements/{record.id}",
        "service": transparency._text(document.service.title, lang),
        "dataset": document.dataset,
        "dataset_title": record.dataset_title or document.dataset,
        "consumer": document.consumer,
        "consumer_name": record.consumer_name,
        "provider": record.provider,
        "provider_name": record.provider_name,
        "status": record.status.value,
        "status_label": translate(STATUS_LABELS[record.status.value]),
        "outcome_label": translate(OUTCOME_LABELS.get(record.outcome, record.outcome)),
        "valid_from": document.valid_from.isoformat(),
        "valid_until": document.valid_until.isoformat(),
        "purpose": transparency._text(document.purpose.text, lang),
    }


async def _summaries(
    principal: Principal | None, filters: records.AgreementFilter, lang: str, size: int = 100
) -> list[dict[str, Any]]:
    """Kept per catalogue version (agreements move it too), who may see what and language:
    the organisation and dataset pages show them on every view (copies: callers change them)."""
    await service.expire_due()

    async def read() -> list[dict[str, Any]]:
        items, _ = await records.list_records(principal, filters, 1, size)
        return [summary(item, lang) for item in items]

    key = (visibility_key(principal), filters, lang, interface_language(), size)
    return [dict(item) for item in await _summaries_kept.get_or_compute(key, read)]


async def agreements_for_dataset(
    slug: str, principal: Principal | None, lang: str = "en"
) -> list[dict[str, Any]]:
    """For the dataset page: who uses this dataset (what ``principal`` may see)."""
    return await _summaries(principal, records.AgreementFilter(dataset=slug), lang)


async def agreements_for_organisation(
    slug: str, principal: Principal | None, lang: str = "en"
) -> list[dict[str, Any]]:
    """For the organisation page: agreements where it is the consumer or the provider."""
    return await _summaries(principal, records.AgreementFilter(organisation=slug), lang)


@get("/agreements", include_in_schema=False, name="agreements:list")
async def agreements_page(
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    status: FromQuery[str | None] = None,
    organisation: FromQuery[str | None] = None,
) -> Response[Any]:
    lang = current_language(request)
    if status not in (None, "", *STATUS_LABELS):
        status = None
    filters = records.AgreementFilter(status=status or None, organisation=organisation or None)
    return render(
        request,
        "agreements/list.html",
        {
            "principal": principal,
            "agreements": await _summaries(principal, filters, lang),
            "status": status or "",
            "statuses": {code: translate(label) for code, label in STATUS_LABELS.items()},
            "json_twin": "/api/v1/agreements",
            "may_propose": principal is not None
            and (principal.is_admin or any("steward" in r for r in principal.roles.values())),
        },
    )


@get("/agreements/new", include_in_schema=False, name="agreements:new")
async def new_agreement_page(
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    dataset: FromQuery[str | None] = None,
) -> Response[Any]:
    if principal is None:
        target = "/agreements/new" + (f"?dataset={quote(dataset)}" if dataset else "")
        return Redirect(path=f"/signin?next={quote(target)}", status_code=303)
    context = await form_context(principal, dataset or None, {}, [])
    return render(request, "agreements/form.html", {**context, "principal": principal})


@post("/agreements/new", include_in_schema=False, status_code=303)
async def propose_from_form(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    form = await request.form()
    raw = agreement_from_form(form)
    try:
        record = await service.propose(raw, principal)
    except InvalidDocument as error:
        context = await form_context(principal, raw.get("dataset"), form, error.problems)
        return render(request, "agreements/form.html", {**context, "principal": principal}, 422)
    return Redirect(path=f"/agreements/{record.id}", status_code=303)


async def _detail_context(
    record: records.AgreementRecord, principal: Principal | None, lang: str
) -> dict[str, Any]:
    dataset = await service.require_visible_dataset(record.document.dataset, principal)
    may_decide = service.may_decide(principal, record.provider)
    return {
        "principal": principal,
        "record": record,
        "doc": record.document,
        "item": summary(record, lang),
        "information": [
            {"name": name, "label": transparency.information_label(dataset.document, name, lang)}
            for name in record.document.attributes
        ],
        "findings": record.check.get("findings", []),
        "explanation": record.check.get("explanation", ""),
        "needs_assessment": record.outcome == "needs_assessment",
        "may_decide": may_decide,
        "is_party": records.is_party(record, principal),
        "actions": [
            decision.value for decision in Decision if may_decide and _allowed(record, decision)
        ],
        "json_twin": f"/api/v1/agreements/{record.id}",
        "problems": [],
    }


def _allowed(record: records.AgreementRecord, decision: Decision) -> bool:
    from catalogue.domain.agreement import TRANSITIONS

    return record.status in TRANSITIONS[decision][0]


@get("/agreements/{agreement_id:str}", include_in_schema=False, name="agreements:detail")
async def agreement_page(
    request: Request[Any, Any, Any], principal: CurrentPrincipal, agreement_id: FromPath[str]
) -> Response[Any]:
    record = await service.get_fresh(agreement_id, principal)
    context = await _detail_context(record, principal, current_language(request))
    return render(request, "agreements/detail.html", context)


@post(
    "/agreements/{agreement_id:str}/{action:str}",
    include_in_schema=False,
    status_code=303,
)
async def decide_from_form(
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    agreement_id: FromPath[str],
    action: FromPath[str],
) -> Response[Any]:
    try:
        decision = Decision(action)
    except ValueError:
        raise NotFound(f"no action '{action}'") from None
    body = decision_from_form(await request.form(), decision)
    try:
        await service.decide(agreement_id, decision, body, principal)
    except InvalidDocument as error:
        record = await service.get_fresh(agreement_id, principal)
        context = await _detail_context(record, principal, current_language(request))
        context.update({"problems": [p.as_dict() for p in error.problems], "form": body})
        return render(request, "agreements/detail.html", context, 422)
    return Redirect(path=f"/agreements/{agreement_id}", status_code=303)


@get(["/transparency", "/transparency.json"], include_in_schema=False, name="transparency")
async def transparency_index(
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    after: FromQuery[str | None] = None,
) -> Response[Any]:
    """Who uses data about me? The personal datasets other services reuse, and those services."""

    async def answer() -> Response[Any]:
        view = await transparency.overview(current_language(request), (after or "")[:100] or None)
        if request.url.path.endswith(".json"):
            return Response(view, media_type=MediaType.JSON)
        context = {**view, "json_twin": "/transparency.json", "principal": principal}
        return render(request, "transparency/index.html", context)

    if request.url.path.endswith(".json"):
        return await answer()
    return await kept_page(request, principal, answer)


@get("/transparency/{slug:str}", include_in_schema=False, name="transparency:dataset")
async def transparency_dataset(
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    slug: FromPath[str],
    page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1,
) -> Response[Any]:
    """One personal dataset: each approved reuse in plain language, rights, complaints."""
    name = slug.removesuffix(".json")

    async def answer() -> Response[Any]:
        view = await transparency.dataset_view(name, current_language(request), page)
        if slug.endswith(".json"):
            return Response(view, media_type=MediaType.JSON)
        context = {**view, "json_twin": f"/transparency/{name}.json", "principal": principal}
        return render(request, "transparency/dataset.html", context)

    if slug.endswith(".json"):
        return await answer()
    return await kept_page(request, principal, answer)
