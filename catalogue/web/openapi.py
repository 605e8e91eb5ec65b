"""The typed edge: how handlers declare the shapes of their bodies and errors in OpenAPI.

Handlers take and return plain ``dict`` bodies (the domain validates a document itself, so that
every problem is reported at once, with the catalogue's own messages), and declare the shape
they take or give with :class:`Shape`::

    DatasetBody = Annotated[dict[str, Any], Shape(DatasetDocument)]

:class:`ShapePlugin` documents such a field as the pydantic model's component schema. The shapes
are declarations; ``tests/test_fuzz.py`` checks every real response against them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, get_args, get_origin

from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    Example,
    OpenAPIMediaType,
    OpenAPIResponse,
    Operation,
    Parameter,
    RequestBody,
    Schema,
)
from litestar.openapi.spec.enums import OpenAPIType
from litestar.plugins import OpenAPISchemaPlugin
from litestar.typing import FieldDefinition
from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Body",
    "ErrorBody",
    "ProblemItem",
    "Shape",
    "ShapePlugin",
    "errors",
    "text_content",
    "with_content",
]


@dataclass(frozen=True)
class Shape:
    """``Annotated`` metadata: this ``dict`` body has the shape of ``model`` (``example``: a
    body that conforms, shown in the document and tried first by the robustness test)."""

    model: type[BaseModel]
    example: Any = None

    def __hash__(self) -> int:
        return hash(self.model)


class ShapePlugin(OpenAPISchemaPlugin):
    """Documents ``Annotated[dict[str, Any], Shape(Model)]`` as ``Model``'s component schema."""

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        return field_definition.has_metadata(Shape)

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Any:
        shape = next((m for m in field_definition.metadata if isinstance(m, Shape)), None)
        assert shape is not None
        schema = schema_creator.for_field_definition(FieldDefinition.from_annotation(shape.model))
        _refine(shape.model, schema_creator.schema_registry, set())
        if shape.example is None:
            return schema
        return Schema(all_of=[schema], examples=[shape.example])


def _refine(model: type[BaseModel], registry: Any, seen: set[type]) -> None:
    """Say two things Litestar leaves out of a model's component schema: unknown fields are
    refused (``extra="forbid"``), and a language map with ``min_length`` (``{"en": ...}``
    required) is an object of texts with that many entries, not the array Litestar says."""
    if model in seen:
        return
    seen.add(model)
    schema = registry.get_schema_for_field_definition(FieldDefinition.from_annotation(model))
    if model.model_config.get("extra") == "forbid":
        schema.additional_properties = False
    for name, info in model.model_fields.items():
        for nested in _models_in(info.annotation):
            _refine(nested, registry, seen)
        minimum = next((m.min_length for m in info.metadata if hasattr(m, "min_length")), None)
        sized_map = get_origin(info.annotation) is dict and minimum
        if sized_map and schema.properties and name in schema.properties:
            schema.properties[name] = Schema(
                type=OpenAPIType.OBJECT,
                additional_properties=Schema(type=OpenAPIType.STRING),
                min_properties=minimum,
                description=info.description,
            )


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in get_args(annotation) for model in _models_in(arg)]


class Body(BaseModel):
    """Base of the documented response shapes: a client may meet fields added later."""

    model_config = ConfigDict(extra="allow")


class ProblemItem(Body):
    """One problem with the request, named by its field path."""

    field: str = Field(description="The field path, e.g. technical.distributions[0].access_url")
    message: str = Field(description="What is wrong, in plain language")
    code: str = Field(description="A stable code for the kind of problem, e.g. missing")
    severity: str = Field(description="error or warning (warnings never block)")


ERROR_EXAMPLE: dict[str, Any] = {
    "status": 422,
    "title": "The data has problems",
    "detail": "1 problem(s) found; each one names its field",
    "problems": [
        {
            "field": "technical.distributions[0].access_url",
            "message": "must be an absolute http:// or https:// address",
            "code": "value_error",
            "severity": "error",
        }
    ],
}


class ErrorBody(Body):
    """Every error of the JSON API: the status, a title, what happened and, for bad input,
    every problem with the field it concerns."""

    status: int = Field(ge=400, le=599)
    title: str
    detail: str
    problems: list[ProblemItem] = Field(
        default_factory=list, description="Bad input: every problem, each naming its field"
    )
    current_revision: int | None = Field(
        default=None, description="412 only: the revision to send in If-Match after re-reading"
    )


ERROR_DESCRIPTIONS = {
    400: "Bad query parameters or an unreadable body; `problems` names each parameter",
    401: "No valid sign-in: the token is unknown or revoked, or the header is malformed",
    403: "Signed in, but not allowed to do this",
    404: "No such resource, or not one you may see",
    409: "Conflicts with what exists (e.g. a duplicate slug)",
    412: "Changed since you read it: `current_revision` is the one to read",
    413: "The request body is too large",
    414: "The query string is too long",
    415: "The body's media type is not one this operation reads",
    422: "The document has problems: `problems` names every field",
    428: "`If-Match` is required (send the ETag you read)",
    429: "Too many attempts; `Retry-After` says when to try again",
}


def errors(*statuses: int) -> dict[int, ResponseSpec]:
    """``responses=`` for the error statuses an operation really answers, one shared body.

    400 and 414 are always among them: any request may carry an unreadable parameter or go
    over a request limit (400 also replaces Litestar's own 400, whose body is not ours); an
    operation that reads a body names 413 too."""
    return {
        status: ResponseSpec(
            data_container=ErrorBody,
            description=ERROR_DESCRIPTIONS[status],
            generate_examples=False,
            examples=[Example(summary="A document with a bad address", value=ERROR_EXAMPLE)]
            if status == 422
            else None,
        )
        for status in sorted({400, 414, *statuses})
    }


def text_content(description: str = "") -> Schema:
    """A body that is text in some serialisation (RDF, CSV): documented as a string."""
    return Schema(type=OpenAPIType.STRING, description=description or None)


def with_content(
    responses: dict[str, dict[str, Schema]] | None = None,
    request: dict[str, Schema] | None = None,
    request_required: bool = False,
    parameters: list[Parameter] | None = None,
    descriptions: dict[str, str] | None = None,
    replace: bool = False,
) -> type[Operation]:
    """An ``operation_class`` adding what Litestar cannot infer: a response in several formats
    (``{"200": {"text/csv": schema}}``), a body or query parameters the handler reads itself.
    ``replace``: these media types instead of the inferred one (RDF instead of JSON)."""
    extra_responses = responses or {}

    @dataclass
    class _Operation(Operation):
        def __post_init__(self) -> None:
            self.responses = self.responses or {}
            for status, contents in extra_responses.items():
                response = self.responses.get(status)
                if not isinstance(response, OpenAPIResponse):
                    response = OpenAPIResponse(
                        description=(descriptions or {}).get(status, "See the operation")
                    )
                    self.responses[status] = response
                added = {media: OpenAPIMediaType(schema=s) for media, s in contents.items()}
                kept = {} if replace else (response.content or {})
                response.content = {**kept, **added} or None
            if parameters:
                self.parameters = [*(self.parameters or []), *parameters]
            if request:
                self.request_body = RequestBody(
                    content={media: OpenAPIMediaType(schema=s) for media, s in request.items()},
                    required=request_required,
                )

    return _Operation
