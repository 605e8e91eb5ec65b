"""CKAN's envelope and data dict, as OpenAPI documents them (hand-written: ``__type`` is no
Python name, and the data dict is read by the handler from the query, a JSON body or a form)."""

from __future__ import annotations

from litestar.enums import ParamType
from litestar.openapi.spec import Parameter, Schema
from litestar.openapi.spec.enums import OpenAPIType

_TEXT = Schema(type=OpenAPIType.STRING)
_INTEGER = Schema(type=OpenAPIType.INTEGER, minimum=0)
_BOOLEAN = Schema(type=OpenAPIType.STRING, enum=["true", "false"])

DATA_DICT_FIELDS: dict[str, tuple[Schema, str]] = {
    "id": (_TEXT, "package_show, organization_show, group_show, resource_show"),
    "q": (_TEXT, "package_search: the query"),
    "fq": (_TEXT, "package_search: filters, e.g. organization:police"),
    "rows": (_INTEGER, "package_search: at most 1000"),
    "start": (_INTEGER, "package_search: offset"),
    "sort": (_TEXT, "package_search: e.g. metadata_modified desc"),
    "facet.field": (_TEXT, 'package_search: a JSON list, e.g. ["tags"]'),
    "facet.limit": (_INTEGER, "package_search"),
    "limit": (_INTEGER, "package_list"),
    "offset": (_INTEGER, "package_list"),
    "all_fields": (_BOOLEAN, "organization_list, group_list"),
    "include_datasets": (_BOOLEAN, "organization_show, group_show"),
    "include_dataset_count": (_BOOLEAN, "organization_list, group_list"),
    "name": (_TEXT, "help_show: the action"),
}

DATA_DICT = Schema(
    type=OpenAPIType.OBJECT,
    description="CKAN's data dict: the action's parameters",
    properties={name: schema for name, (schema, _) in DATA_DICT_FIELDS.items()},
)

QUERY_PARAMETERS = [
    Parameter(name=name, param_in=ParamType.QUERY, required=False, schema=schema, description=text)
    for name, (schema, text) in DATA_DICT_FIELDS.items()
]

SUCCESS = Schema(
    type=OpenAPIType.OBJECT,
    required=["help", "success", "result"],
    properties={
        "help": Schema(type=OpenAPIType.STRING, description="help_show for this action"),
        "success": Schema(type=OpenAPIType.BOOLEAN, const=True),
        "result": Schema(description="The action's result"),
    },
)

FAILURE = Schema(
    type=OpenAPIType.OBJECT,
    required=["help", "success", "error"],
    properties={
        "help": Schema(type=OpenAPIType.STRING),
        "success": Schema(type=OpenAPIType.BOOLEAN, const=False),
        "error": Schema(
            type=OpenAPIType.OBJECT,
            required=["__type"],
            description="CKAN's error: __type, and a message or, for a Validation Error, "
            "each field with its messages",
            properties={
                "__type": Schema(
                    type=OpenAPIType.STRING,
                    enum=[
                        "Bad Request",
                        "Not Found Error",
                        "Authorization Error",
                        "Validation Error",
                        "Search Query Error",
                    ],
                ),
                "message": Schema(type=OpenAPIType.STRING),
            },
        ),
    },
)

FAILURE_STATUSES = {
    "400": "Unknown action or unreadable data dict (Bad Request)",
    "403": "Authorization Error: a bad token",
    "404": "Not Found Error",
    "409": "Validation Error or Search Query Error",
    "413": "Bad Request: the body is over the limit",
    "414": "Bad Request: the query string is over the limit",
}

VERSION = Schema(
    type=OpenAPIType.OBJECT,
    required=["version"],
    properties={"version": Schema(type=OpenAPIType.INTEGER, const=3)},
)
