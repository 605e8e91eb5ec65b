"""What search engines, feed readers and browsers' search boxes read: sitemaps, robots.txt,
the OpenSearch description, the Atom feeds, and the head links and JSON-LD of every page.

Thin handlers over :mod:`.sitemap`, :mod:`.feeds` and :mod:`.schemaorg`. Everything here is
anonymous: a signed-in steward gets the same public documents as anyone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote, urlencode
from xml.sax.saxutils import escape, quoteattr

from litestar import Request, Response, Router, get
from litestar.datastructures import CacheControlHeader

from catalogue.datasets.queries import DatasetFilter, DatasetRecord
from catalogue.discovery import feeds, sitemap
from catalogue.discovery.atom import ATOM_MEDIA_TYPE
from catalogue.discovery.schemaorg import Site, dataset_jsonld, script_tag
from catalogue.errors import BadRequest, InvalidDocument, NotFound
from catalogue.organisations.service import get_organisation
from catalogue.settings import get_settings
from catalogue.ui.search_view import parse_state
from catalogue.vocabularies import default_vocabularies
from catalogue.web.gzip import accepts_gzip
from catalogue.web.params import FromPath

XML = "application/xml; charset=utf-8"
OPENSEARCH = "application/opensearchdescription+xml"
ATOM = f"{ATOM_MEDIA_TYPE}; charset=utf-8"
SHORT = CacheControlHeader(max_age=300, public=True)
# Paths for people and their sessions, and the API's writing side: nothing for a crawler.
DISALLOWED = (
    "/api/",
    "/signin",
    "/signout",
    "/dashboard",
    "/dataset/new",
    "/dataset/*/edit",
    "/agreements/new",
    "/admin/",
    "/search?",
)
ORGANISATIONS_SITEMAP = "/sitemap-organisations.xml"


def _xml(body: bytes, media_type: str = XML) -> Response[bytes]:
    return Response(body, media_type=media_type, headers={"Cache-Control": SHORT.to_header()})


@get("/robots.txt", include_in_schema=False, cache_control=SHORT)
async def robots() -> Response[str]:
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in DISALLOWED),
        "",
        f"Sitemap: {get_settings().base_url}/sitemap.xml",
        "",
    ]
    return Response("\n".join(lines), media_type="text/plain; charset=utf-8")


@get("/sitemap.xml", include_in_schema=False)
async def sitemap_index() -> Response[bytes]:
    plan = await sitemap.current_plan()
    return _xml(sitemap.index_xml(get_settings().base_url, plan, [ORGANISATIONS_SITEMAP]))


@get(
    [f"/sitemap-{n}.xml" for n in range(1, sitemap.MAX_PAGES + 1)],
    include_in_schema=False,
)
async def sitemap_page(request: Request[Any, Any, Any]) -> Response[bytes]:
    """A page of the index; gzipped once when cached, not by the middleware on each request."""
    number = int(request.url.path.removeprefix("/sitemap-").removesuffix(".xml"))
    pair = await sitemap.page_xml(get_settings().base_url, number)
    if pair is None:
        raise NotFound(f"there is no sitemap page {number}")
    plain, packed = pair
    if not accepts_gzip(request):
        return _xml(plain)
    response = _xml(packed)
    response.headers.update({"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
    return response


@get(ORGANISATIONS_SITEMAP, include_in_schema=False)
async def sitemap_organisations() -> Response[bytes]:
    from catalogue.ui.pages import all_organisations

    base = get_settings().base_url
    entries: list[tuple[str, dt.datetime | None]] = [
        (f"{base}/", None),
        (f"{base}/organisations", None),
    ]
    entries += [
        (f"{base}/organisation/{quote(item['slug'])}", None) for item in await all_organisations()
    ]
    return _xml(sitemap.urlset_xml(entries))


@get("/opensearch.xml", include_in_schema=False, cache_control=SHORT)
async def opensearch() -> Response[str]:
    settings = get_settings()
    base = settings.base_url
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">'
        f"<ShortName>{escape(settings.catalogue_title[:16])}</ShortName>"
        f"<Description>{escape(settings.catalogue_description[:1024])}</Description>"
        "<InputEncoding>UTF-8</InputEncoding>"
        f"<Language>{escape(settings.default_language)}</Language>"
        f'<Image type="image/svg+xml" height="16" width="16">{escape(base)}'
        "/static/favicon.svg</Image>"
        f'<Url type="text/html" template={quoteattr(base + "/search?q={searchTerms}")}/>'
        f"<Url type={quoteattr(ATOM_MEDIA_TYPE)} "
        f"template={quoteattr(base + '/search.atom?q={searchTerms}')}/>"
        '<Url type="application/json" '
        f"template={quoteattr(base + '/api/v1/search?q={searchTerms}&page={startPage?}')}/>"
        f'<Url type="{OPENSEARCH}" rel="self" template={quoteattr(base + "/opensearch.xml")}/>'
        "</OpenSearchDescription>\n"
    )
    return Response(body, media_type=f"{OPENSEARCH}; charset=utf-8")


def _atom_name(name: str) -> str:
    if not name.endswith(".atom") or len(name) <= len(".atom"):
        raise NotFound(f"no feed '{name}'")
    return name.removesuffix(".atom")


@get("/feeds/changes.atom", include_in_schema=False)
async def catalogue_feed() -> Response[bytes]:
    title = f"{get_settings().catalogue_title}: recently changed datasets"
    return _xml(await feeds.changes_feed(DatasetFilter(), "/feeds/changes.atom", "/", title), ATOM)


@get("/feeds/organisation/{name:str}", include_in_schema=False)
async def organisation_feed(name: FromPath[str]) -> Response[bytes]:
    slug = _atom_name(name)
    organisation = await get_organisation(slug)  # 404 for an unknown organisation
    path = f"/feeds/organisation/{quote(slug)}.atom"
    title = f"{organisation['name']}: recently changed datasets"
    body = await feeds.changes_feed(
        DatasetFilter(publisher=slug), path, f"/organisation/{quote(slug)}", title
    )
    return _xml(body, ATOM)


@get("/feeds/theme/{name:str}", include_in_schema=False)
async def theme_feed(name: FromPath[str]) -> Response[bytes]:
    code = _atom_name(name)
    concept = default_vocabularies()["themes"].get(code)
    if concept is None or concept.code != code:
        raise NotFound(f"no theme '{code}'")
    path = f"/feeds/theme/{code}.atom"
    title = f"{get_settings().catalogue_title}: {concept.label(get_settings().default_language)}"
    body = await feeds.changes_feed(
        DatasetFilter(theme=code), path, f"/search?{urlencode({'theme': code})}", title
    )
    return _xml(body, ATOM)


@get("/search.atom", include_in_schema=False)
async def search_feed(request: Request[Any, Any, Any]) -> Response[bytes]:
    """A saved search: the same query and filters as ``/search``, newest change first."""
    from catalogue.search.service import SearchQuery, search

    try:
        state = parse_state(lambda name: request.query_params.getall(name, []))
        query = SearchQuery(
            q=state.q, filters=state.filters, sort="modified", page=1, size=feeds.FEED_SIZE
        )
    except InvalidDocument as error:  # bad query parameters: a 400, as the search API says
        raise _bad_request(error) from None

    async def find() -> list[Any]:
        try:
            return (await search(query, None)).items  # anonymous: public datasets only
        except InvalidDocument as error:
            raise _bad_request(error) from None

    params = state.pairs(sort="relevance", page=1)  # the feed's own order; no page
    title = f"{get_settings().catalogue_title}: search"
    if state.q:
        title += f" for “{state.q}”"
    return _xml(await feeds.search_feed(find, params, title), ATOM)


def _bad_request(error: InvalidDocument) -> BadRequest:
    detail = "; ".join(f"{p.field}: {p.message}" for p in error.problems)
    return BadRequest(detail, error.problems)


discovery_router = Router(
    path="/",
    route_handlers=[
        robots,
        sitemap_index,
        sitemap_page,
        sitemap_organisations,
        opensearch,
        catalogue_feed,
        organisation_feed,
        theme_feed,
        search_feed,
    ],
    include_in_schema=False,
)


# --- what every page's head gets ----------------------------------------------------------


def _feed_links(request: Request[Any, Any, Any], context: dict[str, Any]) -> list[dict[str, str]]:
    title = get_settings().catalogue_title
    links = [{"href": "/feeds/changes.atom", "title": f"{title}: recently changed datasets"}]
    name = getattr(request.scope.get("route_handler"), "name", None)
    path = request.url.path
    if name == "ui:organisation":
        slug = path.removeprefix("/organisation/")
        links.append(
            {
                "href": f"/feeds/organisation/{quote(slug)}.atom",
                "title": "This organisation's recently changed datasets",
            }
        )
    elif name == "ui:search":
        state = context.get("state")
        if state is not None:
            query = urlencode(state.pairs(sort="relevance", page=1))
            links.append(
                {
                    "href": f"/search.atom?{query}" if query else "/search.atom",
                    "title": "This search's recently changed datasets",
                }
            )
            for theme in state.filters.get("theme", []):
                links.append(
                    {
                        "href": f"/feeds/theme/{quote(theme)}.atom",
                        "title": f"Recently changed datasets on the theme {theme}",
                    }
                )
    elif name == "ui:dataset" and isinstance(record := context.get("record"), DatasetRecord):
        links.append(
            {
                "href": f"/feeds/organisation/{quote(record.publisher)}.atom",
                "title": f"Recently changed datasets of {record.publisher_name}",
            }
        )
    return links


def _structured_data(request: Request[Any, Any, Any], context: dict[str, Any]) -> Any:
    name = getattr(request.scope.get("route_handler"), "name", None)
    record = context.get("record")
    if name != "ui:dataset" or not isinstance(record, DatasetRecord):
        return None
    settings = get_settings()
    body = dataset_jsonld(
        record.document,
        dataset_id=str(record.id),
        modified=record.modified,
        issued=record.issued,
        publisher_name=record.publisher_name,
        site=Site(
            settings.base_url,
            settings.catalogue_title,
            settings.default_language,
            settings.languages,
        ),
        vocabularies=default_vocabularies(),
    )
    return script_tag(body) if body is not None else None


def head_context(request: Request[Any, Any, Any], context: dict[str, Any]) -> dict[str, Any]:
    """Feed links, the OpenSearch link and a dataset page's JSON-LD, for ``base.html``."""
    return {
        "feeds": _feed_links(request, context),
        "structured_data": _structured_data(request, context),
        "opensearch_title": get_settings().catalogue_title,
    }
