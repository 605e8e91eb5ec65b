"""``/api/3/action/{name}`` and ``/api/action/{name}``: CKAN's Action API over HTTP.

Thin: read the data dict (query string, JSON body or form), find who is calling, run the
action, and wrap the outcome in CKAN's envelope. Every failure is answered in that envelope
with CKAN's ``__type`` (so ``ckanapi`` raises NotFound, ValidationError ...), never a 500
page and never a redirect.
"""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any

from litestar import MediaType, Request, Response, Router, get, post
from litestar.exceptions import HTTPException
from litestar.params import PathParameter
from litestar.serialization import encode_json

from catalogue.accounts.principal import Principal
from catalogue.accounts.service import principal_for_token
from catalogue.ckan.actions import ACTIONS, KEPT_ROWS, ActionContext
from catalogue.ckan.errors import (
    AuthorizationError,
    BadRequest,
    CkanError,
    NotFoundError,
    ValidationError,
)
from catalogue.ckan.schemas import (
    DATA_DICT,
    FAILURE,
    FAILURE_STATUSES,
    QUERY_PARAMETERS,
    SUCCESS,
    VERSION,
)
from catalogue.errors import CatalogueError, Forbidden, InvalidDocument, NotFound, Unauthorised
from catalogue.limits import LimitExceeded
from catalogue.search.service import generation as search_generation
from catalogue.ui.page_cache import kept_page
from catalogue.web.auth import current_principal
from catalogue.web.errors import LIMIT_STATUS
from catalogue.web.openapi import errors, with_content
from catalogue.web.state import settings_of

ActionName = Annotated[
    str,
    PathParameter(
        description="The action, e.g. package_search",
        schema_extra={"enum": sorted(ACTIONS)},
    ),
]

logger = logging.getLogger(__name__)


def _token(request: Request[Any, Any, Any]) -> str | None:
    """CKAN clients send the raw token in ``Authorization`` or ``X-CKAN-API-Key``; we also
    accept ``Authorization: Bearer <token>`` like the rest of the API."""
    header = request.headers.get("authorization", "").strip()
    if header:
        scheme, _, rest = header.partition(" ")
        if not rest:
            return scheme
        if scheme.lower() != "bearer" or not rest.strip():
            raise AuthorizationError("use 'Authorization: Bearer <token>' or the raw API token")
        return rest.strip()
    return request.headers.get("x-ckan-api-key", "").strip() or None


async def caller(request: Request[Any, Any, Any]) -> Principal | None:
    """The token's user, else the signed-in session, else anonymous; a bad token is a 403."""
    token = _token(request)
    if token is None:
        return await current_principal(request)
    principal = await principal_for_token(token)
    if principal is None:
        raise AuthorizationError("the API token is unknown or has been revoked")
    return principal


def _merge(target: dict[str, Any], pairs: list[tuple[str, Any]]) -> None:
    for key, value in pairs:
        if key in target:
            existing = target[key]
            target[key] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            target[key] = value


