"""The OpenAPI document is typed: component schemas for every body, one error body, the real
4xx statuses and media types, and every documented example conforms to its schema."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import PROJECT_ROOT

METHODS = ("get", "post", "put", "patch", "delete")
RDF_TYPES = {"text/turtle", "application/rdf+xml", "application/ld+json", "application/n-triples"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    from catalogue.app import create_app

    return create_app(prepare=False, pool=False).openapi_schema.to_schema()


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield method.upper(), path, item[method]


def validate(document: dict[str, Any], schema: dict[str, Any], instance: Any) -> None:
    """Validate against a schema of the document (its ``#/components/...`` refs resolve)."""
    rooted = {**schema, "components": document["components"]}
    jsonschema.Draft202012Validator(rooted).validate(instance)


def test_the_dataset_document_and_every_body_are_component_schemas(document):
    schemas = document["components"]["schemas"]
    for name in (
        "DatasetDocument",
        "DatasetResource",
        "DatasetList",
        "ErrorBody",
        "ProblemItem",
        "AgreementDocument",
        "AgreementResource",
        "OrganisationDocument",
        "SearchResults",
    ):
        assert name in schemas, name
    assert len(schemas) >= 60


def test_no_request_or_success_body_is_an_untyped_object(document):
    untyped = []
    for method, path, operation in operations(document):
        bodies = [("request", operation.get("requestBody", {}).get("content", {}))]
        bodies += [
            (status, response.get("content") or {})
            for status, response in operation["responses"].items()
            if status.startswith("2")
        ]
        for where, content in bodies:
            for media, entry in content.items():
                schema = entry.get("schema", {})
                if not ({"$ref", "allOf", "oneOf", "properties", "type"} & set(schema)) or (
                    schema.get("type") == "object"
                    and not schema.get("properties")
                    and media != "application/ld+json"
                ):
                    untyped.append(f"{method} {path} {where} {media}: {schema}")
    assert not untyped, "\n".join(untyped)


def test_every_json_error_of_the_api_is_the_one_error_body(document):
    for method, path, operation in operations(document):
        if path.startswith(("/api/3/action", "/api/action")):
            continue  # CKAN's own envelope, documented apart
        errors = {s: r for s, r in operation["responses"].items() if s.startswith("4")}
        assert "400" in errors, f"{method} {path}"
        for status, response in errors.items():
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, status)


def test_every_operation_documents_the_request_limits(document):
    """A query string over the limit is a 414 anywhere, a body over it a 413 (issue 10)."""
    for method, path, operation in operations(document):
        assert "414" in operation["responses"], f"{method} {path}"
        if "requestBody" in operation:
            assert "413" in operation["responses"], f"{method} {path}"


def test_operations_document_the_statuses_they_answer(document):
    responses = {(m, p): set(op["responses"]) for m, p, op in operations(document)}
    assert {"201", "401", "403", "409", "422"} <= responses[("POST", "/api/v1/datasets")]
    assert {"412", "428", "404", "422"} <= responses[("PATCH", "/api/v1/datasets/{slug}")]
    assert {"401", "403"} <= responses[("GET", "/api/v1/audit")]
    assert {"429", "401"} <= responses[("POST", "/api/v1/tokens")]
    assert {"400", "404", "409"} <= responses[("GET", "/api/3/action/{name}")]


def test_rdf_and_csv_are_documented_with_their_media_types(document):
    paths = document["paths"]
    for path in ("/catalog", "/catalog.ttl", "/dataset/{slug}/agreements.ttl"):
        content = paths[path]["get"]["responses"]["200"]["content"]
        # the catalogue files include ckanext-dcat's .n3 (Turtle sent as text/n3)
        extra = {"text/n3"} if path == "/catalog.ttl" else set()
        assert set(content) == RDF_TYPES | extra, path
    assert set(paths["/api/v1/validate"]["post"]["requestBody"]["content"]) == RDF_TYPES
    ropa = paths["/api/v1/ropa"]["get"]["responses"]["200"]["content"]
    assert set(ropa) == {"application/json", "text/csv"}


def _examples(node: Any, schema_of: dict[str, Any] | None = None) -> Iterator[tuple[Any, Any]]:
    """(schema, example) for every example in the document: in schemas, media types and
    parameters."""
    if isinstance(node, dict):
        if isinstance(node.get("examples"), list) and (
            "type" in node or "allOf" in node or "$ref" in node or "properties" in node
        ):
            for example in node["examples"]:
                yield node, example
        if "schema" in node and isinstance(node.get("examples"), dict):
            for example in node["examples"].values():
                yield node["schema"], example["value"]
        for key, value in node.items():
            if key != "examples":
                yield from _examples(value)
    elif isinstance(node, list):
        for value in node:
            yield from _examples(value)


def test_every_example_in_the_document_conforms_to_its_schema(document):
    examples = list(_examples(document))
    assert len(examples) >= 5
    for schema, example in examples:
        cleaned = {key: value for key, value in schema.items() if key != "examples"}
        validate(document, cleaned, example)


def _request_schema(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    operation = document["paths"][path][method.lower()]
    return operation["requestBody"]["content"]["application/json"]["schema"]


def test_the_readme_examples_conform_to_the_schemas(document):
    readme = (PROJECT_ROOT / "README.md").read_text()
    calls = [
        call.groups()
        for command in readme.split("curl ")[1:]
        if (
            call := re.match(
                r"-s (?:-X (\w+) )?\S*?(/api/v1/[\w/-]+)[^@]*?-d '(\{.*?\})'", command, flags=re.S
            )
        )
    ]
    assert len(calls) >= 2
    for method, path, body in calls:
        template = re.sub(r"/api/v1/datasets/[\w-]+$", "/api/v1/datasets/{slug}", path)
        validate(document, _request_schema(document, method or "POST", template), json.loads(body))
    problem = re.search(r'(\{"field": "technical[^}]*\})', readme.replace("\n", " "))
    assert problem
    validate(
        document,
        {"$ref": "#/components/schemas/ProblemItem"},
        json.loads(re.sub(r"\s+", " ", problem.group(1))),
    )


@pytest.mark.parametrize(
    "path", sorted((PROJECT_ROOT / "seed" / "datasets").glob("*.json")), ids=lambda p: p.stem
)
def test_every_seed_dataset_conforms_to_the_documented_dataset_document(document, path: Path):
    validate(
        document, {"$ref": "#/components/schemas/DatasetDocument"}, json.loads(path.read_text())
    )
