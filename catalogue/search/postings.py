"""Reading a term's document numbers out of whoosh's posting blocks, fast.

A search turns each (field, word) of a segment into a bitset once, from all its postings.
whoosh keeps postings in blocks of up to 128: a zlib-compressed pickle of (document number
deltas, weights, values). For the title and description fields the values are the word
positions (kept for phrase queries), which made up most of each block: unpickling all of
it to get the numbers was three quarters of a cold word's cost (a common word at 1,000,000
datasets has 600,000 postings). Here only the beginning of the block is inflated and only
the numbers are unpickled; anything unexpected falls back to whoosh's own reading.
"""

from __future__ import annotations

import itertools
import pickle
import re
import zlib
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher

_NUMBER = rb"(?:K.|M..|J....)"  # pickle's 1-, 2- and 4-byte unsigned/signed ints
_IDS_PICKLE = re.compile(
    rb"\x80\x02(?:\(" + _NUMBER + rb"*t|" + _NUMBER + rb"{1,3}[\x85\x86\x87])", re.DOTALL
)
"""The first item of a block's pickled tuple: the deltas, as a tuple of small ints (with
MARK ... TUPLE, or TUPLE1-3 for the short last block)."""
_LONGEST_NUMBER = 5


def posting_ids(reader: Any, field: str, text: str) -> list[int]:
    """All document numbers of one term in one segment, ascending, deleted ones included
    (a snapshot removes those with its live set); [] when the segment lacks the term."""
    try:
        matcher = reader.postings(field, text)
    except Exception:  # whoosh raises TermNotFound
        return []
    while isinstance(matcher, FilterMatcher):  # whoosh's per-document deletion filter
        matcher = matcher.child
    if not isinstance(matcher, W3LeafMatcher):
        return list(matcher.all_ids())
    ids: list[int] = []
    while matcher.is_active():
        if matcher._ids is None and matcher._i == 0 and not matcher._byteids:
            deltas = _block_deltas(matcher)
            ids.extend(itertools.accumulate(deltas))  # whoosh's delta_decode, in C
        else:
            if matcher._ids is None:
                matcher._read_ids()
            ids.extend(matcher._ids[matcher._i :])
        matcher._next_block()
    return ids


def _block_deltas(matcher: Any) -> tuple[int, ...]:
    """The current block's document number deltas, reading as little of it as will do."""
    if matcher._data is None:
        raw = matcher._postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
        if matcher._compression:
            head_length = 4 + _LONGEST_NUMBER * matcher._blocklength
            raw = zlib.decompressobj().decompress(raw, head_length)
        found = _IDS_PICKLE.match(raw)
        if found is not None:
            deltas: tuple[int, ...] = pickle.loads(found.group() + b".")
            if len(deltas) == matcher._blocklength:
                return deltas
        matcher._read_data()
    whole: tuple[int, ...] = matcher._data[0]
    return whole
