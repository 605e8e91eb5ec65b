"""The change log: ordered, durable, followed by every node; gaps, pruning, caches."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from catalogue.accounts.principal import Principal
from catalogue.datasets import service
from catalogue.datasets.tables import Dataset
from catalogue.dcat import snapshot as dcat_snapshot
from catalogue.search import changelog, index, index_consistency, index_drain, index_files, outbox
from catalogue.search.changelog import Entry, follow_gaps
from catalogue.search.tables import ChangeLog
from tests.factories import changed, make_organisation, open_dataset
from tests.test_search_index import indexed_slugs

ADMIN = Principal(user_id=None, name="admin", email="", global_role="admin")


def test_ids_skipped_by_a_read_are_kept_as_gaps_until_they_appear_or_expire():
    position, gaps = follow_gaps(
        10,
        {},
        [Entry(11, "dataset", "create", "x"), Entry(14, "dataset", "create", "y")],
        now=100.0,
    )
    assert (position, gaps) == (14, {"12": 100.0, "13": 100.0})
    position, gaps = follow_gaps(position, gaps, [Entry(13, "dataset", "create", "z")], now=101.0)
    assert (position, gaps) == (14, {"12": 100.0})
    later = 100.0 + changelog.GAP_SECONDS + 1  # a rolled-back id never appears
    assert follow_gaps(position, gaps, [], now=later) == (14, {})


@pytest.fixture
async def catalogue_with_index(db) -> None:
    await make_organisation()
    await service.create_dataset(open_dataset("first"), ADMIN)
    await outbox.wait_for_pending_drains()
    await index.ensure_index()
    yield
    await outbox.wait_for_pending_drains()


async def _write_elsewhere(slug: str, log_id: int) -> None:
    """What another node's commit leaves behind: the row and its change-log entry."""
    document = changed(open_dataset(slug), "title.en", f"Written elsewhere {slug}")
    row = await Dataset.select(Dataset.id, Dataset.publisher).where(Dataset.slug == "first").first()
    new_id = uuid.uuid4()
    await Dataset.insert(
        Dataset(
            id=new_id,
            slug=slug,
            classification="open",
            status="published",
            publisher=row["publisher"],
            title=document["title"]["en"],
            document=(await service.validate(document)).model_dump(mode="json"),
            modified=dt.datetime.now(dt.UTC),
            created=dt.datetime.now(dt.UTC),
        )
    )
    await ChangeLog.insert(
        ChangeLog(id=log_id, kind="dataset", action="create", object_id=str(new_id))
    )


async def test_a_change_committed_out_of_id_order_is_still_applied(catalogue_with_index):
    last = await changelog.last_id()
    await _write_elsewhere("later-id-first", last + 2)  # the later id commits first
    await index_drain.drain()
    assert "later-id-first" in indexed_slugs()
    assert index_files.read_state()["gaps"] == {
        str(last + 1): pytest.approx(index_files.read_state()["gaps"][str(last + 1)])
    }
    await _write_elsewhere("earlier-id-later", last + 1)  # then the earlier one
    assert await index_drain.pending()
    await index_drain.drain()
    assert {"later-id-first", "earlier-id-later"} <= indexed_slugs()
    assert index_files.read_state()["gaps"] == {} and not await index_drain.pending()
    assert await index_consistency.consistency_problem() is None


async def test_pruning_keeps_the_newest_row_and_marks_how_far_it_went(catalogue_with_index):
    for number in range(3):
        await service.create_dataset(open_dataset(f"more-{number}"), ADMIN)
    await outbox.wait_for_pending_drains()
    newest = await changelog.last_id()
    assert await changelog.prune(3600) == 0  # nothing is older than an hour
    deleted = await changelog.prune(0)
    assert deleted > 0
    assert [row["id"] for row in await ChangeLog.select(ChangeLog.id)] == [newest]
    assert await changelog.pruned_through() == newest - 1
    assert await index_consistency.consistency_problem() is None  # this index had applied them all


async def test_the_dcat_snapshot_sees_datasets_published_on_another_node(
    catalogue_with_index,
):
    """The DCAT snapshot is keyed by the catalogue version kept in the database, so another
    node's commit is seen by the next request here, with no message between the nodes."""
    before = await dcat_snapshot.refresh()
    assert await dcat_snapshot.public_among(["from-another-node"]) == frozenset()
    await _write_elsewhere("from-another-node", await changelog.last_id() + 1)
    after = await dcat_snapshot.refresh()
    assert after.version != before.version
    assert await dcat_snapshot.public_among(["from-another-node"]) == {"from-another-node"}
