"""Stewards in a browser: signing in, the CSRF guard, registering, publishing and stale edits."""

from __future__ import annotations

import html
import json
import re

import pytest

from catalogue.ui.forms.mapping import document_to_form
from tests.factories import PUBLISHER, make_organisation, make_user, open_dataset

EMAIL = "steward@example.gov"
PASSWORD = "correct horse battery"  # what tests.factories.make_user gives every user
TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')


def csrf(page: str) -> str:
    match = TOKEN.search(page)
    assert match, "every form carries a CSRF token"
    return match.group(1)


@pytest.fixture
async def api_steward(client) -> dict[str, str]:
    client.follow_redirects = False  # redirects are part of what these tests check
    await make_organisation()
    await make_organisation("other-agency")
    return await make_user(EMAIL, {PUBLISHER: "steward"})


@pytest.fixture
async def signed_in(client, api_steward) -> dict[str, str]:
    page = await client.get("/signin")
    response = await client.post(
        "/signin",
        data={
            "email": EMAIL,
            "password": PASSWORD,
            "next": "/dashboard",
            "_csrf_token": csrf(page.text),
        },
    )
    assert response.status_code == 303
    return api_steward


async def form_page(client, url: str) -> tuple[str, str]:
    page = await client.get(url)
    assert page.status_code == 200, page.text
    return page.text, csrf(page.text)


def personal_form(token: str, **overrides: str) -> dict[str, str]:
    """What a steward types for a personal dataset, before the GDPR facts are complete."""
    form = {
        "_csrf_token": token,
        "slug": "staff-records",
        "classification": "personal",
        "title.en": "Staff records",
        "description.en": "Who works for the ministry, and in which unit.",
        "semantic.themes": "GOVE",
        "organisational.publisher": PUBLISHER,
        "organisational.contact_point.email": "hr@example.gov",
        "legal.access_rights": "RESTRICTED",
        "legal.personal_data.controller.name": "Ministry of Examples",
        "legal.personal_data.legal_bases": "A6-1-c",
        "legal.personal_data.purposes[0].code": "HumanResourceManagement",
        "technical.attributes[0].name": "employee_name",
        "technical.attributes[0].personal_data_category": "Name",
    }
    form.update(overrides)
    return form


