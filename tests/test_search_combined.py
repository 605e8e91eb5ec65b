"""Snapshot-wide bitsets are carried from one index generation to the next
(search/combined.py): always equal to combining every segment afresh, while only the
segments a generation added are shifted in."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from catalogue.search.combined import KeptBits, extend, layout_of


@dataclass(frozen=True)
class FakeSegment:
    key: str
    offset: int
    size: int
    values: dict[str, int]


def segments_of(sizes: list[tuple[str, int]], generator: random.Random) -> list[FakeSegment]:
    found, offset = [], 0
    for key, size in sizes:
        values = {
            value: generator.getrandbits(size)
            for value in ("a", "b", "c")
            if generator.random() < 0.8
        }
        found.append(FakeSegment(key, offset, size, values))
        offset += size
    return found


def afresh(segments: list[FakeSegment]) -> dict[str, int]:
    combined: dict[str, int] = {}
    for segment in segments:
        for value, bits in segment.values.items():
            combined[value] = combined.get(value, 0) | bits << segment.offset
    return {value: bits for value, bits in combined.items() if bits}


def test_a_new_segment_at_the_end_is_the_only_one_read() -> None:
    generator = random.Random(1)
    old = segments_of([("s1", 100), ("s2", 37)], generator)
    kept = extend(None, old, layout_of(old), lambda s: s.values)
    new = [*old, *segments_of([("s3", 5)], generator)]
    new[2] = FakeSegment("s3", 137, 5, new[2].values)
    read: list[str] = []

    def parts(segment: FakeSegment) -> dict[str, int]:
        read.append(segment.key)
        return segment.values

    again = extend(kept, new, layout_of(new), parts)
    assert read == ["s3"]
    assert {v: b for v, b in again.values.items() if b} == afresh(new)


def test_segments_merged_away_are_cut_off_and_the_merged_one_read() -> None:
    generator = random.Random(2)
    old = segments_of([("big", 200), ("t1", 9), ("t2", 11), ("t3", 3)], generator)
    kept = extend(None, old, layout_of(old), lambda s: s.values)
    merged = FakeSegment("m", 200, 23, {"a": generator.getrandbits(23), "d": 1})
    new = [old[0], merged]
    read: list[str] = []

    def parts(segment: FakeSegment) -> dict[str, int]:
        read.append(segment.key)
        return segment.values

    again = extend(kept, new, layout_of(new), parts)
    assert read == ["m"]
    assert again.values == afresh(new)


def test_a_different_first_segment_means_everything_is_read_again() -> None:
    generator = random.Random(3)
    old = segments_of([("x", 50), ("y", 50)], generator)
    new = segments_of([("rebuilt", 100)], generator)
    kept = extend(
        extend(None, old, layout_of(old), lambda s: s.values),
        new,
        layout_of(new),
        lambda s: s.values,
    )
    assert kept.values == afresh(new)


def test_kept_bits_stay_within_their_budget_dropping_the_least_recently_used() -> None:
    segment = FakeSegment("s", 0, 8 * 1000, {})
    kept: KeptBits[FakeSegment] = KeptBits(budget=3 * (1000 + 64))
    layout = layout_of([segment])
    reads: list[str] = []

    def part_for(word: str) -> Callable[[FakeSegment], int]:
        def part(_segment: FakeSegment) -> int:
            reads.append(word)
            return 1 << (8 * 1000 - 1)

        return part

    for word in ("one", "two", "three", "one", "four"):
        kept.get(word, [segment], layout, part_for(word))
    assert reads == ["one", "two", "three", "four"]  # "one" was kept the second time
    kept.get("two", [segment], layout, part_for("two"))  # dropped for "four": read again
    assert reads[-1] == "two"
    kept.get("one", [segment], layout, part_for("one"))
    assert reads[-1] == "two"  # "one" was used recently: still kept


def test_an_older_shorter_layout_read_again_gives_its_own_bits() -> None:
    """A snapshot opened before the last write (its layout a prefix of the kept one) still
    searches: the kept bits are cut to its segments, and a term with none there is empty."""
    old = FakeSegment("s1", 0, 16, {})
    new = FakeSegment("s2", 16, 8, {})
    kept: KeptBits[FakeSegment] = KeptBits(budget=10**6)
    in_new_only = {"s1": 0, "s2": 0b101}
    both = {"s1": 0b11, "s2": 1}
    for word, parts in (("new-only", in_new_only), ("both", both)):
        assert kept.get(word, [old, new], layout_of([old, new]), lambda s, p=parts: p[s.key]) == (
            parts["s1"] | parts["s2"] << 16
        )
        assert kept.get(word, [old], layout_of([old]), lambda s, p=parts: p[s.key]) == parts["s1"]
