"""The index follows the database: every committed change, and healing after a crash."""

from __future__ import annotations

import shutil

import pytest

from catalogue.accounts.principal import Principal
from catalogue.search import (
    index,
    index_consistency,
    index_drain,
    index_files,
    index_rebuild,
    outbox,
    snapshot,
)
from catalogue.search.service import SearchQuery, search, search_slugs
from catalogue.search.tables import ChangeLog
from catalogue.settings import get_settings
from tests.factories import PUBLISHER, changed, make_organisation, make_user, open_dataset

ADMIN = Principal(user_id=0, name="admin", email="", global_role="admin")


@pytest.fixture
async def steward(db) -> Principal:
    from catalogue.accounts.principal import STEWARD
    from catalogue.accounts.service import create_user, principal_for_user

    await make_organisation()
    user_id = await create_user(
        "steward@example.gov",
        "Steward",
        "correct horse battery",
        "",
        None,
        roles={PUBLISHER: STEWARD},
    )
    principal = await principal_for_user(user_id)
    assert principal is not None
    return principal


async def found(q: str, principal: Principal | None = None) -> list[str]:
    result = await search(SearchQuery(q=q, size=100), principal)
    return [hit.slug for hit in result.items]


def indexed_slugs() -> set[str]:
    """What the index holds right now, without the pre-search sync (a reader's raw view)."""
    current = snapshot.current()
    if current is None:
        return set()
    return {
        current.searcher.stored_fields(d)["slug"]
        for d in range(current.size)
        if (current.live >> d) & 1
    }


async def test_create_publish_update_and_withdraw_each_reach_the_index(steward):
    from catalogue.datasets import service

    record = await service.create_dataset(open_dataset("river-levels"), steward)
    assert await found("example", steward) == ["river-levels"]  # the steward sees the draft
    assert await found("example") == []  # the public does not

    published = changed(open_dataset("river-levels"), "status", "published")
    record = await service.replace_dataset("river-levels", published, record.revision, steward)
    assert await found("example") == ["river-levels"]

    renamed = changed(published, "title.en", "Hourly river gauges")
    record = await service.replace_dataset("river-levels", renamed, record.revision, steward)
    assert await found("gauges") == ["river-levels"]
    assert await found("gauges example") == ["river-levels"]

    await service.withdraw_dataset("river-levels", record.revision, steward)
    assert await found("gauges") == []
    assert await found("gauges", ADMIN) == ["river-levels"]  # admins see everything
    assert not await index_drain.pending()


async def test_a_change_is_indexed_right_after_its_commit_without_a_search(steward):
    from catalogue.datasets import service

    await service.create_dataset(open_dataset("soil-samples"), steward)
    await outbox.wait_for_pending_drains()
    assert not await index_drain.pending()
    assert "soil-samples" in indexed_slugs()


async def test_a_rolled_back_change_leaves_no_change_log_row(steward):
    from catalogue.datasets.service import create_dataset
    from catalogue.errors import Conflict

    await create_dataset(open_dataset("only-once"), steward)
    with pytest.raises(Conflict):
        await create_dataset(open_dataset("only-once"), steward)
    await outbox.wait_for_pending_drains()
    assert await ChangeLog.count().where(ChangeLog.kind == "dataset") == 1
    assert not await index_drain.pending()


async def test_a_crash_between_commit_and_indexing_heals_on_the_next_start(steward):
    """Simulate kill -9 after the commit: another process holds the writer lock, so nothing
    is indexed; the change log keeps the row and a fresh start applies it."""
    from catalogue.datasets import service

    await index.ensure_index()
    with index_files.writer_lock(blocking=False) as acquired:  # "the other process"
        assert acquired
        await service.create_dataset(open_dataset("after-crash"), steward)
        await outbox.wait_for_pending_drains()
        assert await index_drain.pending()
        assert "after-crash" not in indexed_slugs()
    snapshot.forget()  # a new process: nothing cached
    async with outbox.search_lifespan():
        assert not await index_drain.pending()
        assert "after-crash" in indexed_slugs()


