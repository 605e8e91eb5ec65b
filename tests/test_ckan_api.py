"""The CKAN-compatible Action API over the demo catalogue, as CKAN clients call it.

Every answer is CKAN's envelope ``{"help", "success", "result"}``; failures carry CKAN's
``__type`` so ``ckanapi`` can raise NotFound, ValidationError, NotAuthorized ...
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.factories import make_user

API = "/api/3/action"
SEED_PUBLIC = 46  # 49 datasets in the seed, 3 of them drafts
STEWARD = "ckan-steward@example.gov"


@pytest.fixture(scope="module")
async def seeded_once() -> dict[str, str]:
    """Every test here only reads, so the demo catalogue is loaded once for the module (the
    seed hashes passwords and validates SHACL: tens of seconds on a busy machine).
    Returns the header of a steward of the City of Ljubljana."""

    from tests.conftest import load_demo_catalogue

    await load_demo_catalogue()
    return await make_user(STEWARD, {"city-of-ljubljana": "steward"})


@pytest.fixture
async def client(seeded_once):
    """The conftest ``client`` without its per-test truncation (nothing here writes)."""
    from litestar.testing import AsyncTestClient

    from catalogue.app import create_app

    async with AsyncTestClient(app=create_app(prepare=False, pool=False)) as test_client:
        yield test_client


@pytest.fixture
def seeded() -> None:
    """Loaded once by ``seeded_once``."""


@pytest.fixture
def steward_of_ljubljana(seeded_once) -> dict[str, str]:
    return seeded_once


async def get(client, action: str, headers: dict[str, str] | None = None, **params: Any):
    return await client.get(f"{API}/{action}", params=params, headers=headers or {})


async def ok(client, action: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
    response = await get(client, action, headers, **params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True
    assert body["help"].endswith(f"/api/3/action/help_show?name={action}")
    return body["result"]


def extras(package: dict[str, Any]) -> dict[str, str]:
    return {extra["key"]: extra["value"] for extra in package["extras"]}


# --- the envelope and errors ---------------------------------------------------------------


async def test_both_api_paths_answer_get_and_post_in_the_ckan_envelope(client, seeded):
    for path in ("/api/3/action/package_show", "/api/action/package_show"):
        by_get = await client.get(path, params={"id": "air-quality-measurements"})
        by_json = await client.post(path, json={"id": "air-quality-measurements"})
        by_form = await client.post(path, data={"id": "air-quality-measurements"})
        for response in (by_get, by_json, by_form):
            assert response.status_code == 200
            assert set(response.json()) == {"help", "success", "result"}
            assert response.json()["result"]["name"] == "air-quality-measurements"
    assert (await client.get("/api/3")).json() == {"version": 3}


async def test_an_unknown_action_is_a_bad_request(client, seeded):
    response = await get(client, "package_create_everything")
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False
    assert body["error"]["message"] == (
        "Bad request - Action name not known: package_create_everything"
    )


async def test_a_missing_dataset_is_a_typed_not_found_error(client, seeded):
    response = await get(client, "package_show", id="no-such-dataset")
    assert response.status_code == 404
    assert response.json()["error"] == {
        "__type": "Not Found Error",
        "message": "Not found: no dataset 'no-such-dataset'",
    }


async def test_bad_parameters_are_validation_errors_naming_each_field(client, seeded):
    response = await get(client, "package_search", rows="many")
    assert response.status_code == 409
    assert response.json()["error"] == {"__type": "Validation Error", "rows": ["Invalid integer"]}

    too_many = await get(client, "package_search", rows=1001)
    assert too_many.json()["error"]["rows"] == ["Must be at most 1000"]

    missing = await get(client, "package_show")
    assert missing.status_code == 409
    assert missing.json()["error"] == {"__type": "Validation Error", "id": ["Missing value"]}


async def test_a_body_that_is_not_a_json_object_is_a_bad_request(client, seeded):
    broken = await client.post(
        f"{API}/package_list", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 400
    assert broken.json()["error"]["message"].startswith("Bad request - JSON Error")
    a_list = await client.post(f"{API}/package_list", json=["a"])
    assert a_list.status_code == 400
    assert "needs to be a dictionary" in a_list.json()["error"]["message"]


async def test_an_unknown_token_is_an_authorization_error(client, seeded):
    for headers in ({"Authorization": "Bearer nope"}, {"X-CKAN-API-Key": "nope"}):
        response = await get(client, "package_list", headers)
        assert response.status_code == 403
        assert response.json()["error"]["__type"] == "Authorization Error"


async def test_help_show_explains_an_action(client, seeded):
    text = await ok(client, "help_show", name="package_search")
    assert "fq" in text and "facet.field" in text


# --- packages --------------------------------------------------------------------------------


async def test_a_package_carries_every_core_ckan_key(client, seeded):
    package = await ok(client, "package_show", id="air-quality-measurements")
    core = {
        "id", "name", "title", "notes", "url", "license_id", "license_title", "license_url",
        "tags", "metadata_created", "metadata_modified", "organization", "owner_org",
        "resources", "groups", "num_resources", "num_tags", "private", "state", "type",
        "author", "author_email", "maintainer", "maintainer_email", "version", "extras",
    }  # fmt: skip
    assert core <= set(package)
    assert package["type"] == "dataset" and package["state"] == "active"
    assert package["private"] is False
    assert package["license_id"] == "cc-by"  # CKAN's register id, which a receiving CKAN knows
    assert package["license_title"] == "Creative Commons Attribution"
    assert package["license_url"] == "http://www.opendefinition.org/licenses/cc-by"
    assert {"name": "ozone", "display_name": "ozone"}.items() <= package["tags"][4].items()
    assert package["num_tags"] == len(package["tags"])
    assert package["organization"]["name"] == "environment-agency"
    assert package["owner_org"] == package["organization"]["id"]
    assert {group["name"] for group in package["groups"]} == {"envi", "heal"}
    assert package["metadata_modified"].count(":") == 2 and "+" not in package["metadata_modified"]


async def test_a_package_is_found_by_name_or_by_id(client, seeded):
    by_name = await ok(client, "package_show", id="air-quality-measurements")
    by_id = await ok(client, "package_show", id=by_name["id"])
    assert by_id["name"] == "air-quality-measurements"


async def test_resources_carry_ids_formats_and_their_dataset(client, seeded):
    package = await ok(client, "package_show", id="air-quality-measurements")
    csv = package["resources"][0]
    assert csv["format"] == "CSV" and csv["mimetype"] == "text/csv"
    assert csv["url"].endswith("air-quality-current.csv")
    assert csv["package_id"] == package["id"] and csv["position"] == 0
    assert csv["size"] == 38000000 and csv["state"] == "active"
    api = package["resources"][-1]
    assert api["resource_type"] == "api" and api["url"].endswith("/wfs")
    assert package["num_resources"] == len(package["resources"]) == 3

    shown = await ok(client, "resource_show", id=csv["id"])
    assert shown == csv
    missing = await get(client, "resource_show", id="not-a-resource")
    assert missing.status_code == 404


async def test_our_levels_ride_along_as_dcat_friendly_extras(client, seeded):
    package = await ok(client, "package_show", id="air-quality-measurements")
    values = extras(package)
    assert values["classification"] == "open"
    assert values["access_rights"].endswith("/access-right/PUBLIC")
    assert values["frequency"].endswith("/frequency/HOURLY")
    assert json.loads(values["theme"])[0].endswith("/data-theme/ENVI")
    assert json.loads(values["hvd_category"])
    assert values["temporal_start"] == "2002-01-01"
    assert values["publisher_name"] == "Slovenian Environment Agency"
    assert values["contact_email"] == "data@arso.example.si"
    assert json.loads(values["attributes"])[0]["name"] == "station_id"
    assert values["uri"].endswith("/dataset/air-quality-measurements")


async def test_personal_data_shows_its_legal_facts_and_never_the_internal_note(client, seeded):
    package = await ok(client, "package_show", id="identity-documents-register")
    values = extras(package)
    assert values["classification"] == "personal"
    personal = json.loads(values["personal_data"])
    assert personal["legal_bases"] and personal["purposes"]
    assert json.loads(values["legal_basis"])[0].startswith("http")
    assert "internal_note" not in json.dumps(package)


async def test_a_harvester_can_copy_an_open_dataset_without_loss(client, seeded):
    from catalogue.datasets.queries import find_record

    record = await find_record("air-quality-measurements")
    document = record.document
    package = await ok(client, "package_show", id="air-quality-measurements")
    assert package["title"] == document.title["en"]
    assert package["title_translated"] == document.title
    assert package["notes"] == document.description["en"]
    assert document.legal.licence == "CC_BY_4_0" and package["license_id"] == "cc-by"
    assert [tag["name"] for tag in package["tags"]] == document.semantic.keywords
    distributions = document.technical.distributions
    copied = package["resources"][: len(distributions)]
    assert [(r["id"], r["url"], r["format"]) for r in copied] == [
        (d.id, d.download_url or d.access_url, d.format) for d in distributions
    ]


# --- access rules ----------------------------------------------------------------------------


async def test_anonymous_readers_never_see_drafts(client, seeded):
    names = await ok(client, "package_list")
    assert len(names) == SEED_PUBLIC and names == sorted(names)
    assert "ljubljana-kindergarten-enrolment" not in names
    hidden = await get(client, "package_show", id="ljubljana-kindergarten-enrolment")
    assert hidden.status_code == 404


async def test_a_stewards_token_also_shows_their_drafts_as_private(client, steward_of_ljubljana):
    raw_token = steward_of_ljubljana["Authorization"].removeprefix("Bearer ")
    for headers in (
        steward_of_ljubljana,
        {"Authorization": raw_token},  # how ckanapi sends an API key
        {"X-CKAN-API-Key": raw_token},
    ):
        draft = await ok(client, "package_show", headers, id="ljubljana-kindergarten-enrolment")
        assert draft["private"] is True and draft["state"] == "draft"
        assert "internal_note" not in json.dumps(draft)
    names = await ok(client, "package_list", steward_of_ljubljana)
    assert len(names) == SEED_PUBLIC + 1
    other_draft = await get(
        client, "package_show", steward_of_ljubljana, id="pre-filled-income-tax-assessments"
    )
    assert other_draft.status_code == 404
    public_only = await ok(client, "package_list", steward_of_ljubljana, include_private="false")
    assert len(public_only) == SEED_PUBLIC


async def test_package_list_pages_with_limit_and_offset(client, seeded):
    everything = await ok(client, "package_list")
    assert await ok(client, "package_list", limit=5, offset=10) == everything[10:15]


# --- organisations, groups, licences, status -------------------------------------------------


async def test_organization_list_gives_names_or_full_dicts(client, seeded):
    names = await ok(client, "organization_list")
    assert "environment-agency" in names and len(names) == 15
    full = await ok(client, "organization_list", all_fields="true", limit=3, offset=1)
    assert len(full) == 3
    assert {"id", "name", "title", "package_count", "is_organization"} <= set(full[0])
    assert [entry["name"] for entry in full] == names[1:4]
    by_count = await ok(client, "organization_list", all_fields="true", sort="package_count desc")
    counts = [entry["package_count"] for entry in by_count]
    assert counts == sorted(counts, reverse=True)
    assert sum(counts) == SEED_PUBLIC


async def test_organization_show_by_name_or_id_with_its_datasets(client, seeded):
    police = await ok(client, "organization_show", id="police")
    assert police["title"] == "Police" and "packages" not in police
    assert police["groups"] == [{"name": "ministry-of-the-interior", "capacity": "public"}]
    with_datasets = await ok(client, "organization_show", id=police["id"], include_datasets="true")
    assert len(with_datasets["packages"]) == police["package_count"] > 0
    assert {p["organization"]["name"] for p in with_datasets["packages"]} == {"police"}
    missing = await get(client, "organization_show", id="nobody")
    assert missing.status_code == 404


async def test_the_eu_data_themes_are_the_groups(client, seeded):
    names = await ok(client, "group_list")
    assert {"envi", "econ", "heal"} <= set(names)
    full = await ok(client, "group_list", all_fields="true", limit=100)
    envi = next(entry for entry in full if entry["name"] == "envi")
    assert envi["title"] == "Environment" and envi["package_count"] > 0
    shown = await ok(client, "group_show", id="envi", include_datasets="true")
    assert len(shown["packages"]) == envi["package_count"]
    by_id = await ok(client, "group_show", id=envi["id"])
    assert by_id == await ok(client, "group_show", id="ENVI")


async def test_license_list_is_ckans_register_for_the_eu_licences(client, seeded):
    licences = {entry["id"]: entry for entry in await ok(client, "license_list")}
    cc_by = licences["cc-by"]
    assert cc_by["title"] == "Creative Commons Attribution"
    assert cc_by["url"] == "http://www.opendefinition.org/licenses/cc-by"
    assert cc_by["od_conformance"] == "approved" and cc_by["is_okd_compliant"] is True
    assert licences["cc-nc"]["od_conformance"] == "rejected"
    assert {
        "cc-zero",
        "cc-by-sa",
        "odc-odbl",
        "odc-by",
        "odc-pddl",
        "other-open",
        "other-closed",
    } <= set(licences)


async def test_status_show_says_which_api_this_is(client, seeded):
    status = await ok(client, "status_show")
    assert status["ckan_version"].startswith("2.")
    assert status["site_url"].startswith("http")


# --- package_search --------------------------------------------------------------------------


def names_of(result: dict[str, Any]) -> list[str]:
    return [package["name"] for package in result["results"]]


async def test_package_search_without_parameters_counts_every_public_dataset(client, seeded):
    result = await ok(client, "package_search")
    assert result["count"] == SEED_PUBLIC
    assert len(result["results"]) == 10  # CKAN's default rows
    assert result["sort"] == "score desc, metadata_modified desc"
    assert result["facets"] == {} and result["search_facets"] == {}
    assert {"id", "name", "resources", "organization"} <= set(result["results"][0])


async def test_rows_and_start_page_through_a_stable_order(client, seeded):
    everything = await ok(client, "package_search", rows=1000, sort="id asc")
    ids = [package["id"] for package in everything["results"]]
    assert len(ids) == SEED_PUBLIC and ids == sorted(ids)
    window = await ok(client, "package_search", rows=7, start=5, sort="id asc")
    assert [package["id"] for package in window["results"]] == ids[5:12]


async def test_metadata_modified_desc_puts_the_latest_change_first(client, seeded):
    result = await ok(client, "package_search", rows=1000, sort="metadata_modified desc")
    modified = [package["metadata_modified"] for package in result["results"]]
    assert modified == sorted(modified, reverse=True)


async def test_fq_filters_by_field_negation_and_or(client, seeded):
    police = await ok(client, "package_search", fq="organization:police", rows=100)
    assert police["count"] > 0
    assert {p["organization"]["name"] for p in police["results"]} == {"police"}

    not_police = await ok(client, "package_search", fq="-organization:police", rows=100)
    assert not_police["count"] == SEED_PUBLIC - police["count"]

    either = await ok(client, "package_search", fq="groups:(envi OR heal)", rows=100)
    for package in either["results"]:
        assert {"envi", "heal"} & {group["name"] for group in package["groups"]}

    open_csv = await ok(
        client, "package_search", fq="res_format:CSV AND classification:open", rows=100
    )
    assert open_csv["count"] > 0
    for package in open_csv["results"]:
        assert "CSV" in {resource["format"] for resource in package["resources"]}
        assert extras(package)["classification"] == "open"


async def test_fq_takes_a_metadata_modified_range(client, seeded):
    since_2000 = "metadata_modified:[2000-01-01T00:00:00Z TO *]"
    assert (await ok(client, "package_search", fq=since_2000))["count"] == SEED_PUBLIC
    future = await ok(client, "package_search", fq="metadata_modified:[2999-01-01T00:00:00Z TO *]")
    assert future["count"] == 0


async def test_q_finds_datasets_by_their_words(client, seeded):
    result = await ok(client, "package_search", q="air quality")
    assert "air-quality-measurements" in names_of(result)
    tagged = await ok(client, "package_search", fq='tags:"air quality" -tags:meteorology')
    assert "air-quality-measurements" in names_of(tagged)
    for package in tagged["results"]:
        assert "air quality" in [tag["name"].lower() for tag in package["tags"]]
    by_field = await ok(client, "package_search", q="organization:police")
    assert by_field["count"] > 0
    assert {p["organization"]["name"] for p in by_field["results"]} == {"police"}


async def test_facets_come_in_both_ckan_shapes(client, seeded):
    fields = ["organization", "groups", "res_format", "license_id", "tags"]
    result = await ok(
        client, "package_search", **{"facet.field": json.dumps(fields), "facet.limit": "3"}
    )
    assert set(result["facets"]) == set(fields) == set(result["search_facets"])
    organisations = result["search_facets"]["organization"]
    assert organisations["title"] == "organization"
    assert len(organisations["items"]) == 3
    first = organisations["items"][0]
    assert set(first) == {"name", "display_name", "count"}
    assert result["facets"]["organization"][first["name"]] == first["count"]
    every_group = await ok(client, "package_search", **{"facet.field": '["groups"]'})
    groups = {item["name"]: item for item in every_group["search_facets"]["groups"]["items"]}
    assert groups["envi"]["display_name"] == "Environment"
    assert sum(item["count"] for item in groups.values()) >= SEED_PUBLIC


async def test_bad_search_input_is_a_typed_error(client, seeded):
    unknown_field = await get(client, "package_search", fq="colour:blue")
    assert unknown_field.status_code == 409
    assert unknown_field.json()["error"]["__type"] == "Search Query Error"
    assert "colour" in unknown_field.json()["error"]["message"]

    unclosed = await get(client, "package_search", fq="groups:(envi OR heal")
    assert unclosed.json()["error"]["__type"] == "Search Query Error"

    bad_sort = await get(client, "package_search", sort="colour desc")
    assert bad_sort.status_code == 409
    assert "colour" in bad_sort.json()["error"]["message"]

    bad_facet = await get(client, "package_search", **{"facet.field": "[1, 2]"})
    assert bad_facet.json()["error"] == {
        "__type": "Validation Error",
        "facet.field": ["Must be a JSON list of strings"],
    }


async def test_search_follows_the_same_access_rules(client, steward_of_ljubljana):
    anonymous = await ok(client, "package_search", fq="organization:city-of-ljubljana")
    steward = await ok(
        client, "package_search", steward_of_ljubljana, fq="organization:city-of-ljubljana"
    )
    assert steward["count"] == anonymous["count"] + 1
    draft = next(p for p in steward["results"] if p["name"] == "ljubljana-kindergarten-enrolment")
    assert draft["private"] is True
    public_only = await ok(
        client,
        "package_search",
        steward_of_ljubljana,
        fq="organization:city-of-ljubljana",
        include_private="false",
    )
    assert public_only["count"] == anonymous["count"]
