"""No draft shows through: the public history, related datasets, slugs taken, feed headers."""

from __future__ import annotations

import pytest

from catalogue.dcat import snapshot
from tests.factories import PUBLISHER, changed, make_organisation, make_user, open_dataset

API = "/api/v1/datasets"
OTHER = "other-agency"


@pytest.fixture
async def stewards(client) -> tuple[dict[str, str], dict[str, str]]:
    """A steward of the publisher and one of another organisation."""
    snapshot.invalidate()
    await make_organisation()
    await make_organisation(OTHER)
    own = await make_user("steward@example.gov", {PUBLISHER: "steward"})
    other = await make_user("steward@other.example.gov", {OTHER: "steward"})
    return own, other


async def _put(client, headers, document, revision: int) -> None:
    response = await client.put(
        f"{API}/{document['slug']}", json=document, headers={**headers, "If-Match": f'"{revision}"'}
    )
    assert response.status_code == 200, response.text


async def test_the_public_history_starts_at_the_first_public_revision(client, stewards):
    own, other = stewards
    draft = changed(open_dataset(), "description", {"en": "Draft wording zqdraftone."})
    assert (await client.post(API, json=draft, headers=own)).status_code == 201
    await _put(client, own, changed(draft, "description", {"en": "Still zqdrafttwo."}), 1)
    public = changed(
        changed(draft, "description", {"en": "Published wording."}), "status", "published"
    )
    await _put(client, own, public, 2)
    await _put(client, own, changed(public, "title", {"en": "Renamed"}), 3)

    for headers in ({}, other):
        history = await client.get(f"{API}/open-example/history", headers=headers)
        assert history.status_code == 200
        entries = history.json()["items"]
        assert [entry["revision"] for entry in entries] == [4, 3]
        assert "zqdraft" not in history.text
        first = entries[-1]["changes"]
        assert first["description"] == {"from": None, "to": {"en": "Published wording."}}
        assert entries[0]["changes"]["title.en"] == {
            "from": "Example open dataset",
            "to": "Renamed",
        }
        for revision in (1, 2):
            hidden = await client.get(f"{API}/open-example/history/{revision}", headers=headers)
            assert hidden.status_code == 404 and "zqdraft" not in hidden.text
        shown = await client.get(f"{API}/open-example/history/3", headers=headers)
        assert shown.json()["document"]["description"]["en"] == "Published wording."
        page = await client.get("/dataset/open-example", headers=headers)
        assert page.status_code == 200 and "zqdraft" not in page.text

    full = await client.get(f"{API}/open-example/history", headers=own)
    assert [entry["revision"] for entry in full.json()["items"]] == [4, 3, 2, 1]
    assert "zqdrafttwo" in full.text


async def test_a_republication_is_compared_with_the_last_public_revision(client, stewards):
    own, _ = stewards
    public = changed(open_dataset(), "status", "published")
    assert (await client.post(API, json=public, headers=own)).status_code == 201
    draft = changed(changed(public, "status", "draft"), "description", {"en": "zqsecret"})
    await _put(client, own, draft, 1)
    await _put(client, own, changed(draft, "description", {"en": "zqsecret again"}), 2)
    again = changed(changed(draft, "status", "published"), "description", {"en": "Final."})
    await _put(client, own, again, 3)

    history = await client.get(f"{API}/open-example/history")
    assert [entry["revision"] for entry in history.json()["items"]] == [4, 1]
    assert history.json()["items"][0]["changes"] == {
        "description.en": {"from": "What it holds and who it is for.", "to": "Final."}
    }
    assert "zqsecret" not in history.text


