"""Facets with many values are counted from (document, value) pairs, those with few by
one AND per value (search/facet_pairs.py): both give the same counts, on the demo
catalogue and after writes that add a segment and a value no segment had."""

from __future__ import annotations

from typing import Any

import pytest

from catalogue.search import snapshot as snapshot_module
from catalogue.search.schema import FACET_FIELDS
from catalogue.search.service import SearchQuery, search
from tests.factories import make_organisation, open_dataset

EVERYTHING = SearchQuery(q="", size=1)


def counts_both_ways(
    monkeypatch: pytest.MonkeyPatch, current: Any, base: int
) -> tuple[dict[str, list[tuple[str, int]]], dict[str, list[tuple[str, int]]]]:
    ways = []
    for threshold in (-1, 10**9):  # every facet from pairs; every facet by ANDs
        monkeypatch.setattr(snapshot_module, "PAIRS_FROM_VALUES", threshold)
        fresh = snapshot_module.Snapshot(current.searcher)  # no remembered counts
        ways.append({name: fresh.facet_counts(name, base) for name in FACET_FIELDS})
    return ways[0], ways[1]


def bases(current: Any) -> list[int]:
    live = current.live
    alternate = int("10" * (current.size // 2 + 1), 2) & live
    return [live, alternate, current.term_bits("description_en", "data") & live, 0]


async def test_pairs_and_ands_count_the_same(seeded: None, monkeypatch: pytest.MonkeyPatch) -> None:
    await search(EVERYTHING, None)
    current = snapshot_module.current()
    assert current is not None
    for base in bases(current):
        by_pairs, by_ands = counts_both_ways(monkeypatch, current, base)
        assert by_pairs == by_ands
    assert by_pairs["publisher"] == []  # the empty base


async def test_counts_stay_equal_after_writes_add_segments_and_values(
    seeded: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from catalogue.accounts.service import create_user, principal_for_user
    from catalogue.datasets import service
    from catalogue.search import outbox

    admin = await principal_for_user(
        await create_user("admin@example.gov", "Admin", "correct horse battery", "admin", None)
    )
    await search(EVERYTHING, None)
    await make_organisation("brand-new-agency")
    for number in range(3):
        await service.create_dataset(open_dataset(f"new-{number}", "brand-new-agency"), admin)
        await outbox.wait_for_pending_drains()
        result = await search(EVERYTHING, admin)
        assert result.total == 49 + number + 1
    current = snapshot_module.current()
    assert current is not None and len(current.segments) > 1
    for base in bases(current):
        by_pairs, by_ands = counts_both_ways(monkeypatch, current, base)
        assert by_pairs == by_ands
    everything, _ = counts_both_ways(monkeypatch, current, current.live)
    assert ("brand-new-agency", 3) in everything["publisher"]