async def test_a_missing_index_is_rebuilt_at_start(steward):
    from catalogue.datasets import service

    await service.create_dataset(open_dataset("kept-in-the-database"), steward)
    await outbox.wait_for_pending_drains()
    shutil.rmtree(get_settings().index_dir)
    snapshot.forget()
    assert await index_consistency.consistency_problem() is not None
    await index.ensure_index()
    assert await index_consistency.consistency_problem() is None
    assert await found("example", ADMIN) == ["kept-in-the-database"]


async def test_a_corrupt_index_is_rebuilt_at_start(steward):
    from catalogue.datasets import service

    await service.create_dataset(open_dataset("survives-corruption"), steward)
    await outbox.wait_for_pending_drains()
    for toc in get_settings().index_dir.glob("_MAIN_*.toc"):
        toc.write_bytes(b"not a table of contents")
    snapshot.forget()
    assert await index.ensure_index() is not None
    assert await found("example", ADMIN) == ["survives-corruption"]


async def test_a_stale_index_is_noticed_and_rebuilt(steward):
    import datetime as dt

    from catalogue.datasets import service
    from catalogue.datasets.tables import Dataset

    record = await service.create_dataset(open_dataset("stale-check"), steward)
    await index.ensure_index()
    assert await index_consistency.consistency_problem() is None
    # A change that bypassed the service (a restore, a manual fix) leaves no change-log row.
    document = changed(record.document.model_dump(mode="json"), "title.en", "Renamed by hand")
    await Dataset.update(
        {Dataset.document: document, Dataset.modified: dt.datetime.now(dt.UTC)}
    ).where(Dataset.slug == "stale-check")
    assert "older" in (await index_consistency.consistency_problem() or "")
    await index.ensure_index()
    assert await found("renamed", ADMIN) == ["stale-check"]


async def test_reindex_rebuilds_from_the_database(steward):
    from catalogue.datasets import service

    for number in range(3):
        await service.create_dataset(open_dataset(f"set-{number}"), steward)
    seen: list[tuple[int, int]] = []
    assert await index_rebuild.rebuild(lambda done, total: seen.append((done, total))) == 3
    assert seen[-1] == (3, 3)
    assert await index_consistency.consistency_problem() is None


async def test_search_slugs_expresses_ckan_filters_and_sorts(steward):
    import datetime as dt

    from catalogue.datasets import service

    for slug, fmt in (("alpha", "CSV"), ("bravo", "JSON"), ("charlie", "CSV")):
        document = open_dataset(slug)
        document["technical"]["distributions"][0]["format"] = fmt
        await service.create_dataset(document, steward)

    slugs, total, facets = await search_slugs(
        SearchQuery(filters={"format": ["CSV"]}), ADMIN, sort_fields=[("slug", False)]
    )
    assert (slugs, total) == (["alpha", "charlie"], 2)
    assert dict(facets["format"]) == {"CSV": 2, "JSON": 1}

    slugs, _, _ = await search_slugs(
        SearchQuery(),
        ADMIN,
        exclude={"format": ["JSON"]},
        sort_fields=[("title", False), ("slug", True)],
    )
    assert slugs == ["charlie", "alpha"]

    slugs, total, _ = await search_slugs(
        SearchQuery(),
        ADMIN,
        any_of=[{"format": ["JSON"], "slug": ["alpha"]}],
        sort_fields=[("slug", True)],
    )
    assert (slugs, total) == (["bravo", "alpha"], 2)

    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert (await search_slugs(SearchQuery(), ADMIN, modified_from=later))[1] == 0
    earlier = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    assert (await search_slugs(SearchQuery(), ADMIN, modified_from=earlier))[1] == 3

    slugs, total, _ = await search_slugs(
        SearchQuery(), ADMIN, start=1, rows=1, sort_fields=[("slug", False)]
    )
    assert (slugs, total) == (["bravo"], 3)
    assert (await search_slugs(SearchQuery(), None))[1] == 0  # all drafts: nothing public