async def test_signing_in_sets_a_protected_session_cookie_and_goes_where_asked(client, api_steward):
    page = await client.get("/signin?next=/dataset/new")
    assert page.status_code == 200
    assert '<label class="field__label" for="email">' in page.text

    response = await client.post(
        "/signin",
        data={
            "email": EMAIL.upper(),
            "password": PASSWORD,
            "next": "/dataset/new",
            "_csrf_token": csrf(page.text),
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/dataset/new"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # the test catalogue runs on http://

    dashboard = await client.get("/dashboard")
    assert dashboard.status_code == 200
    assert "Signed in as steward" in dashboard.text
    assert "Ministry Of Examples" in dashboard.text


async def test_a_wrong_password_keeps_the_visitor_out_and_says_so(client, api_steward):
    page = await client.get("/signin")
    response = await client.post(
        "/signin",
        data={"email": EMAIL, "password": "not the password", "_csrf_token": csrf(page.text)},
    )
    assert response.status_code == 400
    assert "The e-mail address or the password is not right" in response.text
    assert f'value="{EMAIL}"' in response.text  # the address is not lost
    assert 'aria-describedby="signin-error"' in response.text
    assert (await client.get("/dashboard")).status_code == 303  # still signed out


async def test_only_local_addresses_are_followed_after_signing_in(client, api_steward):
    page = await client.get("/signin")
    response = await client.post(
        "/signin",
        data={
            "email": EMAIL,
            "password": PASSWORD,
            "next": "//evil.example/",
            "_csrf_token": csrf(page.text),
        },
    )
    assert response.headers["location"] == "/dashboard"


async def test_pages_for_stewards_send_visitors_to_sign_in(client, api_steward):
    response = await client.get("/dataset/new?classification=open")
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=/dataset/new%3Fclassification%3Dopen"


async def test_a_form_without_the_csrf_token_is_refused(client, signed_in):
    response = await client.post("/dataset/new", data=personal_form("forged"))
    assert response.status_code == 403
    assert "The form has expired" in response.text
    no_token = personal_form("")
    del no_token["_csrf_token"]
    assert (await client.post("/signout", data={})).status_code == 403
    assert (await client.post("/dataset/new", data=no_token)).status_code == 403


async def test_the_json_api_with_a_bearer_token_needs_no_csrf_token(client, signed_in):
    response = await client.post("/api/v1/datasets", json=open_dataset(), headers=signed_in)
    assert response.status_code == 201
    # The same browser session without a token must prove it comes from our pages.
    refused = await client.post("/api/v1/datasets", json=open_dataset("another"))
    assert refused.status_code == 403
    assert refused.json()["status"] == 403


async def save_draft(client, form: dict[str, str]) -> str:
    """Register a draft from the basics page; the address it goes to next."""
    saved = await client.post("/dataset/new", data={**form, "_action": "save"})
    assert saved.status_code == 303, saved.text
    return saved.headers["location"]


async def test_registration_starts_by_choosing_the_classification(client, signed_in):
    page = await client.get("/dataset/new")
    assert "What kind of data is it?" in page.text
    basics, token = await form_page(client, "/dataset/new?classification=personal")
    assert 'id="classification-personal" name="classification" value="personal" checked' in basics
    assert 'name="title.en"' in basics and 'name="slug"' in basics
    assert 'name="legal.personal_data.legal_bases"' not in basics  # on its own page
    await save_draft(client, personal_form(token))
    personal, _ = await form_page(client, "/dataset/staff-records/edit/personal")
    assert "Legal basis (Article 6 GDPR)" in personal
    assert 'id="section-personal" data-classes="personal">' in personal
    tasks = (await client.get("/dataset/staff-records/edit?format=json")).json()
    assert [section["id"] for section in tasks["sections"]] == [
        "basics", "files", "attributes", "semantic", "organisational", "legal", "personal"
    ]  # fmt: skip
    await client.post("/api/v1/datasets", json=open_dataset(), headers=signed_in)
    opened = (await client.get("/dataset/open-example/edit?format=json")).json()
    assert "personal" not in [section["id"] for section in opened["sections"]]


async def test_a_failed_publish_saves_nothing_and_keeps_everything_typed(client, signed_in):
    _, token = await form_page(client, "/dataset/new?classification=personal")
    assert await save_draft(client, personal_form(token)) == "/dataset/staff-records/edit"
    _, token = await form_page(client, "/dataset/staff-records/edit")
    response = await client.post(
        "/dataset/staff-records/edit",
        data={"_csrf_token": token, "_revision": "1", "_action": "publish"},
    )
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert "This dataset cannot be published yet, and nothing has been saved." in page
    # Each rule's problem is listed under its section and linked to its field.
    assert 'href="/dataset/staff-records/edit/personal#f-legal-personal_data-retention-period"' in (
        page
    )
    assert "Say whom the data is about" in page
    assert re.search(r'id="task-personal-status">Has problems<', page)
    stored = (await client.get("/api/v1/datasets/staff-records", headers=signed_in)).json()
    assert stored["status"] == "draft" and stored["revision"] == 1

    # The link leads to the field, with the problem beside it; everything typed is kept.
    personal = html.unescape((await client.get("/dataset/staff-records/edit/personal")).text)
    assert '<option value="HumanResourceManagement" selected>' in personal
    assert re.search(
        r'id="f-legal-personal_data-retention-period"[^>]*aria-describedby='
        r'"f-legal-personal_data-retention-period-hint '
        r'f-legal-personal_data-retention-period-error"',
        personal,
    )
    assert 'id="f-legal-personal_data-retention-period-error"' in personal
    basics = html.unescape((await client.get("/dataset/staff-records/edit/basics")).text)
    assert 'value="Staff records"' in basics
    assert "Who works for the ministry, and in which unit." in basics
    responsible = (await client.get("/dataset/staff-records/edit/organisational")).text
    assert 'value="hr@example.gov"' in responsible
    attributes = (await client.get("/dataset/staff-records/edit/attributes")).text
    assert 'value="employee_name"' in attributes


async def test_a_steward_saves_a_draft_then_fixes_and_publishes_it(client, signed_in):
    _, token = await form_page(client, "/dataset/new?classification=personal")
    assert await save_draft(client, personal_form(token)) == "/dataset/staff-records/edit"

    edit, token = await form_page(client, "/dataset/staff-records/edit")
    assert 'name="_revision" value="1"' in edit
    assert re.search(r'id="task-personal-status">In progress<', edit)

    section, token = await form_page(client, "/dataset/staff-records/edit/personal")
    assert 'name="_revision" value="1"' in section
    complete = {
        key: value
        for key, value in personal_form(token).items()
        if key.startswith("legal.personal_data") or key == "_csrf_token"
    }
    complete.update(
        {
            "_revision": "1",
            "_action": "continue",
            "legal.personal_data.data_subjects": "Employee",
            "legal.personal_data.personal_data_categories": "Name",
            "legal.personal_data.retention.period": "P5Y",
        }
    )
    saved = await client.post("/dataset/staff-records/edit/personal", data=complete)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == "/dataset/staff-records/edit"  # the last section
    stored = (await client.get("/api/v1/datasets/staff-records")).json()
    assert stored["status"] == "draft" and stored["revision"] == 2
    assert stored["title"]["en"] == "Staff records"  # the other sections are untouched

    edit, token = await form_page(client, "/dataset/staff-records/edit")
    assert re.search(r'id="task-personal-status">Completed<', edit)
    published = await client.post(
        "/dataset/staff-records/edit",
        data={"_csrf_token": token, "_revision": "2", "_action": "publish"},
    )
    assert published.status_code == 303, published.text
    assert published.headers["location"] == "/dataset/staff-records"
    stored = (await client.get("/api/v1/datasets/staff-records")).json()
    assert stored["status"] == "published" and stored["revision"] == 3
    assert stored["legal"]["personal_data"]["retention"] == {"period": "P5Y", "description": {}}
    page = html.unescape((await client.get("/dataset/staff-records")).text)
    assert "Published: the dataset is now in the catalogue." in page


async def test_save_and_continue_goes_to_the_next_section_and_keeps_the_others(client, signed_in):
    await client.post("/api/v1/datasets", json=open_dataset(), headers=signed_in)
    section, token = await form_page(client, "/dataset/open-example/edit/semantic")
    assert "Section 4 of 6" in section
    before = (await client.get("/api/v1/datasets/open-example")).json()
    saved = await client.post(
        "/dataset/open-example/edit/semantic",
        data={
            "_csrf_token": token,
            "_revision": "1",
            "_action": "continue",
            "semantic.themes": "ECON",
            "semantic.keywords": "births\r\ndemography",
        },
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == "/dataset/open-example/edit/organisational"
    after = (await client.get("/api/v1/datasets/open-example")).json()
    assert after["semantic"]["keywords"] == ["births", "demography"]  # one per line
    assert after["semantic"]["themes"] == ["ECON"]
    assert after["technical"]["distributions"] == before["technical"]["distributions"]
    assert after["title"] == before["title"] and after["status"] == "draft"
    page = html.unescape((await client.get(saved.headers["location"])).text)
    assert "Draft saved. It is not published yet." in page
    # Keywords are asked in a box of several lines, one keyword a line.
    assert '<textarea id="f-semantic-keywords" name="semantic.keywords"' in section


async def test_the_task_list_says_what_each_section_needs_also_as_json(client, signed_in):
    draft = {**open_dataset(), "legal": {"access_rights": "PUBLIC"}}
    del draft["technical"]["attributes"]
    await client.post("/api/v1/datasets", json=draft, headers=signed_in)
    page = html.unescape((await client.get("/dataset/open-example/edit")).text)
    assert '<a href="/dataset/open-example/edit/basics"' in page
    assert re.search(r'id="task-legal-status">In progress<', page)
    assert re.search(r'id="task-basics-status">Completed<', page)
    assert re.search(r'id="task-attributes-status">Not started<', page)
    assert 'href="/dataset/open-example/edit/legal#f-legal-licence"' in page
    twin = await client.get("/dataset/open-example/edit", headers={"Accept": "application/json"})
    body = twin.json()
    assert body["status"] == "draft" and body["revision"] == 1
    legal = next(section for section in body["sections"] if section["id"] == "legal")
    assert legal["status"] == "in-progress"
    assert legal["problems"][0]["href"] == "/dataset/open-example/edit/legal#f-legal-licence"
    assert "open licence" in legal["problems"][0]["message"]
    assert (await client.get("/dataset/open-example/edit/nonsense")).status_code == 404


async def test_a_bad_value_in_a_draft_is_shown_beside_its_field(client, signed_in):
    _, token = await form_page(client, "/dataset/new?classification=open")
    response = await client.post(
        "/dataset/new",
        data={
            "_csrf_token": token,
            "_action": "continue",
            "slug": "Not A Slug",
            "classification": "open",
            "title.en": "Prices",
            "organisational.publisher": PUBLISHER,
        },
    )
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert 'href="#f-slug"' in page and 'value="Not A Slug"' in page
    assert 'value="Prices"' in page

    form = {"_csrf_token": token, "slug": "prices", "classification": "open"}
    form["organisational.publisher"] = PUBLISHER
    assert await save_draft(client, form) == "/dataset/prices/edit"
    _, token = await form_page(client, "/dataset/prices/edit/files")
    response = await client.post(
        "/dataset/prices/edit/files",
        data={
            "_csrf_token": token,
            "_revision": "1",
            "_action": "continue",
            "technical.distributions[0].access_url": "data.example.gov/file.csv",
            "technical.distributions[0].byte_size": "12 kB",
        },
    )
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert 'href="#f-technical-distributions-0-access_url"' in page
    assert "Must be an absolute http:// or https:// address" in page
    assert 'value="12 kB"' in page and "Must be a whole number" in page
    stored = (await client.get("/api/v1/datasets/prices", headers=signed_in)).json()
    assert stored["revision"] == 1 and not stored["technical"]["distributions"]
    assert stored["legal"]["access_rights"] == "PUBLIC"  # asked later; open data's default


async def test_add_another_works_without_javascript(client, signed_in):
    await client.post("/api/v1/datasets", json=open_dataset(), headers=signed_in)
    _, token = await form_page(client, "/dataset/open-example/edit/files")
    response = await client.post(
        "/dataset/open-example/edit/files",
        data={
            "_csrf_token": token,
            "_revision": "1",
            "_action": "add:technical.distributions",
            "_rows.technical.distributions": "1",
            "technical.distributions[0].access_url": "https://data.example.gov/a.csv",
        },
    )
    assert response.status_code == 200
    assert 'value="https://data.example.gov/a.csv"' in response.text
    assert 'id="f-technical-distributions-1-access_url"' in response.text
    assert 'name="_rows.technical.distributions" value="2"' in response.text


async def test_a_stale_edit_shows_both_versions_and_overwrites_nothing(client, signed_in):
    await client.post("/api/v1/datasets", json=open_dataset(), headers=signed_in)
    edit, token = await form_page(client, "/dataset/open-example/edit/basics")
    assert 'name="_revision" value="1"' in edit

    # Someone else renames the dataset meanwhile.
    other = await client.patch(
        "/api/v1/datasets/open-example",
        json={"title": {"en": "Theirs"}},
        headers={**signed_in, "If-Match": '"1"'},
    )
    assert other.status_code == 200

    form: dict = {  # what the basics page sends back
        key: value
        for key, value in document_to_form(open_dataset()).items()
        if key in {"classification", "organisational.publisher"}
        or key.startswith(("title", "description"))
    }
    form.update({"_csrf_token": token, "_action": "save", "_revision": "1", "title.en": "Mine"})
    response = await client.post("/dataset/open-example/edit/basics", data=form)
    assert response.status_code == 409
    page = html.unescape(response.text)
    assert "Someone changed this dataset since you opened it" in page
    assert re.search(r"Title \(English\)</th>\s*<td[^>]*>Mine</td>\s*<td[^>]*>Theirs</td>", page)
    assert page.count('<tr><th scope="row">') == 1  # only the title differs
    stored = (await client.get("/api/v1/datasets/open-example", headers=signed_in)).json()
    assert stored["title"]["en"] == "Theirs" and stored["revision"] == 2


async def test_the_dashboard_lists_what_each_dataset_still_needs(client, signed_in):
    draft = {**open_dataset(), "legal": {"access_rights": "PUBLIC"}}
    await client.post("/api/v1/datasets", json=draft, headers=signed_in)
    page = html.unescape((await client.get("/dashboard")).text)
    assert "Example open dataset" in page
    assert "1 thing missing before it can be published" in page
    assert "Open data needs an open licence" in page


async def test_signing_out_ends_the_session(client, signed_in):
    _, token = await form_page(client, "/signout")
    response = await client.post("/signout", data={"_csrf_token": token})
    assert response.status_code == 303
    assert (await client.get("/dashboard")).status_code == 303


async def test_a_short_name_already_taken_is_reported_beside_it(client, signed_in):
    await client.post("/api/v1/datasets", json=open_dataset(), headers=signed_in)
    _, token = await form_page(client, "/dataset/new?classification=open")
    response = await client.post(
        "/dataset/new",
        data={
            "_csrf_token": token,
            "_action": "save",
            "slug": "open-example",
            "classification": "open",
            "title.en": "A second one",
            "organisational.publisher": PUBLISHER,
        },
    )
    assert response.status_code == 409
    assert 'href="#f-slug"' in response.text and 'value="A second one"' in response.text


async def test_the_form_title_uses_the_right_article(client, signed_in):
    page, _ = await form_page(client, "/dataset/new?classification=open")
    assert "<title>Register an open dataset" in page
    page, _ = await form_page(client, "/dataset/new?classification=closed")
    assert "<title>Register a closed dataset" in page


async def test_saving_a_published_dataset_says_the_changes_were_saved(client, signed_in):
    published = {**open_dataset(), "status": "published"}
    assert (
        await client.post("/api/v1/datasets", json=published, headers=signed_in)
    ).status_code == 201
    _, token = await form_page(client, "/dataset/open-example/edit/basics")
    form: dict = {
        key: value
        for key, value in document_to_form(published).items()
        if key in {"classification", "organisational.publisher"} or key.startswith("description")
    }
    form.update(
        {"_csrf_token": token, "_action": "save", "_revision": "1", "title.en": "A better title"}
    )
    saved = await client.post("/dataset/open-example/edit/basics", data=form)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == "/dataset/open-example/edit"
    stored = (await client.get("/api/v1/datasets/open-example")).json()
    assert stored["status"] == "published" and stored["title"]["en"] == "A better title"
    page = html.unescape((await client.get(saved.headers["location"])).text)
    assert "Changes saved: the published dataset is updated in the catalogue." in page
    assert "Published: the dataset is now in the catalogue." not in page


async def test_long_code_lists_are_one_searchable_list_not_hundreds_of_boxes(client, signed_in):
    _, token = await form_page(client, "/dataset/new?classification=personal")
    await save_draft(client, personal_form(token))
    personal, token = await form_page(client, "/dataset/staff-records/edit/personal")
    assert re.search(
        r'<select id="f-legal-personal_data-personal_data_categories" '
        r'name="legal.personal_data.personal_data_categories" multiple',
        personal,
    )
    assert 'name="legal.personal_data.measures" multiple' in personal
    assert personal.count('type="checkbox"') < 40  # the legal bases and the like, no more
    files, _ = await form_page(client, "/dataset/staff-records/edit/files")
    assert 'name="technical.spatial" multiple' in files
    semantic, _ = await form_page(client, "/dataset/staff-records/edit/semantic")
    assert 'name="semantic.languages" multiple' in semantic
    assert 'name="semantic.themes" type="checkbox"' in semantic  # a short list stays boxes

    chosen = {
        "_csrf_token": token,
        "_revision": "1",
        "legal.personal_data.controller.name": "Ministry of Examples",
        "legal.personal_data.legal_bases": "A6-1-c",
        "legal.personal_data.purposes[0].code": "HumanResourceManagement",
    }
    form = [*chosen.items()]
    form += [("legal.personal_data.personal_data_categories", code) for code in ("Name", "Age")]
    saved = await client.post(
        "/dataset/staff-records/edit/personal",
        content="&".join(f"{key}={value}" for key, value in form),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert saved.status_code == 303, saved.text
    stored = (await client.get("/api/v1/datasets/staff-records")).json()
    assert stored["legal"]["personal_data"]["personal_data_categories"] == ["Name", "Age"]
    again = html.unescape((await client.get("/dataset/staff-records/edit/personal")).text)
    assert '<option value="Name" selected>' in again and '<option value="Age" selected>' in again


async def test_the_attributes_are_filled_from_a_csv_header_or_a_table_schema(client, signed_in):
    draft = open_dataset()
    draft["technical"]["attributes"] = [{"name": "municipality", "data_type": "string"}]
    await client.post("/api/v1/datasets", json=draft, headers=signed_in)
    page, token = await form_page(client, "/dataset/open-example/edit/attributes")
    assert 'enctype="multipart/form-data"' in page and 'name="_schema_file"' in page
    form = {"_csrf_token": token, "_revision": "1", "_action": "import"}
    form["technical.attributes[0].name"] = "municipality"
    pasted = await client.post(
        "/dataset/open-example/edit/attributes",
        data={**form, "_schema_text": "municipality;year;births\nLjubljana;2024;3100"},
    )
    assert pasted.status_code == 200
    text = html.unescape(pasted.text)
    assert "Attributes added: 2. Check them, then save the page." in text
    assert 'name="technical.attributes[1].name" type="text" value="year"' in text
    assert 'name="technical.attributes[2].name" type="text" value="births"' in text
    stored = (await client.get("/api/v1/datasets/open-example")).json()
    assert len(stored["technical"]["attributes"]) == 1  # nothing saved yet

    schema = {
        "fields": [
            {"name": "municipality", "type": "string", "description": "Name of the municipality"},
            {"name": "births", "type": "integer", "description": "Live births in the year"},
            {"name": "share", "type": "number"},
        ]
    }
    uploaded = await client.post(
        "/dataset/open-example/edit/attributes",
        data=form,
        files={"_schema_file": ("schema.json", json.dumps(schema), "application/json")},
    )
    assert uploaded.status_code == 200
    text = html.unescape(uploaded.text)
    assert "Attributes added: 2." in text
    assert ">Name of the municipality</textarea>" in text  # an empty description is filled
    assert re.search(
        r'name="technical.attributes\[1\].data_type".*?<option value="integer" selected>',
        text,
        re.S,
    )
    assert re.search(
        r'name="technical.attributes\[2\].data_type".*?<option value="decimal" selected>',
        text,
        re.S,
    )

    refused = await client.post(
        "/dataset/open-example/edit/attributes", data={**form, "_schema_text": '{"fields": 3'}
    )
    assert refused.status_code == 422
    assert "This is not valid JSON" in html.unescape(refused.text)
    assert 'id="f-schema-text"' in refused.text
