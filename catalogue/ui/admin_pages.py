"""``/admin``: the administrators' index, and what every administration page shares.

The pages themselves live with their domain (``accounts.user_pages``, ``organisations.pages``,
``datasets.scheme_pages``, ``webhooks.pages``, ``harvest.pages``); each is thin over the same
service as its API. Here: who may see them (anonymous browsers are sent to sign in, others
than administrators get the 403 page), the JSON twin's response, and the plain-language,
translated message shown beside a field for a problem the service reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from litestar import MediaType, Request, Response, Router, get
from litestar.types import ExceptionHandlersMap

from catalogue.accounts.principal import Principal
from catalogue.errors import Forbidden, Problem
from catalogue.i18n import N_, translate
from catalogue.ui.negotiation import wants_json
from catalogue.ui.rendering import NavItem, render
from catalogue.ui.steward_pages import SignInRequired, _to_signin
from catalogue.web.params import CurrentPrincipal

PATH = "/admin"
NAV_ITEMS = (
    NavItem(
        PATH,
        N_("Administration"),
        70,  # listed in catalogue.wiring
        visible=lambda principal: principal is not None and principal.is_admin,
    ),
)
SECTIONS = (
    (
        "/admin/users",
        N_("Users"),
        N_(
            "Create users, give them roles per organisation, disable them, revoke their API tokens."
        ),
    ),
    (
        "/admin/organisations",
        N_("Organisations"),
        N_("Create organisations and edit their description."),
    ),
    (
        "/admin/identifier-schemes",
        N_("Identifier schemes"),
        N_("The common identifiers datasets are joined on."),
    ),
    (
        "/harvest/sources",
        N_("Harvest sources"),
        N_("The catalogues this one takes in, and their jobs."),
    ),
    ("/admin/webhooks", N_("Webhooks"), N_("Machines told when datasets or agreements change.")),
)

SLUG_MESSAGE = "may hold only lower-case letters"
_PLAIN: tuple[tuple[str, str], ...] = (
    ("is required", N_("Fill this in.")),
    ("must not be empty", N_("Fill this in.")),
    ("is too short", N_("This is too short.")),
    (
        "must be at least 10 characters long",
        N_("The password must be at least 10 characters long."),
    ),
    ("must be an e-mail address", N_("Enter an e-mail address such as name@example.si.")),
    ("an e-mail address may not", N_("Enter an e-mail address such as name@example.si.")),
    ("a web address may not", N_("Enter a web address that starts with http:// or https://.")),
    ("must be an absolute http", N_("Enter a web address that starts with http:// or https://.")),
    ("must not contain control characters", N_("Remove the invisible control characters.")),
    (
        "may hold only lower-case",
        N_("Use only lower-case letters, digits and single hyphens, such as tax-office."),
    ),
    ("must be one of", N_("Choose one of the options.")),
    ("must be empty, 'admin' or 'auditor'", N_("Choose one of the options.")),
    ("no organisation", N_("There is no such organisation.")),
    ("no other organisation", N_("Choose another existing organisation.")),
    ("is not an ADMS publisher type", N_("Choose one of the listed types.")),
    ("a user with the e-mail address", N_("A user with this e-mail address already exists.")),
    ("an organisation with the slug", N_("An organisation with this short name already exists.")),
    ("an identifier scheme", N_("An identifier scheme with this code already exists.")),
)


TOO_LONG = re.compile(r"is too long \(at most (\d+) characters\)")


def plain_message(message: str) -> str:
    """The service's message as a person reads it, in the page's language."""
    if found := TOO_LONG.match(message):
        limit = found.group(1)
        return translate(N_("This is too long: at most %(limit)s characters.")) % {"limit": limit}
    for start, plain in _PLAIN:
        if message.startswith(start):
            return translate(plain)
    return message


def field_errors(problems: Iterable[Problem], default: str) -> dict[str, str]:
    """Field name -> the first message for it (problems without a known field go to ``default``)."""
    errors: dict[str, str] = {}
    for problem in problems:
        name = problem.field.split("[", 1)[0].split(".", 1)[0]
        message = SLUG_MESSAGE if problem.code == "string_pattern_mismatch" else problem.message
        errors.setdefault(
            name if name and name != "(document)" else default, plain_message(message)
        )
    return errors


def admin(principal: Principal | None) -> Principal:
    """The administrator asking; sign in first, and no one else gets past (403)."""
    if principal is None:
        raise SignInRequired
    if not principal.is_admin:
        raise Forbidden("only an administrator may use the administration pages")
    return principal


def signed_in(principal: Principal | None) -> Principal:
    if principal is None:
        raise SignInRequired
    return principal


def json_twin(body: Any, status: int = 200) -> Response[Any]:
    return Response(body, status_code=status, media_type=MediaType.JSON, headers={"Vary": "Accept"})


@get(PATH, include_in_schema=False, name="admin:index")
async def admin_index(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    admin(principal)
    sections = [
        {"href": href, "title": translate(title), "text": translate(text)}
        for href, title, text in SECTIONS
    ]
    if wants_json(request):
        return json_twin({"items": [{"href": s["href"], "title": s["title"]} for s in sections]})
    return render(
        request,
        "admin/index.html",
        {"principal": principal, "sections": sections, "json_twin": f"{PATH}?format=json"},
    )


def admin_exception_handlers() -> ExceptionHandlersMap:
    """Every administration router's: an anonymous browser is sent to sign in."""
    return {SignInRequired: _to_signin}


admin_index_pages = Router(
    path="/",
    route_handlers=[admin_index],
    exception_handlers=admin_exception_handlers(),
    include_in_schema=False,
)
