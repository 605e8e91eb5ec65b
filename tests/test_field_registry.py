"""The field registry: every field of the document is declared, and every layer covers it.

A field the form, the CKAN package, the facets, the page or the DCAT mapping forgets fails
here: each layer handles a declared field generically, or the field names the module that
handles it (and that module mentions it), or says why the layer leaves it out. The generic
handling is checked for real, field by field, on a document that fills every plain field.
These tests need no database.
"""

from __future__ import annotations

import importlib
import json
import types
import typing
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from rdflib import URIRef

from catalogue.ckan.package import PackageContext, package_dict
from catalogue.datasets.queries import DatasetRecord
from catalogue.dcat.mapping import DatasetContext, dataset_graph, dataset_iri
from catalogue.dcat.reverse import document_from_graph
from catalogue.domain.codes import CONTROLLED_FIELDS
from catalogue.domain.dataset import DatasetDocument
from catalogue.domain.fields import BY_PATH, FACETS, FIELDS, facets_of, generic
from catalogue.domain.fieldspec import DCAT_AP, LAYERS, Field
from catalogue.domain.paths import attribute, put
from catalogue.search.schema import FACET_FIELDS, facet_values, schema
from catalogue.ui.dataset_view import page_rows
from catalogue.ui.forms.mapping import all_specs, document_to_form, form_to_document
from catalogue.ui.rendering import template_environment
from catalogue.ui.search_view import FACETS as SEARCH_PAGE_FACETS
from tests.factories import open_dataset

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://data.example.si"
CONTROLLED_KINDS = {"code", "codes", "flag", "choice", "slug"}
"""Kinds whose values a visitor could filter on: the search layer must say what it does."""


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model an annotation holds directly (not inside a list), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        models = [m for arg in typing.get_args(annotation) if (m := _model_of(arg))]
        return models[0] if models else None
    return None


def document_paths(model: type[BaseModel] = DatasetDocument, prefix: str = "") -> list[str]:
    """Every field of the document model, down to the registry's declarations."""
    paths = []
    for name, info in model.model_fields.items():
        path = prefix + name
        nested = _model_of(info.annotation)
        if path in BY_PATH or nested is None:
            paths.append(path)
        else:
            paths.extend(document_paths(nested, path + "."))
    return paths


def test_every_field_of_the_document_model_is_declared_once() -> None:
    undeclared = [path for path in document_paths() if path not in BY_PATH]
    assert undeclared == [], f"declare these in catalogue/domain/fields.py: {undeclared}"
    assert len(BY_PATH) == len(FIELDS), "a field is declared twice"


def test_every_declaration_is_a_field_of_the_document_model() -> None:
    assert sorted(set(BY_PATH) - set(document_paths())) == []


def _covered(field: Field, layer: str) -> bool:
    if layer == "search":
        return (
            bool(facets_of(field.path))
            or layer in field.custom
            or layer in field.never
            or field.kind not in CONTROLLED_KINDS
        )
    return field.generic(layer) or layer in field.custom or layer in field.never  # type: ignore[arg-type]


@pytest.mark.parametrize("layer", LAYERS)
def test_every_layer_covers_every_field(layer: str) -> None:
    missing = [field.path for field in FIELDS if not _covered(field, layer)]
    assert missing == [], f"the {layer} layer neither handles nor names a handler for {missing}"


def _module_text(name: str) -> str:
    name = name.split(" (", 1)[0].strip()
    if "/" in name:
        return (ROOT / name).read_text()
    module = importlib.import_module(name)
    return Path(module.__file__ or "").read_text()


@pytest.mark.parametrize("field", [f for f in FIELDS if f.custom], ids=lambda f: f.path)
def test_each_module_named_as_handler_exists_and_handles_the_field(field: Field) -> None:
    for modules in field.custom.values():
        for module in modules.split(", "):
            assert field.name in _module_text(module), f"{module} does not handle {field.path}"


def test_every_controlled_field_is_checked_against_its_vocabulary() -> None:
    for field in FIELDS:
        if field.vocabulary and field.kind in {"code", "codes"}:
            path = field.path + ("[]" if field.kind == "codes" else "")
            assert CONTROLLED_FIELDS[path] == field.vocabulary


def test_facets_come_from_declared_fields_and_reach_every_layer() -> None:
    declared = {path.split("[]", 1)[0] for facet in FACETS for path in facet.paths}
    for path in declared:
        assert any(path == field or path.startswith(field + ".") for field in BY_PATH), path
    assert tuple(facet.name for facet in FACETS) == FACET_FIELDS
    assert set(FACET_FIELDS) <= set(schema().names())
    assert list(SEARCH_PAGE_FACETS) == list(FACET_FIELDS)


# --- the generic handling, field by field ---------------------------------------------------


SAMPLES = {"technical.bounding_box": "13.38,45.42,16.61,46.88"}  # text with a format


