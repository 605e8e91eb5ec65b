"""The catalogue's quality in numbers, by SQL over the stored scores (never by scoring).

Every figure is an aggregate over ``quality_score`` (published and deprecated datasets
only), cached per catalogue version and the newest score's time, so a dashboard request
costs two one-row reads while nothing changed. After a change, figures that took long to
compute (a national catalogue: every write moves the version) are served from their last
value while one background task per worker recomputes them. The list of the worst datasets
is a seek in the ``(public, points, slug)`` index: page 1,000 costs what page 1 costs.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from catalogue.datasets.versions import VersionedCache, current_version
from catalogue.db import read_rows
from catalogue.domain.problems import Problem
from catalogue.errors import BadRequest
from catalogue.quality.indicators import DIMENSIONS, MAX_POINTS, RATINGS, TOTAL_POINTS
from catalogue.quality.tables import QualityDaily, QualityScore

BIN_WIDTH = 25
BINS = (TOTAL_POINTS + BIN_WIDTH - 1) // BIN_WIDTH  # 17 bins: 0-24 ... 400-405
TREND_DAYS = 90
INLINE_BELOW_SECONDS = 0.05  # figures quicker than this are recomputed while the reader waits
_cache: VersionedCache[Any] = VersionedCache(max_entries=2048)
_DIMENSION_SUMS = ", ".join(f"SUM({d.key}) AS {d.key}" for d in DIMENSIONS)


async def stamp() -> tuple[int, str]:
    """What every cached figure is keyed on: the catalogue version and the newest score."""
    rows = await QualityScore.raw("SELECT MAX(computed_at) AS newest FROM quality_score")
    newest = rows[0]["newest"] if rows else None
    return (await current_version(), str(newest))


async def scored_at(slug: str) -> str:
    """When this dataset was last scored (a dataset page shows its score and link checks)."""
    rows = await read_rows(
        QualityScore, "SELECT computed_at FROM quality_score WHERE slug = {} LIMIT 1", slug
    )
    return str(rows[0]["computed_at"]) if rows else ""


async def publisher_scored_at(publisher: str) -> str:
    """When a dataset of this publisher was last scored (its page shows their figures)."""
    rows = await read_rows(
        QualityScore,
        "SELECT MAX(computed_at) AS newest FROM quality_score WHERE publisher = {}",
        publisher,
    )
    return str(rows[0]["newest"]) if rows else ""


def _where(publisher: str | None, table: str = "") -> tuple[str, list[Any]]:
    prefix = f"{table}." if table else ""
    if publisher is None:
        return f"{prefix}public = {{}}", [True]
    return f"{prefix}public = {{}} AND {prefix}publisher = {{}}", [True, publisher]


async def _summary(publisher: str | None) -> dict[str, Any]:
    """One scan of the scores, grouped by rating and histogram bin (at most 5 x 17 rows);
    the totals, means and both distributions are summed from those groups."""
    where, args = _where(publisher)
    groups = await QualityScore.raw(
        f"SELECT rating, CASE WHEN points < 0 THEN 0 WHEN points >= {(BINS - 1) * BIN_WIDTH}"
        f" THEN {BINS - 1} ELSE points / {BIN_WIDTH} END AS bin, COUNT(*) AS n,"
        f" SUM(points) AS total, {_DIMENSION_SUMS} FROM quality_score WHERE {where}"
        " GROUP BY 1, 2",
        *args,
    )
    ratings: dict[str, int] = {}
    bins: dict[int, int] = {}
    sums = dict.fromkeys(["total", *(d.key for d in DIMENSIONS)], 0.0)
    for group in groups:
        n = int(group["n"])
        ratings[group["rating"]] = ratings.get(group["rating"], 0) + n
        bins[int(group["bin"])] = bins.get(int(group["bin"]), 0) + n
        for name in sums:
            sums[name] += float(group[name] or 0)
    count = sum(ratings.values())
    totals = {name: total / count if count else 0.0 for name, total in sums.items()}
    return {
        "datasets": count,
        "mean": round(totals["total"], 1),
        "max_points": TOTAL_POINTS,
        "dimensions": [
            {
                "dimension": d.key,
                "label": d.label,
                "mean": round(totals[d.key], 1),
                "max_points": MAX_POINTS[d.key],
            }
            for d in DIMENSIONS
        ],
        "ratings": [
            {
                "rating": r.key,
                "label": r.label,
                "minimum": max(r.minimum, 0),
                "datasets": ratings.get(r.key, 0),
            }
            for r in RATINGS
        ],
        "histogram": [
            {
                "lowest": number * BIN_WIDTH,
                "highest": min((number + 1) * BIN_WIDTH - 1, TOTAL_POINTS)
                if number < BINS - 1
                else TOTAL_POINTS,
                "datasets": bins.get(number, 0),
            }
            for number in range(BINS)
        ],
    }


async def summary(publisher: str | None = None) -> dict[str, Any]:
    """Count, mean, mean per dimension, datasets per rating and the score histogram."""
    return await _cache.get_or_refresh(
        ("summary", publisher), lambda: _summary(publisher), await stamp(), INLINE_BELOW_SECONDS
    )


async def _organisations() -> list[dict[str, Any]]:
    rows = await QualityScore.raw(
        "SELECT q.publisher AS slug, o.name AS name, COUNT(*) AS datasets,"
        " AVG(q.points) AS mean,"
        " SUM(CASE WHEN q.rating = 'excellent' THEN 1 ELSE 0 END) AS excellent"
        " FROM quality_score q LEFT JOIN organisation o ON o.slug = q.publisher"
        " WHERE q.public = {} GROUP BY q.publisher, o.name ORDER BY AVG(q.points), q.publisher",
        True,
    )
    return [
        {
            "slug": row["slug"],
            "name": row["name"] or row["slug"],
            "datasets": int(row["datasets"]),
            "mean": round(float(row["mean"] or 0), 1),
            "excellent": int(row["excellent"] or 0),
        }
        for row in rows
    ]


async def organisations() -> list[dict[str, Any]]:
    """Each publisher's public datasets: count, mean score, how many are Excellent."""
    return await _cache.get_or_refresh(
        "organisations", _organisations, await stamp(), INLINE_BELOW_SECONDS
    )


