"""Lay the once-only map out as three columns: identifier schemes, base registers, services.

Plain geometry for the SVG template (no JavaScript): each node gets a box, each link a line
from the right edge of one box to the left edge of the next. Labels are cut to fit; the full
names are in each node's <title> and in the table beside the picture.
"""

from __future__ import annotations

from typing import Any

from catalogue.i18n import N_

COLUMN_X = (10, 300, 590)
BOX_WIDTH = 250
BOX_HEIGHT = 34
ROW = 46
TOP = 40
MAX_LABEL = 30


def _cut(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


def layout(view: dict[str, Any]) -> dict[str, Any]:
    columns = [
        [(item["code"], item["label"]) for item in view["schemes"]],
        [(item["slug"], item["title"]) for item in view["registers"]],
        [(item["slug"], item["title"]) for item in view["services"]],
    ]
    nodes: dict[tuple[int, str], dict[str, Any]] = {}
    for index, column in enumerate(columns):
        for row, (key, label) in enumerate(column):
            y = TOP + row * ROW
            nodes[(index, key)] = {
                "x": COLUMN_X[index],
                "y": y,
                "width": BOX_WIDTH,
                "height": BOX_HEIGHT,
                "label": _cut(label),
                "title": label,
                "kind": ("scheme", "register", "service")[index],
                "text_x": COLUMN_X[index] + 10,
                "text_y": y + 22,
            }
    links = []
    for register in view["registers"]:
        target = nodes[(1, register["slug"])]
        for code in register["schemes"]:
            if (0, code) in nodes:
                links.append(_line(nodes[(0, code)], target))
        for service in register["services"]:
            if (2, service) in nodes:
                links.append(_line(target, nodes[(2, service)]))
    rows = max((len(column) for column in columns), default=0)
    return {
        "width": COLUMN_X[2] + BOX_WIDTH + 10,
        "height": TOP + max(rows, 1) * ROW,
        "headings": [
            {"x": COLUMN_X[0], "text": N_("Identifiers")},
            {"x": COLUMN_X[1], "text": N_("Base registers")},
            {"x": COLUMN_X[2], "text": N_("Public services")},
        ],
        "nodes": list(nodes.values()),
        "links": links,
    }


def _line(left: dict[str, Any], right: dict[str, Any]) -> dict[str, int]:
    return {
        "x1": left["x"] + left["width"],
        "y1": left["y"] + left["height"] // 2,
        "x2": right["x"],
        "y2": right["y"] + right["height"] // 2,
    }
