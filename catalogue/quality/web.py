"""The quality routes: the API, the dashboard page and its JSON twin, as one router."""

from __future__ import annotations

from typing import Any

from litestar import Controller, MediaType, Request, Response, Router, get

from catalogue.datasets.queries import get_record
from catalogue.i18n import N_
from catalogue.quality import aggregates, charts, views
from catalogue.quality.indicators import DIMENSIONS, INDICATORS, RATINGS, TOTAL_POINTS
from catalogue.quality.schemas import DatasetQualityOut, QualitySummaryOut
from catalogue.ui.negotiation import wants_json
from catalogue.ui.rendering import NavItem, render
from catalogue.web.openapi import errors
from catalogue.web.params import CurrentPrincipal, FromPath, FromQuery

NAV_ITEMS = (NavItem("/quality", N_("Quality"), 47),)  # listed in catalogue.wiring

Req = Request[Any, Any, Any]


def _cursor(after: str | None) -> aggregates.WorstCursor | None:
    return aggregates.WorstCursor.parse(after) if after else None


class QualityApi(Controller):
    path = "/api/v1"
    tags = ["quality"]

    @get(
        "/datasets/{slug:str}/quality",
        summary="A dataset's metadata quality (MQA) score",
        responses=errors(404),
    )
    async def dataset_quality(
        self, slug: FromPath[str], principal: CurrentPrincipal
    ) -> DatasetQualityOut:
        """The Metadata Quality Assessment of data.europa.eu: points per dimension and
        indicator, the rating, and what to change to gain the missing points."""
        return await views.dataset_quality(await get_record(slug, principal))

    @get("/quality", summary="The catalogue's metadata quality in figures", responses=errors())
    async def catalogue_quality(
        self, after: FromQuery[str | None] = None, publisher: FromQuery[str | None] = None
    ) -> QualitySummaryOut:
        """Aggregates over the public datasets' stored scores; ``worst`` lists them from the
        lowest score up (follow ``links.next``); ``publisher`` narrows to one organisation."""
        return await views.dashboard(_cursor(after), publisher or None)


PUBLISHERS_SHOWN = 25


@get(["/quality", "/quality.json"], include_in_schema=False, name="quality:dashboard")
async def dashboard_page(
    request: Req,
    principal: CurrentPrincipal,
    after: FromQuery[str | None] = None,
    organisations: FromQuery[str | None] = None,
) -> Response[Any]:
    """The dashboard: score distribution, dimensions, trend and the worst datasets. The
    page lists the :data:`PUBLISHERS_SHOWN` publishers with the lowest mean (a national
    catalogue has hundreds; ``?organisations=all`` lists every one); the JSON twin all."""
    cursor = _cursor(after)
    view = await views.dashboard(cursor)
    if request.url.path.endswith(".json") or wants_json(request):
        return Response(view, media_type=MediaType.JSON, headers={"Vary": "Accept"})
    next_token = view["worst"]["next_cursor"]
    listed = view["organisations"]
    shown = listed if organisations == "all" else listed[:PUBLISHERS_SHOWN]
    context = {
        **view,
        "organisations": shown,
        "organisations_total": len(listed),
        "organisations_url": "/quality?organisations=all#organisations-heading"
        if len(shown) < len(listed)
        else None,
        "principal": principal,
        "json_twin": "/quality.json" + (f"?after={after}" if after else ""),
        "histogram_chart": charts.histogram(view["histogram"]),
        "dimension_chart": charts.dimension_bars(view["dimensions"]),
        "trend_chart": charts.trend(view["trend"]),
        "next_url": f"/quality?after={next_token}#worst" if next_token else None,
        "first_url": "/quality#worst" if cursor else None,
        "indicators": INDICATORS,
        "dimension_list": DIMENSIONS,
        "rating_list": RATINGS,
        "total_points": TOTAL_POINTS,
    }
    return render(request, "quality/dashboard.html", context)


QUALITY_ROUTER = Router(path="/", route_handlers=[QualityApi, dashboard_page])
