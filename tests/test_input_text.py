"""Text that would break a page, a feed or one engine is refused at the door, the same on both.

E-mail addresses follow one rule everywhere; control characters (tab and new lines only in
multi-line text) are refused in every text field of every document with a 422 naming the field.
And should a bad record reach the database around these rules, the feed leaves it out.
"""

from __future__ import annotations

import datetime as dt
import json
import typing
import uuid
from typing import Any

import pytest
from pydantic import BaseModel

from catalogue.datasets.tables import Dataset
from catalogue.dcat import snapshot
from catalogue.domain import agreement, dataset, organisation, types
from catalogue.organisations.tables import Organisation
from tests.factories import PUBLISHER, changed, make_organisation, make_user, open_dataset

API = "/api/v1/datasets"
BAD_ADDRESSES = [
    'x"y@example.si',
    "x<y>@example.si",
    "a{b}@example.si",
    "a b@example.si",
    "a@b",
    "a\x00b@example.si",
    "@example.si",
]


@pytest.fixture
async def steward(client) -> dict[str, str]:
    await make_organisation()
    return await make_user("steward@example.gov", {PUBLISHER: "steward"})


@pytest.fixture
async def admin(client) -> dict[str, str]:
    return await make_user("admin@example.gov", global_role="admin")


async def _post(client: Any, url: str, body: Any, headers: dict[str, str]) -> Any:
    """JSON with \\u escapes, so a lone surrogate travels as JSON allows it to."""
    return await client.post(
        url, content=json.dumps(body), headers={**headers, "content-type": "application/json"}
    )


async def _problems(response: Any) -> set[str]:
    assert response.status_code == 422, response.text
    return {problem["field"] for problem in response.json()["problems"]}


@pytest.mark.parametrize("address", BAD_ADDRESSES)
async def test_bad_addresses_are_refused_wherever_an_address_goes(client, steward, admin, address):
    document = changed(open_dataset(), "organisational.contact_point.email", address)
    document = changed(document, "organisational.steward", {"email": address})
    document["classification"] = "personal"
    document["legal"] = {
        "personal_data": {"dpo_contact": {"email": address}, "controller": {"email": address}}
    }
    response = await client.post(API, json=document, headers=steward)
    assert await _problems(response) >= {
        "organisational.contact_point.email",
        "organisational.steward.email",
        "legal.personal_data.dpo_contact.email",
        "legal.personal_data.controller.email",
    }

    body = {"slug": "new-agency", "name": "New Agency", "email": address}
    response = await client.post("/api/v1/organisations", json=body, headers=admin)
    assert await _problems(response) == {"email"}
    user = {"email": address, "name": "Someone", "password": "long enough password"}
    response = await client.post("/api/v1/users", json=user, headers=admin)
    assert await _problems(response) == {"email"}


async def test_good_addresses_are_kept_in_lower_case(client, steward):
    document = changed(
        open_dataset(), "organisational.contact_point.email", "Data.Desk+open@Example.GOV"
    )
    response = await client.post(API, json=document, headers=steward)
    assert response.status_code == 201, response.text
    assert (
        response.json()["organisational"]["contact_point"]["email"] == "data.desk+open@example.gov"
    )


async def test_a_lone_surrogate_is_malformed_json(client, steward):
    """JSON may escape one (\\ud800), UTF-8 cannot hold it: refused before any field."""
    document = changed(open_dataset(), "title", {"en": "a\ud800b"})
    response = await _post(client, API, document, steward)
    assert response.status_code == 400 and "surrogate" in response.json()["detail"]
    assert await Dataset.count() == 0


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f"])
async def test_control_characters_are_refused_in_every_text_field(
    client, steward, admin, character
):
    fields = {
        "title.en": f"Ti{character}tle",
        "description.en": f"Te{character}xt",
        "semantic.keywords[0]": f"key{character}word",
        "organisational.owner_unit": f"Un{character}it",
        "organisational.contact_point.name": f"De{character}sk",
        "internal_note": f"No{character}te",
        "technical.version": f"1{character}0",
    }
    document = open_dataset()
    for path, value in fields.items():
        document = changed(
            document, path.removesuffix("[0]"), [value] if path.endswith("[0]") else value
        )
    document["technical"]["distributions"][0]["access_url"] = f"https://x.example/a{character}b"
    document["technical"]["attributes"][0]["name"] = f"co{character}l"
    response = await _post(client, API, document, steward)
    problems = await _problems(response)
    assert problems == {
        *fields,
        "technical.distributions[0].access_url",
        "technical.attributes[0].name",
    }
    assert all(
        "control character" in p["message"]
        for p in response.json()["problems"]
        if p["field"] != "technical.distributions[0].access_url"
    )
    assert await Dataset.count() == 0

    body = {"slug": "new-agency", "name": f"New{character}Agency", "description": f"a{character}b"}
    response = await _post(client, "/api/v1/organisations", body, admin)
    assert await _problems(response) == {"name", "description"}
    user = {"email": "new@example.gov", "name": f"N{character}n", "password": "long enough pw"}
    response = await _post(client, "/api/v1/users", user, admin)
    assert await _problems(response) == {"name"}
    token = {
        "email": "steward@example.gov",
        "password": "correct horse battery",
        "name": f"lap{character}top",
    }
    response = await _post(client, "/api/v1/tokens", token, {})
    assert await _problems(response) == {"name"}


