"""Reads that stay right at any size: seek paging, cached counts and documents.

A harvester or API client walking the catalogue while stewards edit it reads every dataset
exactly once; counts and cached RDF follow every change at once (the catalogue version and
the revision are part of every cache key).
"""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef

from catalogue.dcat import feed
from catalogue.dcat.namespaces import DCAT, DCT, FOAF, HYDRA, RDF
from tests.factories import PUBLISHER, make_organisation, make_user, open_dataset

API = "/api/v1/datasets"
BASE = "http://127.0.0.1:8000"


@pytest.fixture
async def steward(client: Any) -> dict[str, str]:
    await make_organisation()
    return await make_user("steward@example.gov", {PUBLISHER: "steward"})


async def publish(client: Any, headers: dict[str, str], slug: str, **extra: Any) -> None:
    body = {**open_dataset(slug), "status": "published", **extra}
    response = await client.post(API, json=body, headers=headers)
    assert response.status_code == 201, response.text


async def retitle(client: Any, headers: dict[str, str], slug: str, title: str) -> None:
    current = await client.get(f"{API}/{slug}")
    response = await client.patch(
        f"{API}/{slug}",
        json={"title": {"en": title}},
        headers={**headers, "If-Match": current.headers["etag"]},
    )
    assert response.status_code == 200, response.text


async def test_a_cursor_walk_reads_every_dataset_once_while_they_are_edited(client, steward):
    slugs = [f"walk-{number}" for number in range(7)]
    for slug in slugs:
        await publish(client, steward, slug)
    seen: list[str] = []
    url: str | None = f"{API}?size=2&order=created"
    edits = iter(["walk-0", "walk-6", "walk-3", "walk-5"])  # read already, and not yet
    while url:
        page = (await client.get(url)).json()
        seen += [item["slug"] for item in page["items"]]
        assert page["total"] >= 7
        if (slug := next(edits, None)) is not None:
            await retitle(client, steward, slug, f"Edited while walking {slug}")
        url = page["links"]["next"]
        assert (url is None) == (page["next_cursor"] is None)
    assert sorted(seen) == sorted(slugs)  # each exactly once


async def test_the_newest_first_cursor_continues_where_the_page_ended(client, steward):
    for number in range(5):
        await publish(client, steward, f"newest-{number}")
    first = (await client.get(API, params={"size": 2})).json()
    by_page = (await client.get(API, params={"size": 2, "page": 2})).json()
    by_cursor = (await client.get(API, params={"size": 2, "cursor": first["next_cursor"]})).json()
    assert [i["slug"] for i in by_cursor["items"]] == [i["slug"] for i in by_page["items"]]
    assert [i["slug"] for i in first["items"]] == ["newest-4", "newest-3"]
    assert by_cursor["page"] is None and by_cursor["order"] == "modified"


async def test_a_page_past_the_end_is_empty_and_a_bad_cursor_is_refused(client, steward):
    await publish(client, steward, "only-one")
    beyond = (await client.get(API, params={"page": 50})).json()
    assert (beyond["items"], beyond["total"], beyond["next_cursor"]) == ([], 1, None)
    for bad in ("not-a-cursor", "eyJ4IjogMX0"):
        response = await client.get(API, params={"cursor": bad})
        assert response.status_code == 400
        assert [p["field"] for p in response.json()["problems"]] == ["cursor"]
    assert (await client.get(API, params={"order": "random"})).status_code == 400


async def test_totals_and_counts_follow_every_change_at_once(client, steward):
    await publish(client, steward, "counted-1")
    assert (await client.get(API)).json()["total"] == 1
    organisations = (await client.get("/organisations?format=json")).json()["items"]
    assert {o["slug"]: o["dataset_count"] for o in organisations}[PUBLISHER] == 1

    await publish(client, steward, "counted-2")
    assert (await client.get(API)).json()["total"] == 2
    assert (await client.get(API, params={"classification": "open"})).json()["total"] == 2
    organisations = (await client.get("/organisations?format=json")).json()["items"]
    assert {o["slug"]: o["dataset_count"] for o in organisations}[PUBLISHER] == 2

    current = await client.get(f"{API}/counted-1")
    withdrawn = await client.delete(
        f"{API}/counted-1", headers={**steward, "If-Match": current.headers["etag"]}
    )
    assert withdrawn.status_code == 200
    assert (await client.get(API)).json()["total"] == 1
    assert (await client.get(API, params={"classification": "open"})).json()["total"] == 1
    organisations = (await client.get("/organisations?format=json")).json()["items"]
    assert {o["slug"]: o["dataset_count"] for o in organisations}[PUBLISHER] == 1