async def data_dict(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """CKAN's data dict: query parameters, overridden by a JSON object or form body."""
    data: dict[str, Any] = {}
    _merge(data, list(request.query_params.multi_items()))
    if request.method != "POST":
        return data
    body = await request.body()
    if not body.strip():
        return data
    content_type = request.headers.get("content-type", "").lower()
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form: dict[str, Any] = {}
        _merge(form, list((await request.form()).multi_items()))
        return {**data, **form}
    try:
        decoded = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest(f"JSON Error: {error}") from None
    if not isinstance(decoded, dict):
        raise BadRequest(
            f"Bad request data: Request data JSON decoded to {decoded!r:.80} but it needs "
            "to be a dictionary."
        )
    return {**data, **decoded}


def _as_ckan_error(error: Exception) -> CkanError:
    """The catalogue's own errors, in CKAN's types."""
    if isinstance(error, CkanError):
        return error
    if isinstance(error, InvalidDocument):
        fields: dict[str, list[str]] = {}
        for problem in error.problems:
            fields.setdefault(problem.field, []).append(problem.message)
        return ValidationError(fields)
    if isinstance(error, NotFound):
        return NotFoundError(error.message)
    if isinstance(error, Unauthorised | Forbidden):
        return AuthorizationError(error.message)
    if isinstance(error, CatalogueError):
        return ValidationError.one("request", error.message)
    assert isinstance(error, HTTPException)
    if error.status_code in {401, 403}:
        return AuthorizationError(str(error.detail))
    failure = BadRequest(str(error.detail))
    failure.status_code = error.status_code if 400 <= error.status_code < 500 else 400
    return failure


def envelope(
    request: Request[Any, Any, Any], name: str, status: int, body: dict[str, Any]
) -> Response[bytes]:
    help_url = f"{settings_of(request).base_url}/api/3/action/help_show?name={name}"
    return Response(
        encode_json({"help": help_url, **body}),
        status_code=status,
        media_type=MediaType.JSON,
        headers={"Cache-Control": "no-store"},
    )


CKAN_PATHS = ["/action/{name:str}", "/3/action/{name:str}"]
CKAN_RESPONSES: dict[str, Any] = {
    "200": {"application/json": SUCCESS},
    **{status: {"application/json": FAILURE} for status in FAILURE_STATUSES},
}
CKAN_DESCRIPTION = (
    "Every answer, failures too, is CKAN's envelope (`success`, `result` or `error`)."
)


@get(
    CKAN_PATHS,
    summary="CKAN Action API (read): package_search, package_show, organization_list ...",
    description="Parameters in the query string. " + CKAN_DESCRIPTION,
    operation_class=with_content(
        CKAN_RESPONSES, parameters=QUERY_PARAMETERS, descriptions=FAILURE_STATUSES
    ),
)
async def ckan_action(request: Request[Any, Any, Any], name: ActionName) -> Response[Any]:
    """Anonymous answers are kept per catalogue version and index snapshot (portals and
    people repeat the same searches): a repeated read costs two version reads."""
    if (
        name not in ACTIONS
        or any(request.headers.get(header) for header in ("authorization", "x-ckan-api-key"))
        or _large_window(request)
    ):
        return await run_action(request, name)
    return await kept_page(
        request,
        await current_principal(request),
        lambda: run_action(request, name),
        also=await search_generation(),
    )


def _large_window(request: Request[Any, Any, Any]) -> bool:
    """A harvester's window of more than ``KEPT_ROWS`` packages is read once: keeping it
    would push the pages people repeat out of the cache."""
    rows = request.query_params.get("rows", "")
    return rows.isdigit() and int(rows) > KEPT_ROWS


@post(
    CKAN_PATHS,
    status_code=200,
    summary="CKAN Action API (read), parameters in a JSON object or a form",
    description="Parameters in the body (or the query string). " + CKAN_DESCRIPTION,
    operation_class=with_content(
        CKAN_RESPONSES,
        request={"application/json": DATA_DICT, "application/x-www-form-urlencoded": DATA_DICT},
        descriptions=FAILURE_STATUSES,
    ),
)
async def ckan_action_post(request: Request[Any, Any, Any], name: ActionName) -> Response[Any]:
    return await run_action(request, name)


async def run_action(request: Request[Any, Any, Any], name: str) -> Response[Any]:
    """Run one CKAN action and answer in CKAN's envelope."""
    function = ACTIONS.get(name)
    try:
        if function is None:
            raise BadRequest(f"Action name not known: {name}")
        data = await data_dict(request)
        settings = settings_of(request)
        context = ActionContext(
            principal=await caller(request),
            base_url=settings.base_url,
            language=settings.default_language,
        )
        result = await function(data, context)
    except (CkanError, CatalogueError, HTTPException) as error:
        failure = _as_ckan_error(error)
        body = {"success": False, "error": failure.error_body()}
        return envelope(request, name, failure.status_code, body)
    except Exception:  # the envelope promise holds even for our own bugs; they are logged
        logger.exception("CKAN action %s failed", name)
        error_body = {"__type": "Internal Error", "message": "Internal Server Error"}
        return envelope(request, name, 500, {"success": False, "error": error_body})
    return envelope(request, name, 200, {"success": True, "result": result})


@get(
    ["/", "/3"],
    summary="CKAN API version",
    media_type=MediaType.JSON,
    responses=errors(),
    operation_class=with_content(
        {"200": {"application/json": VERSION}}, descriptions={"200": "The API version"}
    ),
)
async def ckan_api_version() -> dict[str, int]:
    """CKAN clients probe ``/api/3`` to learn the API version."""
    return {"version": 3}


def limit_in_envelope(request: Request[Any, Any, Any], error: LimitExceeded) -> Response[Any]:
    """A request over one of our limits (checked before the action runs), in CKAN's
    envelope as CKAN clients expect every answer of the Action API to be."""
    name = str(request.path_params.get("name", "")) if request.scope.get("path_params") else ""
    body = {
        "__type": "Bad Request",
        "message": f"{error.field}: {error.message}",
        "field": error.field,
        "limit": error.limit,
    }
    return envelope(
        request, name, LIMIT_STATUS.get(error.kind, 400), {"success": False, "error": body}
    )


ckan_router = Router(
    path="/api",
    route_handlers=[ckan_action, ckan_action_post, ckan_api_version],
    tags=["ckan"],
    exception_handlers={LimitExceeded: limit_in_envelope},
)
