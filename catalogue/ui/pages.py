"""Home and organisation pages: HTML for browsers, the same facts as JSON for programs."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import MediaType, Request, Response, get
from litestar.params import QueryParameter

from catalogue.accounts.principal import Principal
from catalogue.datasets.queries import DatasetFilter, DatasetRecord, list_records
from catalogue.datasets.versions import VersionedCache, visibility_key
from catalogue.domain.languages import text_and_language
from catalogue.i18n.catalogues import current_language as interface_language
from catalogue.i18n.catalogues import use_language
from catalogue.organisations.service import get_organisation, list_organisations
from catalogue.quality.aggregates import publisher_scored_at
from catalogue.quality.views import organisation_panel
from catalogue.settings import get_settings
from catalogue.ui import sections, summary
from catalogue.ui.dataset_view import explain
from catalogue.ui.negotiation import wants_json
from catalogue.ui.page_cache import kept_page
from catalogue.ui.rendering import current_language, render
from catalogue.ui.search_view import PAGE_SIZE, pagination
from catalogue.vocabularies import default_vocabularies
from catalogue.web.links import api_index
from catalogue.web.params import CurrentPrincipal, FromPath
from catalogue.web.state import settings_of

RECENT_COUNT = 6
PageNumber = Annotated[int, QueryParameter(ge=1, le=10_000)]
# Every organisation (hundreds): read once per catalogue version, not on every page view.
_organisations: VersionedCache[list[dict[str, Any]]] = VersionedCache(max_entries=1)
# A page of dataset cards and its total, per who may see what, language and catalogue
# version: the home and organisation pages read and validate their rows once per change.
_cards: VersionedCache[tuple[list[dict[str, Any]], int]] = VersionedCache(max_entries=2048)


async def all_organisations() -> list[dict[str, Any]]:
    """Every organisation as ``list_organisations`` gives them (copies: callers add keys)."""
    rows = await _organisations.get_or_compute("all", list_organisations)
    return [dict(row) for row in rows]


def dataset_card(record: DatasetRecord, lang: str) -> dict[str, Any]:
    """The summary a list shows for one dataset (home, organisation and search pages)."""
    document = record.document
    configured = get_settings().languages
    title, title_lang = text_and_language(document.title, lang, configured)
    description, description_lang = text_and_language(document.description, lang, configured)
    return {
        "slug": record.slug,
        "title": title or record.slug,
        "title_lang": title_lang if title and title_lang != lang else None,
        "description": description,
        "description_lang": description_lang if description and description_lang != lang else None,
        "classification": document.classification.value,
        "status": document.status.value,
        "publisher": record.publisher,
        "publisher_name": record.publisher_name,
        "themes": list(document.semantic.themes),
        "modified": record.modified,
        "explanation": explain(document, lang).sentence,
    }


async def dataset_cards(
    principal: Principal | None, filters: DatasetFilter, page: int, size: int, lang: str
) -> tuple[list[dict[str, Any]], int]:
    """One page of :func:`dataset_card` newest first, and the total (copies: callers
    change them)."""

    async def read() -> tuple[list[dict[str, Any]], int]:
        records, total = await list_records(principal, filters, page=page, size=size)
        return [dataset_card(record, lang) for record in records], total

    key = (visibility_key(principal), filters, page, size, lang, interface_language())
    cards, total = await _cards.get_or_compute(key, read)
    return [dict(card) for card in cards], total


async def warm_home_page() -> None:
    """What a first home page reads, kept for the current version (the warm-up calls it:
    on PostgreSQL the total is a count over the table, about 100 ms at 100,000 datasets)."""
    language = get_settings().default_language
    with use_language(language):
        await summary.counts_by_classification(None)
        await dataset_cards(None, DatasetFilter(), 1, RECENT_COUNT, language)


def _json(body: Any) -> Response[Any]:
    return Response(body, media_type=MediaType.JSON, headers={"Vary": "Accept"})


@get("/", include_in_schema=False, name="ui:home")
async def home_page(request: Request[Any, Any, Any], principal: CurrentPrincipal) -> Response[Any]:
    """Search box, counts by classification and theme, recently updated datasets.

    JSON clients get the API index (the former ``/`` handler), unchanged.
    """
    if wants_json(request):
        return _json(api_index(settings_of(request)))
    return await kept_page(request, principal, lambda: _home_html(request, principal))


async def _home_html(request: Request[Any, Any, Any], principal: Principal | None) -> Response[Any]:
    lang = current_language(request)
    by_classification = await summary.counts_by_classification(principal)
    by_theme = await summary.counts_by_theme(principal)
    themes = default_vocabularies()["themes"]
    recent, total = await dataset_cards(principal, DatasetFilter(), 1, RECENT_COUNT, lang)
    context = {
        "principal": principal,
        "total": total,
        "classifications": [
            (code, by_classification.get(code, 0)) for code in ("open", "closed", "personal")
        ],
        "themes": sorted(
            (
                (code, count, concept.label(lang) if (concept := themes.get(code)) else code)
                for code, count in by_theme.items()
            ),
            key=lambda item: item[2],
        ),
        "recent": recent,
        "json_twin": "/?format=json",
    }
    return render(request, "home.html", context)


@get("/organisations", include_in_schema=False, name="ui:organisations")
async def organisations_page(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    """Every organisation with the number of datasets the visitor may see."""
    organisations = await all_organisations()
    counts = await summary.counts_by_publisher(principal)
    for organisation in organisations:
        organisation["dataset_count"] = counts.get(organisation["slug"], 0)
    if wants_json(request):
        return _json({"items": organisations, "total": len(organisations)})
    return render(
        request,
        "organisations.html",
        {
            "principal": principal,
            "organisations": organisations,
            "json_twin": "/organisations?format=json",
        },
    )


@get("/organisation/{slug:str}", include_in_schema=False, name="ui:organisation")
async def organisation_page(
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    slug: FromPath[str],
    page: PageNumber = 1,
) -> Response[Any]:
    """One organisation and its datasets (drafts only for its own members), newest first."""
    if not wants_json(request):
        return await kept_page(
            request,
            principal,
            lambda: _organisation_html(request, principal, slug, page),
            also=await publisher_scored_at(slug),
        )
    organisation = await get_organisation(slug)
    cards, total = await dataset_cards(
        principal, DatasetFilter(publisher=slug), page, PAGE_SIZE, current_language(request)
    )
    for card in cards:
        card["modified"] = card["modified"].isoformat()
    return _json(
        {
            **organisation,
            "datasets": {"items": cards, "total": total, "page": page, "size": PAGE_SIZE},
        }
    )


async def _organisation_html(
    request: Request[Any, Any, Any], principal: Principal | None, slug: str, page: int
) -> Response[Any]:
    organisation = await get_organisation(slug)
    lang = current_language(request)
    cards, total = await dataset_cards(
        principal, DatasetFilter(publisher=slug), page, PAGE_SIZE, lang
    )
    everyone = await all_organisations()
    names = {item["slug"]: item["name"] for item in everyone}
    paging = pagination(page, total, lambda number: f"/organisation/{slug}?page={number}")
    return render(
        request,
        "organisation.html",
        {
            "principal": principal,
            "organisation": organisation,
            "parent_name": names.get(organisation["parent"] or ""),
            "children": [item for item in everyone if item["parent"] == slug],
            "datasets": cards,
            "total": total,
            "paging": paging,
            "json_twin": f"/api/v1/organisations/{slug}",
            # `organisation_agreements`, from the register of data use (catalogue.wiring).
            **await sections.fill(sections.ORGANISATION_SECTIONS, slug, principal, lang),
            "quality": await organisation_panel(slug),
        },
    )