async def test_related_drafts_are_left_out_for_those_who_may_not_see_them(client, stewards):
    own, other = stewards
    hidden = changed(open_dataset("zq-hidden-draft"), "title", {"en": "Hidden"})
    assert (await client.post(API, json=hidden, headers=own)).status_code == 201
    shown = changed(
        changed(open_dataset(), "status", "published"), "semantic.related", ["zq-hidden-draft"]
    )
    assert (await client.post(API, json=shown, headers=own)).status_code == 201
    await _put(client, own, changed(shown, "title", {"en": "Renamed"}), 1)

    for headers in ({}, other):
        for url in (
            f"{API}/open-example",
            "/dataset/open-example",
            f"{API}/open-example/history",
            f"{API}/open-example/history/1",
            f"{API}?size=100",
            "/catalog.ttl",
            "/dataset/open-example.ttl",
            "/api/3/action/package_show?id=open-example",
        ):
            response = await client.get(url, headers=headers)
            assert response.status_code == 200, url
            assert "zq-hidden-draft" not in response.text, url
        twin = await client.get(
            "/dataset/open-example", headers={**headers, "Accept": "application/json"}
        )
        assert twin.json()["semantic"]["related"] == []

    mine = await client.get(f"{API}/open-example", headers=own)
    assert mine.json()["semantic"]["related"] == ["zq-hidden-draft"]


async def test_a_slug_hidden_from_the_steward_is_not_disclosed_by_a_409(client, stewards):
    own, other = stewards
    assert (
        await client.post(API, json=open_dataset("shared-name"), headers=own)
    ).status_code == 201
    theirs = open_dataset("shared-name", publisher=OTHER)
    created = await client.post(API, json=theirs, headers=other)
    assert created.status_code == 201, created.text
    assert created.json()["slug"] == "shared-name-2"
    assert created.headers["location"] == f"{API}/shared-name-2"
    third = await client.post(API, json=theirs, headers=other)
    assert third.json()["slug"] == "shared-name-3"
    # A slug the steward can see (theirs, or a public one) is an honest 409.
    visible = await client.post(API, json=open_dataset("shared-name-2", OTHER), headers=other)
    assert visible.status_code == 409
    own_again = await client.post(API, json=open_dataset("shared-name"), headers=own)
    assert own_again.status_code == 409


async def test_editing_a_draft_leaves_the_feed_headers_alone(client, stewards):
    own, _ = stewards
    public = changed(open_dataset("public-one"), "status", "published")
    assert (await client.post(API, json=public, headers=own)).status_code == 201
    draft = open_dataset("draft-one")
    assert (await client.post(API, json=draft, headers=own)).status_code == 201
    before = {fmt: await client.get(f"/catalog.{fmt}") for fmt in ("ttl", "nt", "jsonld", "rdf")}

    await _put(client, own, changed(draft, "title", {"en": "Draft, edited"}), 1)
    snapshot.invalidate()
    for fmt, earlier in before.items():
        later = await client.get(f"/catalog.{fmt}")
        assert later.headers["etag"] == earlier.headers["etag"], fmt
        assert later.headers["last-modified"] == earlier.headers["last-modified"], fmt

    # Withdrawing a public dataset does change the feed (it leaves the next harvest).
    withdrawn = await client.delete(f"{API}/public-one", headers={**own, "If-Match": '"1"'})
    assert withdrawn.status_code == 200
    after = await client.get("/catalog.ttl")
    assert after.headers["etag"] != before["ttl"].headers["etag"]


# --- the rules themselves (plain Python) --------------------------------------------------


def test_one_language_fallback_follows_the_configured_languages():
    from catalogue.domain.disclosure import text_in

    texts = {"de": "Daten", "sl": "Podatki", "en": "Data"}
    assert text_in(texts, "sl", ("en", "sl")) == "Podatki"
    assert text_in(texts, "fr", ("sl", "en")) == "Podatki"  # the configured order, not "en"
    assert text_in(texts, "fr", ("en", "sl")) == "Data"
    assert text_in({"de": "Daten"}, "fr", ("en",)) == "Daten"  # else any language
    assert text_in({}, "en", ("en",)) == "" and text_in(None, "en") == ""


