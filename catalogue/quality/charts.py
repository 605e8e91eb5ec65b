"""The dashboard's plots as plain geometry for server-rendered SVG (no JavaScript).

Each function returns what the template draws: a view box, bars or points with their
coordinates and a full-sentence label (each mark's ``<title>``), axis ticks, and a summary
for the picture's ``<desc>``. The same figures are in a table beside each plot.
"""

from __future__ import annotations

from typing import Any

from catalogue.quality.indicators import RATINGS, TOTAL_POINTS, rating_for

COLOURS = {"excellent": "#1b7f3b", "good": "#2f6fb3", "sufficient": "#b36b00", "bad": "#b3261e"}
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 14, 40


def _nice_max(value: int) -> int:
    for step in (
        1,
        2,
        5,
        10,
        20,
        25,
        50,
        100,
        200,
        250,
        500,
        1000,
        2000,
        5000,
        10_000,
        20_000,
        50_000,
        100_000,
        200_000,
        500_000,
        1_000_000,
    ):
        if value <= step * 4:
            return step * 4 if value > 0 else 4
    return value


def histogram(bins: list[dict[str, Any]]) -> dict[str, Any]:
    """Datasets per 25-point band of the score, each bar coloured by its rating."""
    top = _nice_max(max((b["datasets"] for b in bins), default=0))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = inner_w / max(len(bins), 1)
    bars = []
    for number, item in enumerate(bins):
        height = inner_h * item["datasets"] / top
        rating = rating_for((item["lowest"] + item["highest"]) // 2).key
        bars.append(
            {
                "x": round(LEFT + number * slot + 1, 1),
                "width": round(slot - 2, 1),
                "y": round(TOP + inner_h - height, 1),
                "height": round(height, 1),
                "colour": COLOURS[rating],
                "label": f"{item['lowest']}–{item['highest']} points: {item['datasets']} datasets",
            }
        )
    ticks = [
        {"y": round(TOP + inner_h - inner_h * k / 4, 1), "value": top * k // 4} for k in range(5)
    ]
    xticks = [
        {"x": round(LEFT + number * slot, 1), "value": item["lowest"]}
        for number, item in enumerate(bins)
        if number % 4 == 0
    ]
    xticks.append({"x": LEFT + inner_w, "value": TOTAL_POINTS})
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "ticks": ticks,
        "xticks": xticks,
        "left": LEFT,
        "right": LEFT + inner_w,
        "baseline": TOP + inner_h,
        "legend": [
            {"label": f"{r.label} ({max(r.minimum, 0)}+)", "colour": COLOURS[r.key]}
            for r in RATINGS
        ],
    }


def dimension_bars(dimensions: list[dict[str, Any]]) -> dict[str, Any]:
    """The mean points of each dimension as a share of its maximum (horizontal bars)."""
    label_w, row, bar_h = 150, 40, 22
    inner_w = WIDTH - label_w - 110
    bars = []
    for number, item in enumerate(dimensions):
        share = item["mean"] / item["max_points"] if item["max_points"] else 0
        share = max(0.0, min(1.0, share))
        y = TOP + number * row
        bars.append(
            {
                "y": y,
                "height": bar_h,
                "x": label_w,
                "width": round(inner_w * share, 1),
                "full": inner_w,
                "text_y": y + 16,
                "name": item["label"],
                "value": f"{item['mean']:g} of {item['max_points']}",
                "value_x": label_w + inner_w + 8,
                "label": f"{item['label']}: {item['mean']:g} of {item['max_points']} points "
                f"on average ({round(share * 100)} %)",
            }
        )
    return {"width": WIDTH, "height": TOP + len(dimensions) * row + 4, "bars": bars}


def trend(days: list[dict[str, Any]]) -> dict[str, Any]:
    """The mean score per day (the daily snapshots), on the full 0-405 scale."""
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = len(days)
    points = []
    for number, item in enumerate(days):
        x = LEFT + (inner_w * number / (count - 1) if count > 1 else inner_w / 2)
        y = TOP + inner_h - inner_h * max(0.0, item["mean"]) / TOTAL_POINTS
        points.append(
            {
                "x": round(x, 1),
                "y": round(y, 1),
                "label": f"{item['day']}: mean {item['mean']:g} points over "
                f"{item['datasets']} datasets",
            }
        )
    ticks = [
        {"y": round(TOP + inner_h - inner_h * value / TOTAL_POINTS, 1), "value": value}
        for value in (0, 121, 221, 351, TOTAL_POINTS)
    ]
    xticks = []
    if days:
        xticks.append({"x": points[0]["x"], "value": days[0]["day"], "anchor": "start"})
        if count > 1:
            xticks.append({"x": points[-1]["x"], "value": days[-1]["day"], "anchor": "end"})
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "points": points,
        "ticks": ticks,
        "xticks": xticks,
        "left": LEFT,
        "right": LEFT + inner_w,
        "baseline": TOP + inner_h,
        "path": " ".join(
            f"{'M' if n == 0 else 'L'}{p['x']},{p['y']}" for n, p in enumerate(points)
        ),
    }


def score_bar(points: int) -> dict[str, Any]:
    """One dataset's score on the 0-405 scale with the rating thresholds marked."""
    width, inner = 400, 380
    share = max(0.0, min(1.0, points / TOTAL_POINTS))
    rating = rating_for(points).key
    return {
        "width": width,
        "height": 34,
        "fill": round(inner * share, 1),
        "full": inner,
        "colour": COLOURS[rating],
        "marks": [
            {"x": round(10 + inner * r.minimum / TOTAL_POINTS, 1), "label": r.label}
            for r in RATINGS
            if r.minimum > 0
        ],
    }
