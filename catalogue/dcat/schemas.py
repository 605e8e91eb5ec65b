"""The DCAT-AP feed's parameters and media types, and the validation report, for OpenAPI."""

from __future__ import annotations

from litestar.enums import ParamType
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Parameter, Schema
from litestar.openapi.spec.enums import OpenAPIType
from pydantic import Field

from catalogue.dcat.web import FORMATS
from catalogue.web.openapi import Body, errors, text_content

FEED_PARAMS = (
    "page",
    "after",
    "modified_since",
    "q",
    "theme",
    "classification",
    "publisher",
    "fq",
    "sort",
    "profile",
)

_FEED_PARAMETER_SCHEMAS = {
    "page": (Schema(type=OpenAPIType.INTEGER, minimum=1), "100 datasets a page, oldest first"),
    "after": (Schema(type=OpenAPIType.STRING), "The position hydra:next gives (a seek key)"),
    "modified_since": (Schema(type=OpenAPIType.STRING), "ISO 8601 date or date-time"),
    "q": (Schema(type=OpenAPIType.STRING), "A search query"),
    "theme": (Schema(type=OpenAPIType.STRING), "An EU data theme code, e.g. ECON"),
    "classification": (
        Schema(type=OpenAPIType.STRING, enum=["open", "closed", "personal"]),
        "open, closed or personal",
    ),
    "publisher": (Schema(type=OpenAPIType.STRING), "An organisation's slug"),
    "fq": (
        Schema(type=OpenAPIType.STRING),
        "CKAN's filter query, as ckanext-dcat passes it (organization:police, "
        "res_format:CSV, groups:envi, metadata_modified:[2024-01-01T00:00:00Z TO *])",
    ),
    "sort": (
        Schema(type=OpenAPIType.STRING),
        "CKAN's sort: metadata_modified desc, metadata_created asc, title_string asc, name asc",
    ),
    "profile": (
        Schema(type=OpenAPIType.STRING, enum=["dcat_ap_3", "dcat_ap_2"]),
        "The RDF profile: dcat_ap_3 (DCAT-AP 3.0.1, the default) or dcat_ap_2 "
        "(DCAT-AP 2.1.1); ckanext-dcat's names",
    ),
}
FEED_PARAMETERS = [
    Parameter(name=name, param_in=ParamType.QUERY, required=False, schema=schema, description=text)
    for name, (schema, text) in _FEED_PARAMETER_SCHEMAS.items()
]

RDF_CONTENT: dict[str, Schema] = {
    media_type: (
        Schema(type=OpenAPIType.OBJECT, description="DCAT-AP in JSON-LD (with an @context)")
        if media_type == "application/ld+json"
        else text_content(f"DCAT-AP in {rdflib_format}")
    )
    for rdflib_format, media_type in FORMATS.values()
}
"""Turtle, RDF/XML and N-Triples bodies (text) and JSON-LD (a JSON object)."""
FEED_CONTENT: dict[str, Schema] = {
    **RDF_CONTENT,
    "text/n3": text_content("DCAT-AP in Turtle, as ckanext-dcat's .n3"),
}
"""What the feed answers: the RDF formats and ckanext-dcat's ``.n3`` (Turtle as text/n3)."""

RDF_RESPONSES: dict[int, ResponseSpec] = {
    **errors(),
    304: ResponseSpec(None, description="Not modified (If-None-Match or If-Modified-Since)"),
}
NEGOTIATED_RDF_RESPONSES: dict[int, ResponseSpec] = {
    **RDF_RESPONSES,
    303: ResponseSpec(None, description="A browser (Accept: text/html) is sent to the home page"),
}


class Finding(Body):
    severity: str = Field(description="violation or warning")
    focus_node: str
    path: str | None
    message: str
    value: str | None
    field: str | None = Field(description="The dataset field it concerns, when known")


class Summary(Body):
    violations: int = Field(ge=0)
    warnings: int = Field(ge=0)


class ValidationReport(Body):
    conforms: bool
    summary: Summary
    violations: list[Finding]
    warnings: list[Finding]
