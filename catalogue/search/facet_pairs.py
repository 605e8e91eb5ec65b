"""Counting a facet with many values in one pass over its (document, value) pairs.

Counting a value is ``(value_bits & hits).bit_count()``: one AND over the whole index per
value. For the publisher facet (515 values in the synthetic catalogue) that was 12 ms at
100,000 datasets and ten times that at 1,000,000, for every search. A facet with more than
:data:`PAIRS_FROM_VALUES` values is counted instead from its pairs: the hit set is unpacked
to one flag per document once per search, and ``bincount`` counts the values of the pairs
whose document is flagged (1 ms at 100,000).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from catalogue.search.bitsets import ids_from_bits_array

PAIRS_FROM_VALUES = 64
"""With this many values or fewer, one AND per value costs less than a pass over pairs (a
theme facet of 13 values has two pairs a document: its 13 ANDs are quicker)."""

Numbers = npt.NDArray[np.int32]


class ValueNumbers:
    """A number for each value of a facet, the same in every segment and generation (so
    segments' pairs are joined without renumbering); values only ever join."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self._numbers: dict[str, int] = {}
        self._lock = threading.Lock()

    def number(self, value: str) -> int:
        found = self._numbers.get(value)
        if found is None:
            with self._lock:
                found = self._numbers.setdefault(value, len(self.values))
                if found == len(self.values):
                    self.values.append(value)
        return found


@dataclass(frozen=True)
class Pairs:
    documents: Numbers
    values: Numbers


def segment_pairs(bits_by_value: dict[str, int], numbers: ValueNumbers) -> Pairs:
    """One segment's pairs, from its bitset per value."""
    documents, values = [], []
    for value, bits in bits_by_value.items():
        ids = ids_from_bits_array(bits)
        documents.append(ids.astype(np.int32))
        values.append(np.full(len(ids), numbers.number(value), dtype=np.int32))
    if not documents:
        empty = np.zeros(0, dtype=np.int32)
        return Pairs(empty, empty)
    return Pairs(np.concatenate(documents), np.concatenate(values))


def joined(parts: Sequence[tuple[int, Pairs]]) -> Pairs:
    """The pairs of a snapshot from (offset, pairs) of its segments."""
    if not parts:
        empty = np.zeros(0, dtype=np.int32)
        return Pairs(empty, empty)
    return Pairs(
        np.concatenate([pairs.documents + offset for offset, pairs in parts]),
        np.concatenate([pairs.values for _offset, pairs in parts]),
    )


def counted(
    pairs: Pairs, flags: npt.NDArray[np.uint8], numbers: ValueNumbers
) -> list[tuple[str, int]]:
    """Each value's number of flagged documents, zeros left out (in no order)."""
    counts = np.bincount(pairs.values, weights=flags[pairs.documents])
    return [(numbers.values[number], int(counts[number])) for number in np.flatnonzero(counts)]
