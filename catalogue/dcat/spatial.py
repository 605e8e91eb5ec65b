"""Spatial geometry in RDF: a bounding box and a centroid, as GeoDCAT-AP and DCAT 2 write them.

``dcat:bbox`` and ``dcat:centroid`` are WKT (``gsp:wktLiteral``), ``locn:geometry`` the same
box in GeoJSON (``gsp:geoJSONLiteral``): one of each, as the DCAT-AP shapes allow. A
country's geometry sits on its concept (from the vocabulary's ``cat:bbox`` and
``cat:centroid``); a steward's bounding box on the dataset's own location node
``{dataset}#location``, which :mod:`catalogue.dcat.reverse` reads back.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.term import Node

from catalogue.dcat.namespaces import DCAT, DCT, GSP, LOCN, RDF
from catalogue.dcat.triples import Triple
from catalogue.domain.geometry import Box, parse_bbox, parse_point, point_wkt
from catalogue.vocabularies import default_vocabularies

WKT, GEOJSON = GSP.wktLiteral, GSP.geoJSONLiteral


def location_node(dataset: Node) -> URIRef:
    return URIRef(f"{dataset}#location")


def geometry_triples(
    node: URIRef, box: Box, centre: tuple[float, float] | None
) -> Iterable[Triple]:
    yield node, DCAT.bbox, Literal(box.wkt(), datatype=WKT)
    yield node, DCAT.centroid, Literal(point_wkt(centre or box.centre), datatype=WKT)
    yield node, LOCN.geometry, Literal(box.geojson(), datatype=GEOJSON)


def country_geometry(code: str) -> tuple[Box, tuple[float, float] | None] | None:
    """The box and centre the country vocabulary knows for ``code`` (None when it knows none)."""
    concept = default_vocabularies()["countries"].get(code)
    text = concept.flags.get("bbox") if concept else None
    if not isinstance(text, str):
        return None
    try:
        box = parse_bbox(text)
    except ValueError:
        return None
    centroid = concept.flags.get("centroid") if concept else None
    return box, parse_point(centroid) if isinstance(centroid, str) else None


def location_triples(iri: URIRef, code: str, steward_box: str | None) -> Iterable[Triple]:
    """A country concept's geometry (``steward_box`` is None) from the vocabulary."""
    found = country_geometry(code)
    if found is not None and steward_box is None:
        yield from geometry_triples(iri, *found)


def dataset_geometry(dataset: URIRef, bounding_box: str | None) -> Iterable[Triple]:
    """The steward's bounding box on the dataset's own ``dct:Location``."""
    if not bounding_box:
        return
    try:
        box = parse_bbox(bounding_box)
    except ValueError:  # checked on save; a record stored around the rules is left out
        return
    node = location_node(dataset)
    yield dataset, DCT.spatial, node
    yield node, RDF.type, DCT.Location
    yield from geometry_triples(node, box, None)


def read_bounding_box(graph: object, dataset: Node) -> str | None:
    """The steward's box back from ``{dataset}#location`` (the inverse of the above)."""
    from catalogue.domain.geometry import Box as _Box

    value = graph.value(location_node(dataset), DCAT.bbox)  # type: ignore[attr-defined]
    if value is None:
        return None
    numbers = str(value).removeprefix("POLYGON((").removesuffix("))").replace(",", " ").split()
    try:
        xs, ys = [float(v) for v in numbers[0::2]], [float(v) for v in numbers[1::2]]
    except ValueError:
        return None
    if not xs or len(xs) != len(ys):
        return None
    return _Box(min(xs), min(ys), max(xs), max(ys)).text
