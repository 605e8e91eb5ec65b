"""Which file formats and media types are open and machine-readable: our own judgement.

data.europa.eu keeps two lists of EU file types (non-proprietary, machine-readable); these
are written for this catalogue from the EU file-type codes and IANA media types its
distributions use. A format counts as non-proprietary when its specification is open and
free to implement (an open standard or a published, royalty-free specification), and as
machine-readable when a program can read its records without guessing (not a page, an
image, a document layout or a bare archive).
"""

from __future__ import annotations

NON_PROPRIETARY_FORMATS = frozenset(
    {
        "ATOM",
        "CSV",
        "TSV",
        "TXT",
        "JSON",
        "JSON_LD",
        "GEOJSON",
        "XML",
        "SCHEMA_XML",
        "XHTML",
        "XHTML5",
        "HTML",
        "HTML5",
        "RDF",
        "RDFA",
        "RDF_XML",
        "RDF_TURTLE",
        "RDF_N_TRIPLES",
        "RDF_N_QUADS",
        "RDF_TRIG",
        "RDF_TRIX",
        "N3",
        "OWL",
        "SKOS_XML",
        "SPARQLQ",
        "SPARQLQRES",
        "GML",
        "GPKG",
        "KML",
        "KMZ",
        "GTFS",
        "NETCDF",
        "HDF",
        "SDMX",
        "ODS",
        "ODT",
        "ODP",
        "ODG",
        "ODF",
        "PDFA1A",
        "PDFA1B",
        "PDFA2A",
        "PDFA2B",
        "PDFA3",
        "PNG",
        "SVG",
        "GEOTIFF",
        "TIFF",
        "JPEG2000",
        "WMS_SRVC",
        "WFS_SRVC",
        "WCS_SRVC",
        "YAML",
        "ICS",
        "RSS",
        "LAS",
        "LAZ",
        "GZIP",
        "ZIP",
        "TAR",
        "TAR_GZ",
        "TAR_XZ",
        "BZIP2",
        "XZ",
        "7Z",
        "SQL",
        "GRID_ASCII",
    }
)

MACHINE_READABLE_FORMATS = frozenset(
    {
        "ATOM",
        "CSV",
        "TSV",
        "JSON",
        "JSON_LD",
        "GEOJSON",
        "XML",
        "SCHEMA_XML",
        "RDF",
        "RDFA",
        "RDF_XML",
        "RDF_TURTLE",
        "RDF_N_TRIPLES",
        "RDF_N_QUADS",
        "RDF_TRIG",
        "RDF_TRIX",
        "N3",
        "OWL",
        "SKOS_XML",
        "SPARQLQRES",
        "GML",
        "GPKG",
        "KML",
        "KMZ",
        "GTFS",
        "NETCDF",
        "HDF",
        "SDMX",
        "ODS",
        "XLS",
        "XLSX",
        "XLSB",
        "XLSM",
        "SHP",
        "DBF",
        "GEOTIFF",
        "GRID_ASCII",
        "LAS",
        "LAZ",
        "YAML",
        "ICS",
        "RSS",
        "MDB",
        "SQL",
        "WFS_SRVC",
        "WCS_SRVC",
        "DXF",
        "DWG",
    }
)

# Media types by what they are, for a distribution that gives no format.
NON_PROPRIETARY_MEDIA_TYPES = frozenset(
    {
        "text/csv",
        "text/tab-separated-values",
        "text/plain",
        "text/html",
        "application/json",
        "application/ld+json",
        "application/geo+json",
        "application/xml",
        "text/xml",
        "application/rdf+xml",
        "text/turtle",
        "application/n-triples",
        "application/n-quads",
        "application/trig",
        "application/gml+xml",
        "application/geopackage+sqlite3",
        "application/vnd.google-earth.kml+xml",
        "application/netcdf",
        "application/x-netcdf",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.text",
        "application/atom+xml",
        "application/rss+xml",
        "image/png",
        "image/svg+xml",
        "image/tiff",
        "application/zip",
        "application/gzip",
        "application/yaml",
        "text/calendar",
        "application/sparql-results+json",
        "application/sparql-results+xml",
    }
)

MACHINE_READABLE_MEDIA_TYPES = frozenset(
    {
        "text/csv",
        "text/tab-separated-values",
        "application/json",
        "application/ld+json",
        "application/geo+json",
        "application/xml",
        "text/xml",
        "application/rdf+xml",
        "text/turtle",
        "application/n-triples",
        "application/n-quads",
        "application/trig",
        "application/gml+xml",
        "application/geopackage+sqlite3",
        "application/vnd.google-earth.kml+xml",
        "application/netcdf",
        "application/x-netcdf",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/atom+xml",
        "application/rss+xml",
        "application/yaml",
        "text/calendar",
        "application/sparql-results+json",
        "application/sparql-results+xml",
    }
)

IANA_TOP_LEVEL = frozenset(
    {
        "application",
        "audio",
        "font",
        "haptics",
        "image",
        "message",
        "model",
        "multipart",
        "text",
        "video",
    }
)


def iana_media_type(media_type: str | None) -> bool:
    """A media type as IANA registers them: a known top-level type and a subtype that is
    not an unregistered ``x-`` one (``application/x-netcdf`` is not registered)."""
    if not media_type:
        return False
    top, slash, subtype = media_type.strip().lower().partition("/")
    return bool(slash and subtype) and top in IANA_TOP_LEVEL and not subtype.startswith("x-")


def _media(media_type: str | None) -> str:
    return (media_type or "").split(";")[0].strip().lower()


def non_proprietary(file_format: str | None, media_type: str | None) -> bool:
    return (file_format or "") in NON_PROPRIETARY_FORMATS or (
        _media(media_type) in NON_PROPRIETARY_MEDIA_TYPES
    )


def machine_readable(file_format: str | None, media_type: str | None) -> bool:
    return (file_format or "") in MACHINE_READABLE_FORMATS or (
        _media(media_type) in MACHINE_READABLE_MEDIA_TYPES
    )