@dataclass(frozen=True)
class WorstCursor:
    points: int
    slug: str

    def token(self) -> str:
        text = json.dumps([self.points, self.slug])
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def parse(cls, token: str) -> WorstCursor:
        try:
            points, slug = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            if isinstance(points, int) and isinstance(slug, str) and len(slug) <= 100:
                return cls(points, slug)
        except (ValueError, TypeError, binascii.Error):
            pass
        message = "is not a cursor this catalogue gave out; start again without it"
        raise BadRequest(f"after {message}", [Problem("after", message, "bad_cursor")])


async def worst(
    size: int = 20, after: WorstCursor | None = None, publisher: str | None = None
) -> tuple[list[dict[str, Any]], WorstCursor | None]:
    """Public datasets from the lowest score up (ties by slug), ``size`` after ``after``."""
    where, args = _where(publisher, "q")
    if after is not None:
        where += " AND (q.points > {} OR (q.points = {} AND q.slug > {}))"
        args += [after.points, after.points, after.slug]
    rows = await QualityScore.raw(
        "SELECT q.slug, q.points, q.rating, q.publisher, d.title, o.name FROM quality_score q"
        " LEFT JOIN dataset d ON d.id = q.dataset_id"
        f" LEFT JOIN organisation o ON o.slug = q.publisher WHERE {where}"
        f" ORDER BY q.points, q.slug LIMIT {int(size) + 1}",
        *args,
    )
    items = [
        {
            "slug": r["slug"],
            "title": r["title"] or r["slug"],
            "points": int(r["points"]),
            "rating": r["rating"],
            "publisher": r["publisher"],
            "publisher_name": r["name"] or r["publisher"],
        }
        for r in rows[:size]
    ]
    more = len(rows) > size and items
    return items, WorstCursor(items[-1]["points"], items[-1]["slug"]) if more else None


async def trend(days: int = TREND_DAYS) -> list[dict[str, Any]]:
    """The daily snapshots, oldest first (at most ``days``)."""
    rows = (
        await QualityDaily.select(
            QualityDaily.day, QualityDaily.datasets, QualityDaily.mean, QualityDaily.ratings
        )
        .order_by(QualityDaily.day, ascending=False)
        .limit(days)
        .output(load_json=True)
    )
    return [
        {
            "day": row["day"].isoformat(),
            "datasets": row["datasets"],
            "mean": round(float(row["mean"]), 1),
            "excellent": int((row["ratings"] or {}).get("excellent", 0)),
        }
        for row in reversed(rows)
    ]


async def record_daily(today: dt.date | None = None) -> dict[str, Any]:
    """Store today's aggregates (again: the last run of a day wins)."""
    today = today or dt.datetime.now(dt.UTC).date()
    current = await _summary(None)
    values = {
        QualityDaily.datasets: current["datasets"],
        QualityDaily.mean: current["mean"],
        QualityDaily.dimensions: {d["dimension"]: d["mean"] for d in current["dimensions"]},
        QualityDaily.ratings: {r["rating"]: r["datasets"] for r in current["ratings"]},
    }
    updated = (
        await QualityDaily.update(values)  # type: ignore[arg-type]
        .where(QualityDaily.day == today)
        .returning(QualityDaily.id)
    )
    if not updated:
        await QualityDaily.insert(
            QualityDaily(day=today, **{column._meta.name: v for column, v in values.items()})
        ).on_conflict(action="DO NOTHING")
    _cache.clear()
    return current
