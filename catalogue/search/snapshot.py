"""Reading the index: one snapshot per index generation, with document bitsets.

Facet counts and access rules are set operations. Each facet value and each looked-up term
has a bitset (a Python int, bit *n* = document *n*) per index segment. A segment's postings
and columns never change (only its deletions do), so its bitsets, column values and sort
orders are cached by segment across generations, and a new generation (after each drain)
only reads its new small segment. Deletions live in ``Snapshot.live``, which every hit set
is intersected with. A query is evaluated to a bitset of matching documents; the total is
its population count, and each facet count is ``(hits & value_bits).bit_count()``.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable
from functools import reduce
from typing import Any

from whoosh import query as wq
from whoosh.idsets import DocIdSet

from catalogue.search import facet_pairs, index_files, spelling
from catalogue.search.bitsets import as_bytes, bits_from_ids, flags_from_bits, ids_from_bits
from catalogue.search.combined import Kept, KeptBits, extend, layout_of
from catalogue.search.facet_pairs import PAIRS_FROM_VALUES
from catalogue.search.postings import posting_ids
from catalogue.search.schema import FACET_FIELDS

logger = logging.getLogger(__name__)
TERM_CACHE_BYTES = 64 * 2**20
"""The per-segment term bitsets kept, by size (a 20,000-dataset segment's bitset is at most
2.5 KB). A count of entries would hold fewer terms the more segments the index has: at
1,000,000 datasets (50 segments, a word in several fields) 4,000 entries held ten words.
They are read again only for a segment a kept snapshot-wide bitset lacks."""
COMBINED_TERMS_BYTES = 128 * 2**20
"""Snapshot-wide term bitsets kept across generations (:mod:`catalogue.search.combined`)."""
FACET_MEMO_BYTES = 16 * 2**20  # of a snapshot's facet counts, by their bitsets' size
_segment_facets: dict[tuple[str, str], dict[str, int]] = {}
_segment_pairs: dict[tuple[str, str], facet_pairs.Pairs] = {}
_value_numbers: dict[str, facet_pairs.ValueNumbers] = {}
_segment_columns: dict[tuple[str, str], tuple[list[Any], list[int]]] = {}
_segment_readers: dict[str, Any] = {}  # for stored fields, which no deletion changes
_segment_terms: OrderedDict[tuple[str, str, str], int] = OrderedDict()
_term_bytes = 0
_cache_lock = threading.Lock()
_current: Snapshot | None = None
_combined_terms: KeptBits[Segment] = KeptBits(COMBINED_TERMS_BYTES)
_combined_facets: dict[str, Kept] = {}


class BitFilter(DocIdSet):
    """A whoosh filter over a bitset: O(1) membership for the collector."""

    def __init__(self, bits: int) -> None:
        self._bytes = as_bytes(bits)
        self._count = bits.bit_count()

    def __contains__(self, docnum: object) -> bool:
        assert isinstance(docnum, int)
        position = docnum >> 3
        return position < len(self._bytes) and bool(self._bytes[position] >> (docnum & 7) & 1)

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return True

    def __iter__(self) -> Any:
        return iter(ids_from_bits(int.from_bytes(self._bytes, "little")))


def _bytes_of(bits: int) -> int:
    return bits.bit_length() // 8 + 32  # the int's digits and its header


class Segment:
    def __init__(self, reader: Any, offset: int) -> None:
        self.reader = reader
        self.offset = offset
        self.size = reader.doc_count_all()
        segment = reader.segment() if hasattr(reader, "segment") else None
        self.key = segment.segment_id() if segment is not None else "empty"
        with _cache_lock:  # opening stored fields reads a table per segment: do it once
            self.stored_reader = _segment_readers.setdefault(self.key, reader)

    def term_bits(self, field: str, text: str) -> int:
        key = (self.key, field, text)
        with _cache_lock:
            if key in _segment_terms:
                _segment_terms.move_to_end(key)
                return _segment_terms[key]
        bits = bits_from_ids(posting_ids(self.reader, field, text), self.size)
        global _term_bytes
        with _cache_lock:
            if key not in _segment_terms:
                _segment_terms[key] = bits
                _term_bytes += _bytes_of(bits)
            while _term_bytes > TERM_CACHE_BYTES and _segment_terms:
                _term_bytes -= _bytes_of(_segment_terms.popitem(last=False)[1])
        return bits

    def facet_bits(self, field: str) -> dict[str, int]:
        key = (self.key, field)
        if key not in _segment_facets:
            values = {}
            if self.size:
                for raw in self.reader.lexicon(field):
                    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                    values[text] = bits_from_ids(posting_ids(self.reader, field, text), self.size)
            _segment_facets[key] = values
        return _segment_facets[key]

    def facet_pairs(self, field: str) -> facet_pairs.Pairs:
        key = (self.key, field)
        if key not in _segment_pairs:
            _segment_pairs[key] = facet_pairs.segment_pairs(self.facet_bits(field), _numbers(field))
        return _segment_pairs[key]

    def column(self, column: str) -> tuple[list[Any], list[int]]:
        """The column's values by document, and the documents sorted by value (ties by
        document number)."""
        key = (self.key, column)
        if key not in _segment_columns:
            values = list(self.reader.column_reader(column)) if self.size else []
            order = sorted(range(self.size), key=values.__getitem__)
            _segment_columns[key] = (values, order)
        return _segment_columns[key]

    def live_bits(self) -> int:
        bits = (1 << self.size) - 1
        if self.size and self.reader.has_deletions():
            bits &= ~bits_from_ids(self.reader.segment().deleted_docs(), self.size)
        return bits


_GENERATIONS = itertools.count(1)


class Snapshot:
    """The index as one searcher saw it; everything here is derived and cached lazily."""

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        reader = searcher.reader()
        if hasattr(reader, "readers"):
            pairs = list(zip(reader.readers, reader.doc_offsets, strict=True))
        else:
            pairs = [(reader, 0)]
        self.segments = [Segment(r, offset) for r, offset in pairs]
        self._offsets = [segment.offset for segment in self.segments]
        self.size = reader.doc_count_all()
        self.live = self._combine(segment.live_bits() for segment in self.segments)
        self.layout = layout_of(self.segments)
        self._facets: dict[str, dict[str, int]] = {}
        self._facet_pairs: dict[str, facet_pairs.Pairs] = {}
        self._last_flags: tuple[int, Any] | None = None
        _forget_other_segments({segment.key for segment in self.segments})
        self.memo: dict[Any, Any] = {}  # per-generation results (spelling candidates)
        self._counts: OrderedDict[tuple[str, int], list[tuple[str, int]]] = OrderedDict()
        self._counts_bytes = 0
        self._counts_lock = threading.Lock()
        self.state = index_files.read_state()
        self.spelling = spelling.load(index_files.index_dir())
        self.generation = next(_GENERATIONS)
        """Unique in this process: what a cache of answers from this snapshot is keyed on."""

    def _combine(self, parts: Iterable[int]) -> int:
        bits = 0
        for segment, part in zip(self.segments, parts, strict=True):
            bits |= part << segment.offset
        return bits

    def term_bits(self, field: str, text: str) -> int:
        return _combined_terms.get(
            (field, text), self.segments, self.layout, lambda s: s.term_bits(field, text)
        )

    def facet(self, field: str) -> dict[str, int]:
        """Each value's documents (never changed in place: shared by later snapshots)."""
        if field not in self._facets:
            kept = _combined_facets.get(field)
            if kept is None or kept.layout != self.layout:
                kept = extend(kept, self.segments, self.layout, lambda s: s.facet_bits(field))
                _combined_facets[field] = kept
            self._facets[field] = kept.values
        return self._facets[field]

    def any_of(self, field: str, values: Iterable[str]) -> int:
        facet = self.facet(field)
        return reduce(lambda acc, value: acc | facet.get(value, 0), values, 0)

    def column_values(self, column: str) -> list[Any]:
        """The column's value for every document number of the snapshot."""
        values: list[Any] = []
        for segment in self.segments:
            values.extend(segment.column(column)[0])
        return values

    def stored_fields(self, docnum: int) -> dict[str, Any]:
        segment = self.segments[bisect.bisect_right(self._offsets, docnum) - 1]
        fields: dict[str, Any] = segment.stored_reader.stored_fields(docnum - segment.offset)
        return fields

    def part(self, bits: int, segment: Segment) -> int:
        """The segment's share of a snapshot-wide bitset, in the segment's numbering."""
        return (bits >> segment.offset) & ((1 << segment.size) - 1)

    def query_bits(self, q: Any) -> int:
        """The documents ``q`` matches, as a bitset (live documents only)."""
        return self._bits(q) & self.live

    def _bits(self, q: Any) -> int:
        kind = type(q)
        if kind is wq.Term:
            return self.term_bits(q.fieldname, q.text)
        if kind is wq.And or kind is wq.Require:
            parts = [self._bits(sub) for sub in q.subqueries]
            return reduce(lambda a, b: a & b, parts) if parts else 0
        if kind in (wq.Or, wq.DisjunctionMax) or isinstance(q, wq.Or):  # and Expanded
            return reduce(lambda a, b: a | b, (self._bits(sub) for sub in q.subqueries), 0)
        if kind is wq.AndNot:
            return self._bits(q.a) & ~self._bits(q.b)
        if kind is wq.AndMaybe:
            return self._bits(q.a)
        if kind is wq.Not:
            return self.live & ~self._bits(q.query)
        if kind is wq.Every:
            return self.live
        if q is wq.NullQuery or kind is type(wq.NullQuery):
            return 0
        return bits_from_ids(q.docs(self.searcher), self.size)

    def _pairs(self, field: str) -> facet_pairs.Pairs:
        if field not in self._facet_pairs:
            parts = [(s.offset, s.facet_pairs(field)) for s in self.segments]
            self._facet_pairs[field] = facet_pairs.joined(parts)
        return self._facet_pairs[field]

    def _flags(self, base: int) -> Any:
        """``base`` as one byte per document; the last one made is kept, since a search
        counts every facet over the same hits."""
        last = self._last_flags
        if last is not None and last[0] is base:
            return last[1]
        flags = flags_from_bits(base, self.size)
        self._last_flags = (base, flags)
        return flags

    def facet_counts(self, field: str, base: int) -> list[tuple[str, int]]:
        """Each value's count within ``base`` (see :mod:`catalogue.search.facet_pairs`).
        Remembered per snapshot for the searches asked most, bounded by the bytes of the
        bitsets kept as keys."""
        key = (field, base)
        with self._counts_lock:
            found = self._counts.get(key)
            if found is not None:
                self._counts.move_to_end(key)
                return found
        facet = self.facet(field)
        if len(facet) > PAIRS_FROM_VALUES:
            counts = facet_pairs.counted(self._pairs(field), self._flags(base), _numbers(field))
        else:
            counts = [(value, (bits & base).bit_count()) for value, bits in facet.items()]
        result = sorted(((v, c) for v, c in counts if c), key=lambda item: (-item[1], item[0]))
        with self._counts_lock:
            self._counts[key] = result
            self._counts_bytes += base.bit_length() // 8 + 64
            while self._counts_bytes > FACET_MEMO_BYTES and len(self._counts) > 1:
                (_, dropped), _ = self._counts.popitem(last=False)
                self._counts_bytes -= dropped.bit_length() // 8 + 64
        return result