async def test_multi_line_text_keeps_tabs_and_new_lines(client, steward):
    document = changed(open_dataset(), "description", {"en": "First line.\n\tSecond\r\nline."})
    document["internal_note"] = "Ask the desk.\nThen wait."
    response = await client.post(API, json=document, headers=steward)
    assert response.status_code == 201, response.text
    single = changed(open_dataset("other-one"), "title", {"en": "One\nTwo"})
    single["semantic"]["keywords"] = ["a\tb"]
    response = await client.post(API, json=single, headers=steward)
    assert await _problems(response) == {"semantic.keywords[0]"}


async def test_agreements_refuse_control_characters(seeded, client):
    from catalogue.accounts.service import authenticate, create_token

    principal = await authenticate("steward@ministry-of-labour.example.si", "demo-password")
    assert principal is not None
    issued = await create_token(principal.user_id, "test")
    proposal = {
        "dataset": "central-population-register",
        "consumer": "ministry-of-labour",
        "service": {"title": {"en": "Parental\x00allowance"}},
        "attributes": ["personal_id"],
        "purpose": {"code": "ServiceProvision", "text": {"en": "Decide\x1b."}},
        "legal_basis": "A6-1-e",
        "valid_from": dt.date.today().isoformat(),
    }
    response = await client.post(
        "/api/v1/agreements", json=proposal, headers={"Authorization": f"Bearer {issued.token}"}
    )
    assert await _problems(response) >= {"service.title.en", "purpose.text.en"}


CHECKED = {
    types.Code,
    types.ShortText,
    types.ShortNote,
    types.LongText,
    types.LangText,
    types.Url,
    types.Email,
    types.Slug,
    types.Duration,
    types.BoundingBox,
}


def _text_annotations(annotation: Any) -> list[Any]:
    """Every str-carrying type inside an annotation (through Optional, list, dict)."""
    if annotation is str:
        return [annotation]
    if typing.get_origin(annotation) is typing.Annotated:
        return (
            [annotation]
            if typing.get_args(annotation)[0] in (str, dict[str, types.LongText])
            else []
        )
    return [inner for arg in typing.get_args(annotation) for inner in _text_annotations(arg)]


def test_every_text_field_of_every_document_uses_a_checked_type():
    """A new field typed plain ``str`` would let control characters in: this walks the models."""
    models = {
        value
        for module in (dataset, organisation, agreement)
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, BaseModel)
    }
    unchecked = []
    for model in models:
        hints = typing.get_type_hints(model, include_extras=True)
        for name in model.model_fields:
            for found in _text_annotations(hints[name]):
                if found not in CHECKED:
                    unchecked.append(f"{model.__name__}.{name}: {found}")
    assert not unchecked
    assert {types.LangText, types.ShortText} <= {
        found
        for model in models
        for name, hint in typing.get_type_hints(model, include_extras=True).items()
        if name in model.model_fields
        for found in _text_annotations(hint)
    }


async def _insert_directly(slug: str, document: dict[str, Any]) -> None:
    """A published row written around every rule, as a faulty import or script might."""
    publisher = (
        await Organisation.select(Organisation.id).where(Organisation.slug == PUBLISHER).first()
    )
    now = dt.datetime.now(dt.UTC)
    await Dataset.insert(
        Dataset(
            id=uuid.uuid4(),
            slug=slug,
            classification="open",
            status="published",
            publisher=publisher["id"],
            title=slug,
            revision=1,
            document=document,
            created=now,
            modified=now,
            issued=now,
            public_modified=now,
        )
    )


async def test_one_bad_record_never_breaks_the_feed(client, steward):
    good = changed(open_dataset("good-one"), "status", "published")
    assert (await client.post(API, json=good, headers=steward)).status_code == 201
    quoted = changed(
        changed(good, "slug", "bad-address"), "organisational.contact_point.email", 'x"y@example.si'
    )
    await _insert_directly("bad-address", quoted)
    spaced = changed(good, "slug", "bad-url")
    spaced["technical"]["distributions"][0]["access_url"] = "https://x.example/a b"
    await _insert_directly("bad-url", spaced)
    await _insert_directly("unreadable", {"slug": "unreadable", "classification": "secret"})
    snapshot.invalidate()

    for path in (
        "/catalog.ttl",
        "/catalog.nt",
        "/catalog.jsonld",
        "/catalog.rdf",
        "/catalog",
        "/catalog.ttl?q=example",
        f"{API}?size=100",
        "/api/3/action/package_search",
        "/search?q=example",
        "/api/v1/search?q=example",
        "/",
    ):
        response = await client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        if path.startswith("/catalog"):
            assert "/dataset/good-one" in response.text, path
            assert "/dataset/bad-address" not in response.text, path
            assert "/dataset/bad-url" not in response.text, path
