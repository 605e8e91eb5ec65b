"""What the stewards' pages share: who may use them, and the choice lists of the dataset form."""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.response import Redirect

from catalogue.accounts.principal import Principal
from catalogue.datasets.queries import DatasetRecord, get_record, identifier_schemes
from catalogue.domain.codes import DATA_TYPES
from catalogue.domain.dataset import Classification
from catalogue.errors import Forbidden
from catalogue.i18n import N_, translate
from catalogue.organisations.service import list_organisations
from catalogue.ui.forms.choice_lists import Choices, vocabulary_choices
from catalogue.vocabularies import default_vocabularies

CLASSES = tuple(item.value for item in Classification)
DEFAULT_ACCESS = {"open": "PUBLIC", "closed": "NON_PUBLIC", "personal": "RESTRICTED"}
DATA_TYPE_LABELS = {
    "string": N_("Short text"),
    "text": N_("Long text"),
    "integer": N_("Whole number"),
    "decimal": N_("Decimal number"),
    "boolean": N_("Yes or no"),
    "date": N_("Date"),
    "datetime": N_("Date and time"),
    "time": N_("Time of day"),
    "code": N_("Code from a list"),
    "identifier": N_("Identifier"),
    "geometry": N_("Shape or location"),
    "json": N_("Structured (JSON)"),
    "binary": N_("File or image"),
}
CLASS_HELP = {
    "open": N_("Anyone may use it: published with an open licence and a way to download it."),
    "closed": N_(
        "Not public, for reasons such as security or confidentiality; people can ask for access."
    ),
    "personal": N_("About identifiable people; the GDPR applies and access is restricted."),
}
CLASSIFICATION_NAMES = {
    "open": N_("Open data"),
    "closed": N_("Closed data"),
    "personal": N_("Personal data"),
}


def class_choices() -> list[tuple[str, str, str]]:
    """The three classifications with their names and what each means, translated."""
    return [
        (value, translate(CLASSIFICATION_NAMES[value]), translate(CLASS_HELP[value]))
        for value in CLASSES
    ]


class SignInRequired(Exception):
    """Raised inside a handler to send an anonymous browser to the sign-in page."""


def is_steward(principal: Principal) -> bool:
    return principal.is_admin or any(principal.has_role(org, "steward") for org in principal.roles)


def steward(principal: Principal | None) -> Principal:
    if principal is None:
        raise SignInRequired
    if not is_steward(principal):
        raise Forbidden("only data stewards and administrators register datasets")
    return principal


def to_signin(request: Request[Any, Any, Any], _: Exception) -> Response[Any]:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return Redirect(path=f"/signin?next={quote(target, safe='/')}", status_code=303)


async def editable(slug: str, principal: Principal | None) -> tuple[Principal, DatasetRecord]:
    """The steward and the dataset they may edit (else sign in, or 403)."""
    user = steward(principal)
    record = await get_record(slug, user)
    if not user.can_edit_datasets_of(record.publisher):
        raise Forbidden(f"only stewards of '{record.publisher}' may edit this dataset")
    return user, record


@cache
def _vocabulary_choices(lang: str) -> dict[str, list[tuple[str, str, str]]]:
    vocabularies = default_vocabularies()
    return {key: vocabulary_choices(vocabularies, key, lang) for key in vocabularies}


async def form_choices(principal: Principal, lang: str) -> Choices:
    """Every choice list the dataset form may show, translated."""
    organisations = await list_organisations()
    schemes = await identifier_schemes()
    return {
        **_vocabulary_choices(lang),
        "organisations": [
            (org["slug"], org["name"], "")
            for org in organisations
            if principal.can_edit_datasets_of(org["slug"])
        ],
        "all-organisations": [(org["slug"], org["name"], "") for org in organisations],
        "identifier-schemes": [(row["code"], row["label"], row["description"]) for row in schemes],
        "data-types": [
            (code, translate(DATA_TYPE_LABELS.get(code, code)), "") for code in DATA_TYPES
        ],
    }
