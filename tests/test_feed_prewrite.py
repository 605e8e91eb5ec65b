"""The feed's chunks are written ahead of harvesters, so a first read of the whole feed costs
what a second one does: after a prewrite, reading every page writes no chunk, an edit leaves
exactly that dataset to write, and the server's child process does the same walk."""

from __future__ import annotations

import fcntl
import sqlite3
from typing import Any

import pytest

from catalogue.dcat import chunk_store, feed, prewrite, rendered
from catalogue.settings import get_settings
from tests.factories import PUBLISHER, make_organisation, make_user
from tests.test_read_scale import publish, retitle, walk_feed


def stored_chunks() -> int:
    path = get_settings().data_dir / "cache" / "rdf-chunks.sqlite"
    if not path.exists():
        return 0
    with sqlite3.connect(path) as connection:
        return int(connection.execute("SELECT count(*) FROM chunk").fetchone()[0])


async def unwritten_in_feed() -> list[str]:
    """Slugs of public datasets whose Turtle chunk the store lacks."""
    missing: list[str] = []
    query = feed.FeedQuery()
    while True:
        page_of = await feed.feed_page(query)
        items = await rendered.describe_rows(page_of.rows, get_settings())
        missing += [item.facts.slug for item in rendered.unwritten(items, "ttl")]
        if page_of.next_after is None:
            return missing
        query = feed.FeedQuery(after=feed.seek.Cursor.parse(page_of.next_after))


@pytest.fixture
async def steward(client: Any) -> dict[str, str]:
    await make_organisation()
    return await make_user("steward@example.gov", {PUBLISHER: "steward"})


async def test_after_a_prewrite_reading_the_whole_feed_writes_nothing(client, steward, monkeypatch):
    monkeypatch.setattr(feed, "PAGE_SIZE", 3)
    slugs = [f"prewritten-{number}" for number in range(7)]
    for slug in slugs:
        await publish(client, steward, slug)
    assert sorted(await unwritten_in_feed()) == slugs

    report = await prewrite.prewrite_feed()
    assert (report.datasets, report.written) == (7, 7)
    assert await unwritten_in_feed() == []

    rendered.clear()  # a worker that never saw these datasets
    before = stored_chunks()
    assert sorted(await walk_feed(client, "/catalog.ttl")) == slugs
    assert stored_chunks() == before  # every chunk came from the store

    again = await prewrite.prewrite_feed()
    assert (again.datasets, again.written) == (7, 0)


async def test_an_edit_leaves_only_that_dataset_to_write(client, steward):
    for slug in ("kept-one", "edited-one"):
        await publish(client, steward, slug)
    await prewrite.prewrite_feed()
    await retitle(client, steward, "edited-one", "A new title")
    assert await unwritten_in_feed() == ["edited-one"]
    report = await prewrite.prewrite_feed()
    assert report.written == 1
    assert await unwritten_in_feed() == []


async def test_the_servers_child_process_writes_the_chunks(client, steward):
    await publish(client, steward, "by-the-child")
    assert await unwritten_in_feed() == ["by-the-child"]
    assert await prewrite.run_child(get_settings()) == 0
    assert await unwritten_in_feed() == []


async def test_only_one_worker_of_a_data_directory_runs_the_child(client):
    settings = get_settings()
    lock = settings.data_dir / "cache" / "feed-prewrite.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        assert await prewrite.run_child(settings) is None  # another worker holds it


def test_the_store_tells_kept_from_missing_without_reading_texts(tmp_path, monkeypatch):
    monkeypatch.setattr(chunk_store, "_path", lambda: tmp_path / "chunks.sqlite")
    chunk_store.put_many([("a", "1", "text of a")])
    assert chunk_store.present({"a": "1", "b": "1"}) == {"a"}
    assert chunk_store.present({"a": "2"}) == set()  # another revision
