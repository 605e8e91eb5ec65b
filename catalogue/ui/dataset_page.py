"""``/dataset/{slug}``: HTML for browsers, the JSON twin for programs, RDF for linked-data clients.

Access rules are the API's: ``get_record`` answers 404 for a draft the visitor may not see.
"""

from __future__ import annotations

import importlib
from typing import Any
from uuid import UUID

from litestar import MediaType, Request, Response, get
from litestar.serialization import encode_json

from catalogue.datasets.history import history
from catalogue.datasets.queries import (
    find_record,
    get_record,
    get_record_by_slug_or_id,
    visible_slugs,
)
from catalogue.datasets.representation import represent
from catalogue.domain import disclosure
from catalogue.errors import NotFound
from catalogue.harvest.service import provenance as harvest_provenance
from catalogue.quality.aggregates import scored_at
from catalogue.quality.views import dataset_panel
from catalogue.ui import sections, summary
from catalogue.ui.dataset_view import (
    RDF_FORMATS,
    changed_fields,
    explain,
    licence_of,
    page_rows,
    rdf_links,
)
from catalogue.ui.negotiation import wants_json
from catalogue.ui.page_cache import kept_page
from catalogue.ui.rendering import current_language, render
from catalogue.web.links import with_dataset_links
from catalogue.web.params import CurrentPrincipal, FromPath

RDF_EXTENSIONS = (*(ext for ext, _, _ in RDF_FORMATS), "xml", "n3")  # + ckanext-dcat's


def _dcat_web() -> Any | None:
    """The DCAT engineer's RDF responses, when that module is installed (imported lazily)."""
    try:
        return importlib.import_module("catalogue.dcat.web")
    except ImportError:
        return None


async def _related(slugs: list[str], principal: Any, lang: str) -> list[dict[str, str]]:
    """Related datasets the visitor may see, with their titles (others are left out)."""
    related = []
    for slug in disclosure.visible_related(slugs, await visible_slugs(slugs, principal)):
        record = await find_record(slug)
        if record is not None:
            document = record.document
            related.append({"slug": slug, "title": document.text(document.title, lang) or slug})
    return related


async def _rdf(
    request: Request[Any, Any, Any],
    principal: Any,
    name: str,
    fmt: str,
    dcat: Any,
    by_id: bool = False,
) -> Response[Any]:
    """A dataset's RDF in ``fmt``, kept whole for anonymous readers per catalogue version
    and quality score (RDF/XML and JSON-LD carry the measurements). Conditional requests
    (a harvester's ``If-None-Match``) and datasets addressed by id take the full path."""

    async def read() -> Any:
        if by_id:
            return await get_record_by_slug_or_id(name, principal)
        return await get_record(name, principal)

    conditional = any(request.headers.get(h) for h in ("if-none-match", "if-modified-since"))
    if conditional or (by_id and _is_uuid(name)):
        return dcat.dataset_rdf_response(request, await read(), fmt)

    async def answer() -> Response[Any]:
        return await dcat.dataset_rdf_answer(request, await read(), fmt)

    return await kept_page(request, principal, answer, also=await scored_at(name), variant=fmt)


def _is_uuid(name: str) -> bool:
    try:
        UUID(name)
    except ValueError:
        return False
    return True


@get("/dataset/{slug:str}", include_in_schema=False, name="ui:dataset")
async def dataset_page(
    request: Request[Any, Any, Any], principal: CurrentPrincipal, slug: FromPath[str]
) -> Response[Any]:
    """One dataset at its four levels, with its classification explained for a reuser."""
    dcat = _dcat_web()
    name, _, extension = slug.rpartition(".")
    if name and extension in RDF_EXTENSIONS:
        # ``/dataset/{slug}.ttl`` etc. share this path pattern; the DCAT module answers them
        # (by slug or, as ckanext-dcat addresses datasets, by id).
        if dcat is None:
            raise NotFound(f"no dataset '{slug}'")
        return await _rdf(request, principal, name, extension, dcat, by_id=True)
    if dcat is not None:
        rdf_format = dcat.preferred_rdf_format(request.headers.get("accept"))
        if rdf_format:
            return await _rdf(request, principal, slug, rdf_format, dcat)
    if wants_json(request):

        async def twin() -> Response[Any]:
            record = await get_record(slug, principal)
            return Response(
                encode_json(with_dataset_links(await represent(record, principal))),
                media_type=MediaType.JSON,
                headers={"ETag": record.etag, "Vary": "Accept"},
            )

        return await kept_page(request, principal, twin, variant=MediaType.JSON)
    return await kept_page(
        request,
        principal,
        lambda: _dataset_html(request, principal, slug, dcat is not None),
        also=await scored_at(slug),
    )


async def _dataset_html(
    request: Request[Any, Any, Any], principal: Any, slug: str, with_rdf: bool
) -> Response[Any]:
    record = await get_record(slug, principal)
    lang = current_language(request)
    document = record.document
    entries = await history(slug, principal, record)
    for entry in entries:
        entry["fields"] = changed_fields(entry["changes"])
    context = {
        "principal": principal,
        "record": record,
        "doc": document,
        "title": document.text(document.title, lang) or slug,
        "description": document.text(document.description, lang),
        "title_map": document.title,
        "description_map": document.description,
        "explanation": explain(document, lang),
        "rows": page_rows(document),
        "licence": licence_of(document),
        "identifier_schemes": await summary.identifier_scheme_labels(),
        "publisher_name": record.publisher_name,
        "related": await _related(list(document.semantic.related), principal, lang),
        "served": [
            await _related(list(service.serves), principal, lang)
            for service in document.technical.data_services
        ],
        "services_by_id": {
            service.id: service for service in document.technical.data_services if service.id
        },
        "history": entries,
        "quality": await dataset_panel(record),
        "rdf_links": rdf_links(slug) if with_rdf else [],
        "json_twin": f"/api/v1/datasets/{slug}",
        "harvested": await harvest_provenance(record.id),
        "can_edit": principal is not None and principal.can_edit_datasets_of(record.publisher),
        # Open data needs no agreement; closed and personal data list who uses them.
        "uses_agreements": document.classification.value != "open",
        # The register of data use fills `dataset_agreements` (catalogue.wiring).
        **(
            await sections.fill(sections.DATASET_SECTIONS, slug, principal, lang)
            if document.classification.value != "open"
            else sections.empty(sections.DATASET_SECTIONS)
        ),
    }
    return render(request, "dataset.html", context, headers={"ETag": record.etag})
