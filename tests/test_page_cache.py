"""Pages kept rendered for anonymous visitors are never older than what they show.

``catalogue.ui.page_cache`` serves the dataset, organisation, home and search pages to
anonymous visitors from the HTML rendered for the first of them. These tests change each
thing such a page shows and read the page again at once: the change must be there, and
whoever is signed in must get their own page.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from catalogue.datasets.versions import current_version
from tests.factories import PUBLISHER, make_organisation, make_user, open_dataset
from tests.test_read_scale import publish as publish_with
from tests.test_read_scale import retitle

API = "/api/v1/datasets"
HTML = {"Accept": "text/html"}


@pytest.fixture
async def steward(client: Any) -> dict[str, str]:
    await make_organisation()
    return await make_user("steward@example.gov", {PUBLISHER: "steward"})


async def publish(client: Any, headers: dict[str, str], slug: str, title: str) -> None:
    await publish_with(client, headers, slug, title={"en": title})


async def page(client: Any, path: str, headers: dict[str, str] | None = None) -> str:
    response = await client.get(path, headers={**HTML, **(headers or {})})
    assert response.status_code == 200, (path, response.status_code)
    return response.text


@pytest.mark.parametrize(
    "path", ["/dataset/kept", f"/organisation/{PUBLISHER}", "/", "/search?q=kept"]
)
async def test_an_anonymous_page_shows_an_edit_at_once(client, steward, path):
    await publish(client, steward, "kept", "First title of the kept dataset")
    assert "First title" in await page(client, path)
    assert "First title" in await page(client, path)  # now from the kept page
    await retitle(client, steward, "kept", "Second title of the kept dataset")
    assert "Second title" in await page(client, path)


async def test_a_new_dataset_is_on_the_kept_search_page_at_once(client, steward):
    await publish(client, steward, "first-of-two", "Groundwater wells")
    assert "first-of-two" in await page(client, "/search?q=groundwater")
    await publish(client, steward, "second-of-two", "Groundwater springs")
    text = await page(client, "/search?q=groundwater")
    assert "first-of-two" in text and "second-of-two" in text


async def test_a_signed_in_reader_never_gets_the_anonymous_page(client, steward):
    body = {**open_dataset("drafted"), "title": {"en": "A draft only its publisher sees"}}
    assert (await client.post(API, json=body, headers=steward)).status_code == 201
    await publish(client, steward, "visible", "A published neighbour")
    anonymous = await page(client, f"/organisation/{PUBLISHER}")
    assert "A published neighbour" in anonymous and "A draft only" not in anonymous
    assert "A draft only" in await page(client, f"/organisation/{PUBLISHER}", steward)
    again = await page(client, f"/organisation/{PUBLISHER}")
    assert "A draft only" not in again


async def test_each_interface_language_gets_its_own_page(client, steward):
    await publish(client, steward, "bilingual", "Bilingual page")
    assert 'lang="en"' in await page(client, "/dataset/bilingual?lang=en")
    assert 'lang="sl"' in await page(client, "/dataset/bilingual?lang=sl")
    for language in ("sl", "en", "sl"):
        client.cookies.clear()  # ?lang= left a cookie, which would win over the header
        response = await client.get(
            "/dataset/bilingual", headers={**HTML, "Accept-Language": language}
        )
        assert response.headers["content-language"] == language
        assert f'lang="{language}"' in response.text


async def test_a_missing_dataset_is_still_a_404_after_it_was_asked_for(client, steward):
    assert (await client.get("/dataset/later", headers=HTML)).status_code == 404
    assert (await client.get("/dataset/later", headers=HTML)).status_code == 404
    await publish(client, steward, "later", "Published later")
    assert "Published later" in await page(client, "/dataset/later")


async def test_what_a_dataset_page_shows_beyond_the_dataset_moves_the_version(client, steward):
    """Identifier schemes and harvest provenance are on the dataset page and services' uses
    on the transparency pages, so they move the catalogue version; a harvest run's
    bookkeeping on an unchanged record does not."""
    from catalogue.datasets.tables import IdentifierScheme
    from catalogue.harvest.tables import HarvestRecord, HarvestSource
    from catalogue.organisations.tables import Organisation

    await IdentifierScheme.insert(IdentifierScheme(code="parcel-id", label="Parcel number"))
    before = await current_version()
    await IdentifierScheme.update({IdentifierScheme.label: "Land parcel number"}).where(
        IdentifierScheme.code == "parcel-id"
    )
    after_scheme = await current_version()
    assert after_scheme > before

    organisation = await Organisation.select(Organisation.id).first()
    await HarvestSource.insert(
        HarvestSource(name="portal", kind="dcat", organisation=organisation["id"], options={})
    )
    source = await HarvestSource.select(HarvestSource.id).first()
    await HarvestRecord.insert(
        HarvestRecord(
            source=source["id"],
            key="k",
            identifier="urn:x",
            slug="harvested",
            harvested={},
            fields=[],
            issues=[],
            problems=[],
        )
    )
    after_insert = await current_version()
    assert after_insert > after_scheme
    await HarvestRecord.update({HarvestRecord.last_job: 7, HarvestRecord.page: "p"}).where(
        HarvestRecord.key == "k"
    )
    assert await current_version() == after_insert  # bookkeeping only
    await HarvestRecord.update({HarvestRecord.issues: [{"path": "x"}]}).where(
        HarvestRecord.key == "k"
    )
    after_issues = await current_version()
    assert after_issues > after_insert
    await HarvestSource.update({HarvestSource.url: "https://portal.example"}).where(
        HarvestSource.id == source["id"]
    )
    after_source = await current_version()
    assert after_source > after_issues

    from catalogue.onceonly.tables import ServiceUse

    await ServiceUse.insert(  # the transparency pages list services' uses
        ServiceUse(
            agreement_id=uuid.uuid4(),
            service_slug="child-benefit",
            service_title={"en": "Child benefit"},
            dataset_slug="population",
            status="approved",
            attributes=[],
        )
    )
    assert await current_version() > after_source


async def test_a_page_with_a_message_for_this_browser_is_its_own(client, steward):
    """Signing out leaves a message in the session: the next page shows it, whatever page
    an anonymous visitor was given before."""
    from tests.test_sessions import sign_in
    from tests.test_ui_steward_pages import csrf

    client.follow_redirects = False
    await publish(client, steward, "messaged", "A dataset with messages")
    assert "You have signed out" not in await page(client, "/dataset/messaged")
    await sign_in(client, "steward@example.gov", "correct horse battery")
    signout = await client.get("/signout")
    assert (
        await client.post("/signout", data={"_csrf_token": csrf(signout.text)})
    ).status_code == 303
    assert "You have signed out" in await page(client, "/dataset/messaged")
    assert "You have signed out" not in await page(client, "/dataset/messaged")


async def test_a_kept_ckan_search_answer_follows_every_change(client, steward):
    """``package_search`` answers of up to 100 rows are kept per version and index
    snapshot (``catalogue.ckan.actions``); a CKAN client sees each change at once."""

    async def found() -> list[str]:
        response = await client.get(
            "/api/3/action/package_search", params={"q": "meadows", "rows": 10}
        )
        return sorted(package["title"] for package in response.json()["result"]["results"])

    await publish(client, steward, "meadow-one", "Wet meadows")
    assert await found() == ["Wet meadows"]
    assert await found() == ["Wet meadows"]
    await retitle(client, steward, "meadow-one", "Dry meadows")
    assert await found() == ["Dry meadows"]
    await publish(client, steward, "meadow-two", "Alpine meadows")
    assert await found() == ["Alpine meadows", "Dry meadows"]


async def test_a_rescore_shows_on_the_dataset_page_at_once(client, steward):
    """Link checks rescore a dataset without touching it: its kept page follows its own
    score (another dataset's rescore leaves it kept)."""
    import datetime as dt

    from catalogue.quality.tables import QualityScore

    await publish(client, steward, "scored", "A scored dataset")
    before = await page(client, "/dataset/scored")
    row = (
        await QualityScore.select()
        .where(QualityScore.slug == "scored")
        .first()
        .output(load_json=True)
    )
    assert row is not None and f"{row['points']} of " in before
    assessment = {**row["assessment"], "points": 3, "rating": "bad"}
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    await QualityScore.update(
        {QualityScore.assessment: assessment, QualityScore.computed_at: later}
    ).where(QualityScore.slug == "scored")
    assert "3 of " in await page(client, "/dataset/scored")


async def test_a_kept_ckan_answer_is_never_given_to_a_caller_with_a_token(client, steward):
    """Anonymous CKAN answers are kept whole (``catalogue.ckan.controllers``); a caller with
    a token, who may see drafts, always gets their own."""
    body = {**open_dataset("draft-meadow"), "title": {"en": "Draft meadow"}}
    assert (await client.post(API, json=body, headers=steward)).status_code == 201
    show = "/api/3/action/package_show?id=draft-meadow"
    assert (await client.get(show)).status_code == 404
    mine = await client.get(show, headers=steward)
    assert mine.status_code == 200 and mine.json()["result"]["title"] == "Draft meadow"
    assert (await client.get(show)).status_code == 404
    listed = await client.get("/api/3/action/package_list", headers={"Accept-Encoding": "gzip"})
    assert listed.json() == (await client.get("/api/3/action/package_list")).json()
    assert listed.json()["success"] is True


async def test_a_page_and_its_json_twin_are_kept_apart_and_both_follow_an_edit(client, steward):
    await publish(client, steward, "twin", "Twin one")
    for _ in range(2):  # the second round is served from what the first kept
        html = await client.get("/dataset/twin", headers=HTML)
        twin = await client.get("/dataset/twin", headers={"Accept": "application/json"})
        api = await client.get(f"{API}/twin")
        assert html.headers["content-type"].startswith("text/html") and "Twin one" in html.text
        assert twin.headers["content-type"] == "application/json"
        assert twin.json()["title"]["en"] == "Twin one" == api.json()["title"]["en"]
        assert twin.headers["etag"] == api.headers["etag"]
    await retitle(client, steward, "twin", "Twin two")
    twin = await client.get("/dataset/twin", headers={"Accept": "application/json"})
    assert twin.json()["title"]["en"] == "Twin two"
    assert (await client.get(f"{API}/twin")).json()["title"]["en"] == "Twin two"
    assert (await client.get(f"{API}/nothing-here")).status_code == 404


@pytest.fixture
def kept_keys(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """The keys of the answers kept from now on (path, query string, ...)."""
    from catalogue.ui import page_cache

    kept: list[tuple[Any, ...]] = []
    real_put = page_cache._pages.put
    monkeypatch.setattr(
        page_cache._pages,
        "put",
        lambda key, *rest, **kw: kept.append(key) or real_put(key, *rest, **kw),
    )
    return kept


async def test_json_answers_are_built_once_for_anonymous_readers(client, steward, kept_keys):
    """A handler's Response without a status (the GET default, 200) is kept like a page."""
    await publish(client, steward, "built-once", "Built once")
    for _ in range(3):
        assert (
            await client.get("/dataset/built-once", headers={"Accept": "application/json"})
        ).status_code == 200
        assert (await client.get("/api/v1/search?q=built")).json()["total"] == 1
        assert (await client.get(f"{API}/built-once")).status_code == 200
    assert sorted(key[0] for key in kept_keys) == [
        "/api/v1/datasets/built-once",
        "/api/v1/search",
        "/dataset/built-once",
    ]


async def test_a_kept_rdf_answer_follows_edits_and_conditional_requests_still_get_304(
    client, steward
):
    await publish(client, steward, "rdf-kept", "RDF one")
    for _ in range(2):
        ttl = await client.get("/dataset/rdf-kept.ttl")
        negotiated = await client.get("/dataset/rdf-kept", headers={"Accept": "text/turtle"})
        assert ttl.status_code == 200 and "RDF one" in ttl.text
        assert negotiated.headers["content-type"].startswith("text/turtle")
        assert "Accept" in negotiated.headers["vary"]
    assert ttl.text == negotiated.text
    again = await client.get(
        "/dataset/rdf-kept.ttl", headers={"If-None-Match": ttl.headers["etag"]}
    )
    assert again.status_code == 304
    await retitle(client, steward, "rdf-kept", "RDF two")
    assert "RDF two" in (await client.get("/dataset/rdf-kept.ttl")).text
    assert (await client.get("/dataset/rdf-kept.ttl?profile=nonsense")).status_code == 400


async def test_a_large_ckan_window_is_read_afresh_and_not_kept(client, steward, kept_keys):
    await publish(client, steward, "window", "Window")
    for rows in (500, 500, 10):
        found = await client.get("/api/3/action/package_search", params={"rows": rows})
        assert found.json()["result"]["count"] == 1
    assert [key[1] for key in kept_keys] == [b"rows=10"]
