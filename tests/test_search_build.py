"""How the index is built and read: parallel rebuilds into segments, the spelling dictionary,
caches that outlive a generation, and ``title:`` queries."""

from __future__ import annotations

import datetime as dt

import pytest

from catalogue.accounts.principal import Principal
from catalogue.datasets import queries
from catalogue.search import (
    build,
    index_consistency,
    index_drain,
    index_files,
    index_rebuild,
    outbox,
    snapshot,
    spelling,
)
from catalogue.search.service import SearchQuery, search, search_slugs
from catalogue.settings import get_settings
from tests.factories import PUBLISHER, changed, make_organisation, open_dataset

ADMIN = Principal(user_id=0, name="admin", email="", global_role="admin")
TITLES = [
    "Quarry permits",
    "Bridge inspections",
    "Ferry timetables",
    "Avalanche warnings",
    "Beekeeping register",
]


@pytest.fixture
async def admin(db) -> Principal:
    from catalogue.accounts.service import create_user, principal_for_user

    await make_organisation()
    user_id = await create_user(
        "admin@example.gov", "Admin", "correct horse battery", "admin", None
    )
    principal = await principal_for_user(user_id)
    assert principal is not None
    return principal


@pytest.fixture
async def five(admin) -> list[str]:
    """Five published datasets with distinct titles and formats."""
    from catalogue.datasets import service

    slugs = []
    for number, title in enumerate(TITLES):
        document = changed(open_dataset(f"set-{number}"), "title.en", title)
        document["status"] = "published"
        document["technical"]["distributions"][0]["format"] = ["CSV", "JSON"][number % 2]
        await service.create_dataset(document, admin)
        slugs.append(f"set-{number}")
    await outbox.wait_for_pending_drains()
    return slugs


async def everything(**kwargs: object) -> tuple[list[str], int, dict]:
    return await search_slugs(SearchQuery(), ADMIN, rows=100, **kwargs)  # type: ignore[arg-type]


async def test_a_large_rebuild_runs_in_worker_processes_one_segment_per_slice(five, monkeypatch):
    slugs, total, facets = await everything(sort_fields=[("slug", False)])
    monkeypatch.setattr(build, "PARALLEL_FROM", 1)
    monkeypatch.setattr(build, "SEGMENT_SIZE", 2)
    seen: list[tuple[int, int]] = []

    assert await index_rebuild.rebuild(lambda done, total: seen.append((done, total))) == 5

    current = snapshot.current()
    assert current is not None and len(current.segments) == 3  # slices of 2, 2 and 1
    assert seen[-1] == (5, 5)
    assert await everything(sort_fields=[("slug", False)]) == (slugs, total, facets)
    assert await index_consistency.consistency_problem() is None
    assert not list(get_settings().index_dir.glob("*.tmp"))  # worker folders are removed


async def test_sorts_dates_and_updates_are_right_across_segments(five, admin, monkeypatch):
    from catalogue.datasets import service

    monkeypatch.setattr(build, "PARALLEL_FROM", 1)
    monkeypatch.setattr(build, "SEGMENT_SIZE", 2)
    await index_rebuild.rebuild()
    assert (await everything())[1] == 5  # warm the per-segment caches

    record = await queries.get_record("set-0", ADMIN)
    document = changed(record.document.model_dump(mode="json"), "title.en", "Zebra crossings")
    await service.replace_dataset("set-0", document, record.revision, admin)
    await outbox.wait_for_pending_drains()

    by_title, total, facets = await everything(sort_fields=[("title", False)])
    assert total == 5 and len(by_title) == 5  # the old version is gone, not counted twice
    assert by_title[-1] == "set-0"
    assert sum(count for _value, count in facets["format"]) == 5
    public, public_total, _ = await search_slugs(SearchQuery(), None, rows=100)
    assert public_total == 5 and sorted(public) == sorted(five)
    newest, _, _ = await everything(sort_fields=[("modified", True)])
    assert newest[0] == "set-0"
    since = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=30)
    assert (await everything(modified_from=since))[1] == 5
    assert (await everything(modified_from=dt.datetime.now(dt.UTC) + dt.timedelta(1)))[1] == 0


async def test_writes_merge_only_the_small_segments_they_made_never_the_rebuilds(
    five, admin, monkeypatch
):
    """whoosh's own policy merged half of a million-dataset index on one edit. A change's
    commit merges nothing; the small segments are merged in a pause between writes."""
    from catalogue.datasets import service

    monkeypatch.setattr(build, "PARALLEL_FROM", 1)
    monkeypatch.setattr(build, "SEGMENT_SIZE", 3)
    await index_rebuild.rebuild()
    rebuilt = {segment.segment_id() for segment in index_files.open_index()._segments()}
    assert len(rebuilt) == 2  # 3 and 2 datasets: both at least SMALL_SEGMENT
    monkeypatch.setattr(build, "SMALL_SEGMENT", 2)  # a new dataset's segment (1) is small
    monkeypatch.setattr(build, "MERGE_SMALL_AT", 3)
    for number in range(4):
        document = {**open_dataset(f"new-{number}"), "status": "published"}
        await service.create_dataset(document, admin)
        await outbox.wait_for_pending_drains()
    assert len(index_files.open_index()._segments()) == 6  # each write its own segment

    assert not await index_drain.merge_when_idle()  # the writes have not paused yet
    monkeypatch.setattr(index_drain, "MERGE_IDLE_SECONDS", 0.0)
    assert await index_drain.merge_when_idle()
    segments = index_files.open_index()._segments()
    assert rebuilt <= {segment.segment_id() for segment in segments}  # none merged away
    assert sorted(s.doc_count() for s in segments) == [2, 3, 4]
    assert not await index_drain.merge_when_idle()  # nothing left to merge
    assert (await everything())[1] == 9