def test_who_sees_unpublished_work_and_internal_fields():
    from catalogue.accounts.principal import Principal
    from catalogue.domain import disclosure

    member = Principal(1, "m", "m@example.gov", roles={PUBLISHER: frozenset({"dpo"})})
    outsider = Principal(2, "o", "o@example.gov", roles={OTHER: frozenset({"steward"})})
    auditor = Principal(3, "a", "a@example.gov", global_role="auditor")
    body = {"slug": "x", "internal_note": "n"}
    for reader, sees in ((None, False), (outsider, False), (member, True), (auditor, True)):
        assert disclosure.may_see(reader, "draft", PUBLISHER) is sees
        assert disclosure.may_see(reader, "deprecated", PUBLISHER)
        assert ("internal_note" in disclosure.redact(body, reader, PUBLISHER)) is sees
        changes = disclosure.redact_changes({"internal_note": 1, "title.en": 2}, reader, PUBLISHER)
        assert ("internal_note" in changes) is sees and "title.en" in changes


def test_the_public_history_skips_drafts_and_compares_public_states():
    from catalogue.domain.disclosure import PublicRevision, public_revisions, statuses_of

    steps = statuses_of(
        [
            (1, {"status": {"from": None, "to": "draft"}}),
            (2, {"title.en": {}}),
            (3, {"status": {"from": "draft", "to": "published"}}),
            (4, {"title.en": {}}),
            (5, {"status": {"from": "published", "to": "draft"}}),
            (6, {"description.en": {}}),
            (7, {"status": {"from": "draft", "to": "deprecated"}}),
        ]
    )
    assert public_revisions(steps) == [
        PublicRevision(3, None, 0),
        PublicRevision(4, {"title.en": {}}),
        PublicRevision(7, None, 4),
    ]


def test_related_slugs_are_filtered_wherever_a_change_holds_them():
    from catalogue.domain.disclosure import hide_related, hide_related_changes, related_in_changes

    changes = {
        "semantic": {"from": None, "to": {"related": ["seen", "hidden"], "themes": ["ECON"]}},
        "semantic.related": {"from": ["hidden"], "to": []},
        "title.en": {"from": "a", "to": "b"},
    }
    assert sorted(related_in_changes(changes)) == ["hidden", "hidden", "seen"]
    assert hide_related_changes(changes, {"seen"}) == {
        "semantic": {"from": None, "to": {"related": ["seen"], "themes": ["ECON"]}},
        "title.en": {"from": "a", "to": "b"},
    }
    assert hide_related({"semantic": {"related": ["hidden", "seen"]}}, ["seen"]) == {
        "semantic": {"related": ["seen"]}
    }


async def test_every_data_access_path_applies_the_one_rule(seeded):
    """The SQL clause, the search index filter and the CKAN audience agree with
    ``disclosure.may_see`` for every kind of reader."""
    from catalogue.accounts.principal import Principal
    from catalogue.datasets.queries import find_record, list_records
    from catalogue.datasets.tables import Dataset
    from catalogue.domain import disclosure
    from catalogue.search.service import SearchQuery, search

    everything = [await find_record(row["slug"]) for row in await Dataset.select(Dataset.slug)]
    readers = [
        None,
        Principal(
            1, "s", "s@example.gov", roles={"financial-administration": frozenset({"steward"})}
        ),
        Principal(2, "a", "a@example.gov", global_role="auditor"),
    ]
    for reader in readers:
        expected = {
            r.slug
            for r in everything
            if r and disclosure.may_see(reader, r.document.status.value, r.publisher)
        }
        listed, total = await list_records(reader, size=100)
        assert {r.slug for r in listed} == expected and total == len(expected)
        found = await search(SearchQuery(size=100), reader)
        assert {hit.slug for hit in found.items} == expected
    assert "pre-filled-income-tax-assessments" in {
        r.slug for r in (await list_records(readers[1], size=100))[0]
    }
