"""Atom feeds of changes, read with a real feed parser (feedparser, as feed readers do)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from typing import Any

import feedparser
import pytest

from catalogue.discovery import feeds
from tests.factories import make_organisation, make_user, open_dataset

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
ATOM = "{http://www.w3.org/2005/Atom}"


async def parsed(client: Any, path: str) -> Any:
    response = await client.get(path)
    assert response.status_code == 200, (path, response.text)
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")  # well-formed
    assert feed.version == "atom10"
    return feed


def check_valid_atom(feed: Any) -> None:
    """RFC 4287's musts: the feed's id, title, updated, an author (feed or entry) and a
    self link; each entry's id, title, updated and an alternate link."""
    assert feed.feed.id and feed.feed.title and feed.feed.updated_parsed
    assert feed.feed.author
    assert any(link.rel == "self" for link in feed.feed.links)
    for entry in feed.entries:
        assert entry.id.startswith("urn:uuid:") and entry.title and entry.updated_parsed
        assert any(link.rel == "alternate" and link.type == "text/html" for link in entry.links)
    assert len({entry.id for entry in feed.entries}) == len(feed.entries)


async def test_the_catalogue_feed_lists_public_datasets_newest_change_first(
    client: Any, seeded: None
) -> None:
    feed = await parsed(client, "/feeds/changes.atom")
    check_valid_atom(feed)
    public = (await client.get("/api/v1/datasets?size=100")).json()["items"]
    assert len(feed.entries) == min(len(public), feeds.FEED_SIZE)
    assert [entry.link.rsplit("/", 1)[1] for entry in feed.entries] == [
        item["slug"] for item in public
    ][: feeds.FEED_SIZE]
    updated = [entry.updated_parsed for entry in feed.entries]
    assert updated == sorted(updated, reverse=True)
    assert feed.feed.updated_parsed == updated[0]
    slugs = {entry.link.rsplit("/", 1)[1] for entry in feed.entries}
    assert "maribor-municipal-spatial-plan" not in slugs  # a draft
    first = feed.entries[0]
    assert first.author and first.summary and first.tags[0].scheme.endswith("data-theme")
    assert first.link.startswith("http://127.0.0.1:8000/dataset/")


async def test_organisation_and_theme_feeds_hold_only_their_datasets(
    client: Any, seeded: None
) -> None:
    feed = await parsed(client, "/feeds/organisation/statistical-office.atom")
    check_valid_atom(feed)
    assert feed.entries and all(
        entry.author_detail.href.endswith("/organisation/statistical-office")
        for entry in feed.entries
    )
    assert any(
        link.rel == "alternate" and link.href.endswith("/organisation/statistical-office")
        for link in feed.feed.links
    )
    theme = await parsed(client, "/feeds/theme/ENVI.atom")
    check_valid_atom(theme)
    assert theme.entries and all(
        any(tag.term == "ENVI" for tag in entry.tags) for entry in theme.entries
    )
    assert (await client.get("/feeds/organisation/nobody.atom")).status_code == 404
    assert (await client.get("/feeds/theme/NOPE.atom")).status_code == 404
    assert (await client.get("/feeds/theme/ENVI.rss")).status_code == 404


@pytest.fixture
async def demo_client() -> AsyncIterator[Any]:
    """The demo catalogue loaded before the app starts (as the search tests do), so the
    app opens the demo's search index rather than one replaced under it."""
    from litestar.testing import AsyncTestClient

    from catalogue.app import create_app
    from tests.conftest import load_demo_catalogue

    await load_demo_catalogue()
    async with AsyncTestClient(app=create_app(prepare=False, pool=False)) as test_client:
        yield test_client


async def test_a_saved_search_feed_applies_the_same_query_and_filters(demo_client: Any) -> None:
    client = demo_client
    search = (
        await client.get("/api/v1/search?q=register&classification=personal&size=100&sort=modified")
    ).json()
    path = "/search.atom?q=register&classification=personal"
    feed = await parsed(client, path)
    check_valid_atom(feed)
    assert [entry.link.rsplit("/", 1)[1] for entry in feed.entries] == [
        hit["slug"] for hit in search["items"]
    ]
    assert feed.entries and all("[personal" in entry.summary for entry in feed.entries)
    assert any(
        link.rel == "alternate" and link.href.endswith("/search?q=register&classification=personal")
        for link in feed.feed.links
    )
    bad = await client.get("/search.atom?q=%28unclosed")
    assert bad.status_code == 400 and bad.json()["problems"][0]["field"] == "q"
    empty = await parsed(client, "/search.atom?q=nothingmatchesthiswordatall")
    assert empty.entries == [] and empty.feed.updated_parsed


async def test_feeds_never_show_drafts_and_follow_a_change_at_once(client: Any, db: None) -> None:
    await make_organisation()
    steward = await make_user("s@example.si", {"ministry-of-examples": "steward"})
    for slug, status in (
        ("first", "published"),
        ("secret-draft", "draft"),
        ("second", "published"),
    ):
        document = {**open_dataset(slug), "status": status, "internal_note": "internal"}
        assert (
            await client.post("/api/v1/datasets", json=document, headers=steward)
        ).status_code == 201
    for path in (
        "/feeds/changes.atom",
        "/feeds/organisation/ministry-of-examples.atom",
        "/search.atom",
        "/feeds/theme/GOVE.atom",
    ):
        feed = await parsed(client, path)
        assert [e.link.rsplit("/", 1)[1] for e in feed.entries] == ["second", "first"], path
    raw = (await client.get("/feeds/changes.atom")).text
    assert "internal" not in raw.replace("xml:lang", "")
    etag = (await client.get("/api/v1/datasets/first")).headers["etag"]
    changed = await client.patch(
        "/api/v1/datasets/first",
        json={"title": {"en": "Renamed"}},
        headers={**steward, "If-Match": etag},
    )
    assert changed.status_code == 200
    for path in ("/feeds/changes.atom", "/search.atom"):  # cached feeds follow the change
        feed = await parsed(client, path)
        assert [e.title for e in feed.entries] == ["Renamed", "Example open dataset"], path


async def test_pages_link_their_feeds_in_the_head(client: Any, seeded: None) -> None:
    def alternates(html: str) -> list[str]:
        head = html.split("</head>", 1)[0]
        return re.findall(
            r'<link rel="alternate" type="application/atom\+xml" '
            r'title="[^"]*" href="([^"]*)">',
            head,
        )

    home = alternates((await client.get("/", headers=BROWSER)).text)
    assert home == ["/feeds/changes.atom"]
    organisation = alternates(
        (await client.get("/organisation/statistical-office", headers=BROWSER)).text
    )
    assert "/feeds/organisation/statistical-office.atom" in organisation
    search = alternates((await client.get("/search?q=tax&theme=ECON&page=1", headers=BROWSER)).text)
    assert "/search.atom?q=tax&amp;theme=ECON" in search and "/feeds/theme/ECON.atom" in search
    dataset = alternates((await client.get("/dataset/gdp-quarterly", headers=BROWSER)).text)
    assert any(href.startswith("/feeds/organisation/") for href in dataset)
    for href in (*organisation, *dataset):
        assert (
            ET.fromstring((await client.get(href.replace("&amp;", "&"))).content).tag
            == f"{ATOM}feed"
        )