async def test_snippets_escape_everything_but_the_marks(client, steward):
    admin = await make_user("admin@example.gov", global_role="admin")
    document = changed(open_dataset(), "description.en", "Rates <b>& levies</b> per tax office")
    assert (await client.post("/api/v1/datasets", json=document, headers=admin)).status_code == 201
    response = await client.get("/api/v1/search", params={"q": "tax"}, headers=admin)
    body = response.json()
    snippet = body["items"][0]["snippet"]
    assert "&lt;b&gt;&amp; levies&lt;/b&gt;" in snippet
    assert "<mark>tax</mark>" in snippet


def test_the_reindex_command_rebuilds_and_reports(tmp_path):
    from click.testing import CliRunner

    from catalogue.cli import main

    result = CliRunner().invoke(main, ["reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed" in result.output
    again = CliRunner().invoke(main, ["reindex", "--check"])
    assert again.exit_code == 0, again.output
    assert "up to date" in again.output


KILLED_WRITER = """
import asyncio, os, signal, sys
from catalogue.accounts.principal import Principal
from catalogue.datasets import service
from catalogue.db import prepare_engine
from catalogue.datasets.tables import Dataset
from catalogue.search import index_files
from catalogue.settings import get_settings
from catalogue.wiring import wire
from tests.factories import open_dataset

async def main():
    wire(get_settings())  # a script wires first, as the app and the CLI do
    await prepare_engine(Dataset._meta.db)
    admin = Principal(user_id=int(sys.argv[1]), name="admin", email="", global_role="admin")
    with index_files.writer_lock(blocking=True):  # keep this process's own drain from running
        await service.create_dataset(open_dataset("killed-before-indexing"), admin)
        os.kill(os.getpid(), signal.SIGKILL)  # committed, not indexed: kill -9

asyncio.run(main())
"""


async def test_a_process_killed_after_its_commit_is_healed_by_the_next_start(steward):
    """A real kill -9 of another process right after its commit, before any indexing."""
    import signal
    import subprocess
    import sys

    from catalogue.accounts.service import create_user
    from tests.conftest import PROJECT_ROOT

    await index.ensure_index()
    admin_id = await create_user("root@example.gov", "Root", "correct horse battery", "admin", None)
    process = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, str(admin_id)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        timeout=120,
    )
    assert process.returncode == -signal.SIGKILL, process.stderr.decode()
    assert await index_drain.pending()
    assert "killed-before-indexing" not in indexed_slugs()

    snapshot.forget()
    async with outbox.search_lifespan():  # the next start
        assert not await index_drain.pending()
        assert "killed-before-indexing" in indexed_slugs()


async def test_remembered_facet_counts_equal_fresh_ones_and_stay_bounded(steward, monkeypatch):
    from catalogue.datasets import service

    for number in range(3):
        document = open_dataset(f"counted-{number}")
        await service.create_dataset({**document, "status": "published"}, steward)
    first = await search(SearchQuery(q="example"), None)
    again = await search(SearchQuery(q="example"), None)
    assert again.facets == first.facets and first.facets["publisher"] == [(PUBLISHER, 3)]

    current = snapshot.current()
    assert current is not None
    monkeypatch.setattr(snapshot, "FACET_MEMO_BYTES", 1)  # room for one entry only
    for base in (0b1, 0b10, 0b11):  # not asked before: each is computed and kept
        remembered = current.facet_counts("classification", base)
        fresh = sorted(
            (
                (value, (bits & base).bit_count())
                for value, bits in current.facet("classification").items()
                if bits & base
            ),
            key=lambda item: (-item[1], item[0]),
        )
        assert remembered == fresh
        assert len(current._counts) == 1