def _numbers(field: str) -> facet_pairs.ValueNumbers:
    return _value_numbers.setdefault(field, facet_pairs.ValueNumbers())


def _forget_other_segments(keys: set[str]) -> None:
    """Drop cached data of segments merged away (the term cache is bounded by itself)."""
    with _cache_lock:
        for cache in (_segment_facets, _segment_pairs, _segment_columns):
            for key in [key for key in cache if key[0] not in keys]:
                del cache[key]
        for name in [name for name in _segment_readers if name not in keys]:
            del _segment_readers[name]


def facet_fields() -> tuple[str, ...]:
    return FACET_FIELDS


def current() -> Snapshot | None:
    """The newest snapshot; reopened when another writer (or process) committed."""
    global _current
    snapshot = _current
    if snapshot is not None:
        try:
            if snapshot.searcher.up_to_date():
                return snapshot
        except Exception:
            pass
        # Not searcher.refresh(): it reuses segment readers by id, and a reused reader keeps
        # the deletions it was opened with, so updated documents would show twice.
        _current = None
    ix = index_files.open_index(check=False)
    if ix is None:
        return None
    try:
        _current = Snapshot(ix.searcher())
    except Exception as error:  # corrupt files: the start-up check or `catalogue reindex` heal
        logger.warning("cannot open the search index: %s", error)
        return None
    return _current


def forget() -> None:
    """Drop the open searcher (after a rebuild that recreated the index directory)."""
    global _current
    _current = None