async def test_the_catalogue_version_moves_with_every_committed_change(client, steward):
    from catalogue.datasets.versions import current_version

    before = await current_version()
    await publish(client, steward, "versioned")
    after_create = await current_version()
    await retitle(client, steward, "versioned", "Renamed")
    after_edit = await current_version()
    assert before < after_create < after_edit


async def test_a_read_request_reads_the_version_once_and_a_write_reads_it_afresh(
    client, steward, monkeypatch
):
    from catalogue.datasets import versions

    await publish(client, steward, "held")
    reads: list[int] = []
    read = versions._read_version

    async def counted() -> int:
        reads.append(await read())
        return reads[-1]

    monkeypatch.setattr(versions, "_read_version", counted)
    for page in ("/", f"/organisation/{PUBLISHER}"):  # each asks several caches
        reads.clear()
        assert (await client.get(page, headers={"Accept": "text/html"})).status_code == 200
        assert len(reads) == 1, page
    await retitle(client, steward, "held", "Held again")
    page = await client.get("/api/v1/datasets", params={"q": "", "size": 5})
    assert "Held again" in page.text
    assert reads[-1] > reads[0]


async def test_a_cached_dataset_document_never_outlives_an_edit(client, steward):
    await publish(client, steward, "cached", semantic={"themes": ["GOVE"], "related": ["other"]})
    await publish(client, steward, "other")
    subject = URIRef(f"{BASE}/dataset/cached")

    async def graph(fmt: str, parser: str) -> Graph:
        response = await client.get(f"/dataset/cached.{fmt}")
        assert response.status_code == 200
        return Graph().parse(data=response.content, format=parser)

    for fmt, parser in (("ttl", "turtle"), ("nt", "nt"), ("rdf", "xml")):
        first = await graph(fmt, parser)
        assert (subject, DCT.relation, URIRef(f"{BASE}/dataset/other")) in first
    await retitle(client, steward, "cached", "A new title")
    for fmt, parser in (("ttl", "turtle"), ("nt", "nt"), ("rdf", "xml")):
        assert (subject, DCT.title, Literal("A new title", lang="en")) in await graph(fmt, parser)

    # A related dataset withdrawn: the link goes, though "cached" itself did not change.
    current = await client.get(f"{API}/other")
    await client.delete(f"{API}/other", headers={**steward, "If-Match": current.headers["etag"]})
    assert (subject, DCT.relation, None) not in await graph("ttl", "turtle")

    # The publisher renamed: its name in the dataset's RDF follows.
    renamed = await client.put(
        f"/api/v1/organisations/{PUBLISHER}", headers=steward, json={"name": "Renamed Ministry"}
    )
    assert renamed.status_code == 200
    document = await graph("ttl", "turtle")
    publisher = document.value(subject, DCT.publisher)
    assert document.value(publisher, FOAF.name) == Literal("Renamed Ministry")


async def walk_feed(client: Any, url: str, between: Any = None) -> list[str]:
    seen: list[str] = []
    pages = 0
    while url:
        response = await client.get(url)
        assert response.status_code == 200, response.text
        graph = Graph().parse(data=response.content, format="turtle")
        seen += sorted(str(s).rsplit("/", 1)[-1] for s in graph.subjects(RDF.type, DCAT.Dataset))
        collection = next(graph.subjects(RDF.type, HYDRA.PagedCollection))
        following = graph.value(collection, HYDRA.next)
        assert (following is None) == (graph.value(collection, HYDRA.nextPage) is None)
        url = str(following).removeprefix(BASE) if following else ""
        if between is not None:
            await between(pages)
        pages += 1
    return seen