async def test_a_long_run_of_writes_merges_after_each_change_is_searchable(
    five, admin, monkeypatch
):
    from catalogue.datasets import service

    await index_rebuild.rebuild()  # one segment of 5
    monkeypatch.setattr(build, "SMALL_SEGMENT", 2)
    monkeypatch.setattr(build, "MERGE_SMALL_AT", 3)
    monkeypatch.setattr(index_drain, "MAX_SMALL_SEGMENTS", 2)
    searchable_before_merging = []
    merge = index_drain._merge_small_segments

    def spy(ix, **options):
        with ix.searcher() as searcher:
            searchable_before_merging.append(searcher.doc_count())
        return merge(ix, **options)

    monkeypatch.setattr(index_drain, "_merge_small_segments", spy)
    for number in range(4):
        document = {**open_dataset(f"new-{number}"), "status": "published"}
        await service.create_dataset(document, admin)
        await outbox.wait_for_pending_drains()
    assert searchable_before_merging == [8]  # the third write, once it could be found
    assert sorted(s.doc_count() for s in index_files.open_index()._segments()) == [1, 3, 5]
    assert (await everything())[1] == 9


async def test_a_write_that_met_an_idle_merge_is_applied_by_it(five, admin, monkeypatch):
    """A drain that finds the writer lock taken leaves the change to the lock's holder."""
    from catalogue.datasets import service
    from catalogue.search import changelog

    monkeypatch.setattr(index_drain, "MERGE_IDLE_SECONDS", 0.0)
    monkeypatch.setattr(build, "MERGE_SMALL_AT", 2)  # the fixture's writes left segments

    async def busy(**_):
        return 0

    monkeypatch.setattr(outbox, "drain", busy)  # as if another worker held the lock
    await service.create_dataset({**open_dataset("late"), "status": "published"}, admin)
    await outbox.wait_for_pending_drains()
    assert int(index_files.read_state()["position"]) < await changelog.last_id()
    assert await index_drain.merge_when_idle()
    assert int(index_files.read_state()["position"]) == await changelog.last_id()
    assert (await everything())[1] == 6


async def test_title_queries_look_in_every_language(five, admin):
    from catalogue.datasets import service

    record = await queries.get_record("set-1", ADMIN)
    document = changed(record.document.model_dump(mode="json"), "title.sl", "Pregledi mostov")
    await service.replace_dataset("set-1", document, record.revision, admin)

    async def titles(q: str) -> list[str]:
        return [hit.slug for hit in (await search(SearchQuery(q=q), ADMIN)).items]

    assert await titles("title:bridge") == ["set-1"]
    assert await titles("title:inspection") == ["set-1"]  # stemmed like the title itself
    assert await titles("title:mostov") == ["set-1"]
    assert await titles('title:"bridge inspections"') == ["set-1"]
    assert await titles("title:brid*") == ["set-1"]
    assert await titles("title:ferries~2") == ["set-2"]  # fuzzy, within 2 edits of "ferri"
    assert await titles("title:example") == []  # a word of the keywords, not of titles
    assert await titles("example title:ferry") == ["set-2"]


async def test_the_spelling_dictionary_learns_words_of_new_datasets(five, admin):
    from catalogue.datasets import service

    words = spelling.load(get_settings().index_dir).counts
    assert words["avalanche"] == 1 and "hydrometeorology" not in words

    document = changed(open_dataset("weather"), "title.en", "Hydrometeorology stations")
    await service.create_dataset(changed(document, "status", "published"), admin)
    draft = changed(open_dataset("draft-weather"), "title.en", "Nephoscope readings")
    await service.create_dataset(draft, admin)
    await outbox.wait_for_pending_drains()

    words = spelling.load(get_settings().index_dir).counts
    assert words["hydrometeorology"] == 1
    assert "nephoscope" not in words  # a draft's words are never learnt
    result = await search(SearchQuery(q="hydrometeorolgy"), ADMIN)
    assert result.suggestion == "hydrometeorology"


def test_words_of_a_dataset_come_from_titles_keywords_and_attribute_names():
    document = changed(open_dataset(), "status", "published")
    document["technical"]["attributes"] = [{"name": "employerTaxNumber"}]
    assert spelling.words_of(document) == {
        "example",
        "open",
        "dataset",
        "primer",
        "employer",
        "tax",
        "number",
    }
    assert spelling.words_of(changed(document, "status", "draft")) == set()


