"""What the quality pages and API answer, built from stored scores and link answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from catalogue.datasets.queries import DatasetRecord
from catalogue.quality import aggregates, store
from catalogue.quality.indicators import (
    BY_KEY,
    DIMENSION_BY_KEY,
    RATING_BY_KEY,
    TOTAL_POINTS,
)

WORST_PAGE = 20


def _iso(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return str(value) if value else None


async def dataset_quality(record: DatasetRecord) -> dict[str, Any]:
    """One dataset's stored assessment, with what to change and its addresses' answers."""
    row = await store.stored(record.id)
    links = await store.link_results(store.urls_of(record.document))
    if row is None or row["revision"] != record.revision:  # not scored yet: score it now
        assessment = store.assess_stored(
            record.document, record.issued, record.modified, links
        ).as_dict()
        computed_at: Any = dt.datetime.now(dt.UTC)
    else:
        assessment, computed_at = row["assessment"], row["computed_at"]
    rating = RATING_BY_KEY[assessment["rating"]]
    measurements = []
    for item in assessment["measurements"]:
        indicator = BY_KEY[item["indicator"]]
        measurements.append(
            {
                **item,
                "iri": indicator.iri,
                "label": indicator.label,
                "dimension": indicator.dimension,
                "max_points": indicator.points,
                "met": item["points"] == indicator.points,
            }
        )
    addresses = []
    for position, distribution in enumerate(record.document.technical.distributions):
        for kind, url in (
            ("access", distribution.access_url or distribution.download_url),
            ("download", distribution.download_url),
        ):
            if not url:
                continue
            result = links.get(url)
            addresses.append(
                {
                    "distribution": position,
                    "kind": kind,
                    "url": url,
                    "status": result.status if result else None,
                    "checked_at": _iso(result.checked_at) if result else None,
                    "error": result.error if result else "",
                }
            )
    return {
        "slug": record.slug,
        "points": assessment["points"],
        "max_points": TOTAL_POINTS,
        "rating": rating.key,
        "rating_label": rating.label,
        "dimensions": [
            {**d, "label": DIMENSION_BY_KEY[d["dimension"]].label} for d in assessment["dimensions"]
        ],
        "best_distribution": assessment["best_distribution"],
        "measurements": measurements,
        "missing": assessment["missing"],
        "addresses": addresses,
        "computed_at": _iso(computed_at),
        "links": {
            "dataset": f"/dataset/{record.slug}",
            "self": f"/api/v1/datasets/{record.slug}/quality",
            "methodology": "/quality#methodology",
        },
    }


async def dashboard(
    after: aggregates.WorstCursor | None = None, publisher: str | None = None
) -> dict[str, Any]:
    """The catalogue's (or one publisher's) public datasets in figures."""
    summary = await aggregates.summary(publisher)
    worst, next_cursor = await aggregates.worst(WORST_PAGE, after, publisher)
    base = "/api/v1/quality"
    return {
        **summary,
        "publisher": publisher,
        "organisations": await aggregates.organisations() if publisher is None else [],
        "trend": await aggregates.trend(),
        "worst": {
            "items": worst,
            "next_cursor": next_cursor.token() if next_cursor else None,
        },
        "links": {
            "self": base,
            "page": "/quality",
            "next": f"{base}?after={next_cursor.token()}" if next_cursor else None,
        },
    }


async def dataset_panel(record: DatasetRecord) -> dict[str, Any]:
    """The dataset page's quality section."""
    from catalogue.quality.charts import score_bar

    view = await dataset_quality(record)
    return {**view, "bar": score_bar(view["points"])}


async def organisation_panel(slug: str) -> dict[str, Any]:
    """An organisation page's quality section: its public datasets' figures, worst first."""
    summary = await aggregates.summary(slug)
    worst, _ = await aggregates.worst(5, None, slug)
    return {**summary, "worst": worst}