async def test_a_harvest_reads_every_dataset_exactly_once_while_they_are_edited(
    client, steward, monkeypatch
):
    monkeypatch.setattr(feed, "PAGE_SIZE", 3)
    slugs = [f"harvest-{number:02d}" for number in range(10)]
    for slug in slugs:
        await publish(client, steward, slug)

    async def edit(page: int) -> None:  # after each page: one read before, one still ahead
        for slug in (slugs[page], slugs[-1 - page]):
            await retitle(client, steward, slug, f"Edited after page {page}")

    seen = await walk_feed(client, "/catalog.ttl", edit)
    assert sorted(seen) == slugs  # none missed, none twice

    # The pages themselves changed with the edits (a page is cached per catalogue version).
    latest = Graph().parse(data=(await client.get("/catalog.ttl")).content, format="turtle")
    subject = URIRef(f"{BASE}/dataset/{slugs[0]}")
    assert latest.value(subject, DCT.title) == Literal("Edited after page 0", lang="en")


async def test_numbered_feed_pages_still_work_and_link_to_the_seek(client, steward, monkeypatch):
    monkeypatch.setattr(feed, "PAGE_SIZE", 2)
    for number in range(5):
        await publish(client, steward, f"numbered-{number}")
    response = await client.get("/catalog.ttl?page=2")
    graph = Graph().parse(data=response.content, format="turtle")
    names = sorted(str(s).rsplit("/", 1)[-1] for s in graph.subjects(RDF.type, DCAT.Dataset))
    assert names == ["numbered-2", "numbered-3"]  # oldest first
    collection = next(graph.subjects(RDF.type, HYDRA.PagedCollection))
    assert "after=" in str(graph.value(collection, HYDRA.next))
    assert str(graph.value(collection, HYDRA.previous)).endswith("page=1")
    assert str(graph.value(collection, HYDRA.last)).endswith("page=3")
    bad = await client.get("/catalog.ttl?after=garbage")
    assert bad.status_code == 400
    assert [p["field"] for p in bad.json()["problems"]] == ["after"]


async def test_kept_feed_pages_count_against_their_byte_bound(client, steward):
    """A worker keeps feed pages up to 128 MB; each page counts with its size (a page was
    counted as 0 bytes, so after one harvest a worker held every page it had served)."""
    from catalogue.dcat import controllers

    await publish(client, steward, "bounded-page")
    controllers._pages.clear()
    body = (await client.get("/catalog.ttl")).content
    assert controllers._pages._bytes >= len(body) > 0


async def test_a_feed_page_is_sent_gzipped_to_those_who_ask_and_plain_to_others(client, steward):
    """The page is gzipped once and kept (catalogue.web.gzip), not on every request."""
    await publish(client, steward, "packed")
    plain = await client.get("/catalog.ttl", headers={"Accept-Encoding": "identity"})
    packed = await client.get("/catalog.ttl", headers={"Accept-Encoding": "gzip"})
    again = await client.get("/catalog.ttl", headers={"Accept-Encoding": "gzip, br"})
    refused = await client.get("/catalog.ttl", headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in plain.headers and "content-encoding" not in refused.headers
    assert packed.headers["content-encoding"] == "gzip" == again.headers["content-encoding"]
    assert "Accept-Encoding" in packed.headers["vary"]
    assert packed.content == plain.content == again.content  # httpx unpacks it
    assert packed.headers["etag"] == plain.headers["etag"]
    assert b"packed" in packed.content
    await retitle(client, steward, "packed", "Packed anew")
    assert (
        b"Packed anew"
        in (await client.get("/catalog.ttl", headers={"Accept-Encoding": "gzip"})).content
    )


@pytest.mark.parametrize("extension", ["rdf", "jsonld"])
async def test_a_kept_rdflib_document_never_outlives_a_rescore(client, steward, extension):
    """RDF/XML and JSON-LD of a dataset carry its quality measurements; they are kept per
    revision and score, so a rescore (a link check) shows at once."""
    import datetime as dt

    from catalogue.quality.tables import QualityScore

    await publish(client, steward, "measured")
    first = await client.get(f"/dataset/measured.{extension}")
    assert first.status_code == 200
    assert (await client.get(f"/dataset/measured.{extension}")).content == first.content
    row = (
        await QualityScore.select()
        .where(QualityScore.slug == "measured")
        .first()
        .output(load_json=True)
    )
    assert row is not None and row["points"] != 7
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    await QualityScore.update(
        {
            QualityScore.assessment: {**row["assessment"], "points": 7},
            QualityScore.computed_at: later,
        }
    ).where(QualityScore.slug == "measured")
    again = await client.get(f"/dataset/measured.{extension}")
    assert again.content != first.content
    assert b"7" in again.content