def test_slices_are_equal_and_a_whole_number_per_worker(monkeypatch):
    monkeypatch.setattr(build, "SEGMENT_SIZE", 20_000)
    assert build.slice_size(100_000, 2) == 16_667  # six slices, three per worker
    assert build.slice_size(30_000, 2) == 15_000
    assert build.slice_size(49, 0) == 49  # in-process: one segment
    assert build.workers_for(49) == 0
    assert build.workers_for(100_000) >= 1


async def test_drafts_stay_invisible_to_the_public_after_a_multi_segment_build(
    five, admin, monkeypatch
):
    from catalogue.datasets import service

    monkeypatch.setattr(build, "PARALLEL_FROM", 1)
    monkeypatch.setattr(build, "SEGMENT_SIZE", 2)
    await service.create_dataset(open_dataset("draft-one"), admin)  # a draft
    await index_rebuild.rebuild()
    assert "draft-one" not in (await search_slugs(SearchQuery(), None, rows=100))[0]
    steward = Principal(user_id=9, name="s", email="", roles={PUBLISHER: frozenset({"steward"})})
    assert "draft-one" in (await search_slugs(SearchQuery(), steward, rows=100))[0]


def test_importing_the_main_module_runs_nothing():
    """Spawned reindex workers import the parent's main module; ``python -m catalogue`` must
    not start the command line again in each of them."""
    import importlib

    module = importlib.import_module("catalogue.__main__")
    assert callable(module.main)


async def test_a_rebuild_killed_before_publishing_leaves_the_old_index_and_no_litter(five):
    """kill -9 during a rebuild: workers may have written segments that no table of contents
    names yet. Searches keep using the old index; the next rebuild removes the leftovers."""
    folder = get_settings().index_dir
    before = await everything(sort_fields=[("slug", False)])
    row = (
        "00000000-0000-0000-0000-0000000000ff",
        open_dataset("orphan"),
        "Nobody",
        dt.datetime.now(dt.UTC),
        dt.datetime.now(dt.UTC),
    )
    orphan, _words = build.build_segment(str(folder), [row])  # never published
    (folder / "dead-worker.tmp").mkdir()
    snapshot.forget()

    assert await everything(sort_fields=[("slug", False)]) == before
    assert list(folder.glob(f"*{orphan.segment_id()}*"))

    await index_rebuild.rebuild()
    assert not list(folder.glob(f"*{orphan.segment_id()}*"))
    assert not list(folder.glob("*.tmp"))
    assert await everything(sort_fields=[("slug", False)]) == before


def test_small_segments_merge_with_their_own_size_tier_only(monkeypatch):
    """A write merges a few small segments of its size; a large small one is left standing
    until enough of its own size gather (build.merge_small_segments)."""
    import whoosh.reading

    class Segment:
        def __init__(self, count: int) -> None:
            self.count = count

        def doc_count_all(self) -> int:
            return self.count

    class Reader:
        def __init__(self, storage: object, schema: object, segment: Segment) -> None:
            self.segment = segment

        def close(self) -> None:
            pass

    class Writer:
        storage = schema = None

        def __init__(self) -> None:
            self.added: list[int] = []

        def add_reader(self, reader: Reader) -> None:
            self.added.append(reader.segment.count)

    monkeypatch.setattr(whoosh.reading, "SegmentReader", Reader)
    big, grown, tiny = Segment(50_000), Segment(700), [Segment(1) for _ in range(4)]
    writer = Writer()
    kept = build.merge_small_segments(writer, [big, grown, *tiny])
    assert kept == [big, grown] and writer.added == [1, 1, 1, 1]
    writer = Writer()
    assert build.merge_small_segments(writer, [big, grown, *tiny[:3]]) == [big, grown, *tiny[:3]]
    assert writer.added == []
    middling = [Segment(20) for _ in range(4)]
    writer = Writer()
    kept = build.merge_smallest_tier(writer, [big, *middling, *tiny])
    assert kept == [big, *middling] and writer.added == [1, 1, 1, 1]  # not the 20s as well
    writer = Writer()
    build.merge_small_segments(writer, [big, *middling, *tiny])
    assert sorted(writer.added) == [1, 1, 1, 1, 20, 20, 20, 20]


async def test_a_start_merges_the_small_segments_earlier_writes_left(five, monkeypatch):
    """At start-up, before the warm-up and the first requests, not beside them."""
    monkeypatch.setattr(build, "MERGE_SMALL_AT", 2)
    monkeypatch.setattr(index_drain, "MERGE_IDLE_SECONDS", 0.0)
    before = len(index_files.open_index()._segments())
    assert before > 1  # the fixture's five writes, a segment each
    async with outbox.search_lifespan():
        assert len(index_files.open_index()._segments()) < before
    assert (await everything())[1] == 5