def sample_value(field: Field, vocabularies: Any) -> Any:
    """A valid value of the field's kind (the first concept, for a vocabulary)."""
    if field.path in SAMPLES:
        return SAMPLES[field.path]
    known = field.vocabulary in set(vocabularies.keys())
    first = sorted(vocabularies[field.vocabulary].concepts)[0] if known else "NATIONAL_ID"
    return {
        "langtext": {"en": f"Sample {field.name}", "sl": f"Vzorec {field.name}"},
        "text": f"sample-{field.name}",
        "duration": "P1D",
        "code": first,
        "codes": [first],
        "strings": [f"sample-{field.name}"],
        "urls": [f"https://example.org/standard/{field.name}"],
        "slugs": ["another-dataset"],
        "flag": True,
    }[field.kind]


PLAIN = [f for f in FIELDS if f.kind not in {"object", "objects", "choice", "slug"}]


@pytest.fixture
def sample(vocabularies: Any) -> DatasetDocument:
    """An open dataset with every plain field filled."""
    raw = open_dataset()
    for field in PLAIN:
        put(raw, field.path, sample_value(field, vocabularies))
    return DatasetDocument.model_validate(raw).with_generated_ids()


def test_the_sample_fills_every_plain_field(sample: DatasetDocument) -> None:
    assert all(attribute(sample, field.path) for field in PLAIN)


@pytest.mark.parametrize("field", generic("dcat"), ids=lambda f: f.path)
def test_each_plain_field_goes_out_in_dcat_and_comes_back(
    field: Field, sample: DatasetDocument, vocabularies: Any
) -> None:
    context = DatasetContext(base_url=BASE, languages=("en", "sl"))
    graph = dataset_graph(sample, context, vocabularies)
    subject = dataset_iri(BASE, sample.slug)
    assert (subject, URIRef(field.rdf[DCAT_AP].predicate), None) in graph
    back = document_from_graph(graph, subject, vocabularies, BASE)
    value = attribute(back, field.path)
    expected = attribute(sample, field.path)
    assert (sorted(value) if isinstance(value, list) else value) == (
        sorted(expected) if isinstance(expected, list) else expected
    )


def _record(document: DatasetDocument) -> DatasetRecord:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return DatasetRecord(uuid.uuid4(), 1, now, now, now, "Ministry", document)


@pytest.mark.parametrize("field", generic("ckan"), ids=lambda f: f.path)
def test_each_plain_field_is_in_the_ckan_package(field: Field, sample: DatasetDocument) -> None:
    context = PackageContext(base_url=BASE, language="en", organisations={})
    package = package_dict(_record(sample), context)
    extras = {extra["key"]: extra["value"] for extra in package["extras"]}
    for ckan in field.ckan:
        value = package[ckan.key] if ckan.core else extras.get(ckan.key)
        assert value, f"{ckan.key} is empty"
        if ckan.encoding in {"iris", "json"} and value:
            assert isinstance(json.loads(value), list)


@pytest.mark.parametrize("facet", FACETS, ids=lambda f: f.name)
def test_each_facet_is_indexed_from_its_paths(facet: Any, sample: DatasetDocument) -> None:
    values = facet_values(sample.model_dump(mode="json"))
    assert values[facet.name], f"no value for the {facet.name} facet"


def test_the_form_has_a_control_for_each_plain_field_and_keeps_its_value(
    sample: DatasetDocument,
) -> None:
    paths = {spec.path for spec in all_specs()}
    for field in generic("form"):
        assert field.path in paths, f"the form has no control for {field.path}"
    raw = sample.model_dump(mode="json")
    again = form_to_document(document_to_form(raw))
    for field in generic("form"):
        assert attribute(DatasetDocument.model_validate(again), field.path) == attribute(
            sample, field.path
        ), field.path


def test_the_page_shows_each_plain_field_with_its_label(sample: DatasetDocument) -> None:
    environment = template_environment()
    template = environment.from_string(
        '{% import "partials/fields.html" as fields %}{{ fields.row(row) }}'
    )
    shown = {row.path: row for rows in page_rows(sample).values() for row in rows}
    dataset_html = (ROOT / "ui" / "templates" / "dataset.html").read_text()
    for field in generic("page"):
        assert field.path in shown, f"the page has no row for {field.path}"
        html = template.render(row=shown[field.path], lang="en")
        assert f"<dt>{field.display().label}</dt>" in html, field.path
    for level in ("technical", "semantic", "organisational", "legal"):
        assert f"rows.{level}" in dataset_html


def test_the_search_api_documents_a_filter_for_every_facet() -> None:
    from catalogue.app import create_app

    operation = create_app().openapi_schema.to_schema()["paths"]["/api/v1/search"]["get"]
    names = [parameter["name"] for parameter in operation["parameters"]]
    assert [name for name in names if name in FACET_FIELDS] == list(FACET_FIELDS)
