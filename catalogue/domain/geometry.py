"""Bounding boxes and centroids: plain Python, no RDF (the mapping writes the literals).

A steward gives a bounding box as ``west,south,east,north`` in decimal degrees (WGS 84,
longitude first, as WKT and GeoJSON order them); where none is given, the country
vocabulary's own box and centre of each covered country are used (``cat:bbox`` and
``cat:centroid`` on the concept, written by hand for the countries the catalogue uses).
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    west: float
    south: float
    east: float
    north: float

    @property
    def text(self) -> str:
        return ",".join(_number(v) for v in (self.west, self.south, self.east, self.north))

    @property
    def centre(self) -> tuple[float, float]:
        return ((self.west + self.east) / 2, (self.south + self.north) / 2)

    def wkt(self) -> str:
        w, s, e, n = (_number(v) for v in (self.west, self.south, self.east, self.north))
        return f"POLYGON(({w} {s},{w} {n},{e} {n},{e} {s},{w} {s}))"

    def geojson(self) -> str:
        w, s, e, n = self.west, self.south, self.east, self.north
        ring = [[w, s], [w, n], [e, n], [e, s], [w, s]]
        return json.dumps({"type": "Polygon", "coordinates": [ring]}, separators=(",", ":"))


def _number(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def point_wkt(point: tuple[float, float]) -> str:
    return f"POINT({_number(point[0])} {_number(point[1])})"


def point_geojson(point: tuple[float, float]) -> str:
    return json.dumps({"type": "Point", "coordinates": list(point)}, separators=(",", ":"))


def parse_bbox(text: str) -> Box:
    """``west,south,east,north`` (commas or spaces) -> a box; ValueError says what is wrong."""
    parts = [part for part in text.replace(",", " ").split() if part]
    if len(parts) != 4:
        raise ValueError(
            "must be four numbers: west,south,east,north in decimal degrees "
            "(e.g. 13.38,45.42,16.61,46.88)"
        )
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise ValueError("must be four decimal numbers: west,south,east,north") from None
    if not all(-180 <= v <= 180 for v in (west, east)):
        raise ValueError("west and east must be longitudes between -180 and 180")
    if not all(-90 <= v <= 90 for v in (south, north)):
        raise ValueError("south and north must be latitudes between -90 and 90")
    if west > east or south > north:
        raise ValueError("west must not be east of east, nor south north of north")
    return Box(west, south, east, north)


def parse_point(text: str) -> tuple[float, float] | None:
    """``lon lat`` (a vocabulary's ``cat:centroid``), or None."""
    try:
        lon, lat = (float(part) for part in text.replace(",", " ").split())
    except ValueError:
        return None
    return lon, lat
