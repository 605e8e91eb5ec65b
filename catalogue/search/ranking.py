"""Ordering hits: relevance computed on bitsets, and column sorts.

Relevance is a BM25-like score without term frequency or length normalisation:
the sum, over the query's (field, word) pairs a document contains, of the field's boost times
the word's idf in that field, plus a large bonus when the whole query is a dataset's title.
It is computed on the same bitsets as the hit set, so ranking a page costs a few set
operations, not a pass over every matching document.
"""

from __future__ import annotations

import heapq
import itertools
import math
from typing import Any

from whoosh import query as wq

from catalogue.search.bitsets import as_bytes, ids_from_bits
from catalogue.search.query import ParsedQuery
from catalogue.search.schema import ATTRIBUTE_BOOST, KEYWORD_BOOST, TITLE_BOOST, languages
from catalogue.search.snapshot import Snapshot

SORT_COLUMNS = {
    "modified": "modified",
    "created": "created",
    "title": "title_sort",
    "slug": "slug",
    "id": "id",
}
RELATED_BOOST = 0.5
EXACT_TITLE_BONUS = 1000.0


def field_boosts() -> dict[str, float]:
    boosts = {
        "keywords": KEYWORD_BOOST,
        "attributes": ATTRIBUTE_BOOST,
        "related_text": RELATED_BOOST,
    }
    for language in languages():
        boosts[f"title_{language}"] = TITLE_BOOST
        boosts[f"description_{language}"] = 1.0
    return boosts


def newest_first(snapshot: Snapshot, bits: int, k: int) -> list[int]:
    return sorted_top(snapshot, bits, [("modified", True)], k)


def sorted_top(snapshot: Snapshot, hits: int, keys: list[tuple[str, bool]], k: int) -> list[int]:
    """The first ``k`` documents of ``hits`` ordered by columns (name, descending).

    One key: each segment gives its first ``k`` hits (walking its cached sort order, or
    sorting its hits when they are few), and those few candidates are merged; equal values
    keep index order. More keys: the hits are sorted by value, one stable pass per key from
    the last, with slug as the final tie-breaker. Nothing here depends on the generation,
    so the first search after a change reads only the new segment's columns.
    """
    if not hits or not k:
        return []
    if len(keys) > 1:
        return _sorted_by_values(snapshot, hits, keys, k)
    name, descending = keys[0]
    column = SORT_COLUMNS[name]
    candidates: list[tuple[Any, int]] = []
    for segment in snapshot.segments:
        part = snapshot.part(hits, segment)
        if not part:
            continue
        values, order = segment.column(column)
        count = part.bit_count()
        if count * 64 < segment.size:  # few hits: sorting them beats walking the order
            local = sorted(ids_from_bits(part), key=values.__getitem__, reverse=descending)
            chosen = local[:k]
        else:
            data = as_bytes(part)
            chosen = []
            for docnum in reversed(order) if descending else order:
                position = docnum >> 3
                if position < len(data) and data[position] >> (docnum & 7) & 1:
                    chosen.append(docnum)
                    if len(chosen) == k:
                        break
        candidates.extend((values[docnum], docnum + segment.offset) for docnum in chosen)
    candidates.sort(key=lambda item: item[0], reverse=descending)
    return [docnum for _value, docnum in candidates[:k]]


def _sorted_by_values(
    snapshot: Snapshot, hits: int, keys: list[tuple[str, bool]], k: int
) -> list[int]:
    documents = ids_from_bits(hits)
    for name, descending in reversed([*keys, ("slug", False)]):
        values = snapshot.column_values(SORT_COLUMNS[name])
        documents.sort(key=values.__getitem__, reverse=descending)
    return documents[:k]


def positive_terms(q: Any) -> list[tuple[str, str]]:
    """The (field, word) pairs whose presence should raise a document's score."""
    kind = type(q)
    if kind is wq.Term:
        return [(q.fieldname, q.text)]
    if kind is wq.Phrase:
        return [(q.fieldname, word) for word in q.words]
    if kind in (wq.And, wq.Or, wq.DisjunctionMax, wq.Require):
        return [pair for sub in q.subqueries for pair in positive_terms(sub)]
    if kind is wq.AndNot:
        return positive_terms(q.a)
    if kind is wq.AndMaybe:
        return positive_terms(q.a) + positive_terms(q.b)
    return []


def ranked_top(snapshot: Snapshot, parsed: ParsedQuery, q: Any, hits: int, k: int) -> list[int]:
    """The ``k`` best of ``hits``, scored on bitsets (see the README's ranking section).

    score = Σ over matched (field, word) of field boost × idf(word in field), plus a large
    bonus for an exact title. Documents with the same pattern of matched (field, word)
    pairs score the same, so a best-first split of the hit set by each pair's bitset finds
    the top groups without scoring documents one by one; ties go to the newest change.
    """
    boosts = field_boosts()
    size = max(snapshot.live.bit_count(), 1)
    weighted: dict[tuple[str, str], float] = {}
    for name, text in positive_terms(q):
        bits = snapshot.term_bits(name, text)
        frequency = (bits & snapshot.live).bit_count()
        if frequency:
            idf = math.log(1 + size / frequency)
            weighted[(name, text)] = boosts.get(name, 1.0) * idf
    parts = sorted(
        ((weight, snapshot.term_bits(name, text)) for (name, text), weight in weighted.items()),
        key=lambda item: -item[0],
    )
    if parsed.exact_title:
        parts.insert(0, (EXACT_TITLE_BONUS, snapshot.term_bits("title_exact", parsed.exact_title)))
    remaining = [0.0] * (len(parts) + 1)
    for index in range(len(parts) - 1, -1, -1):
        remaining[index] = remaining[index + 1] + parts[index][0]
    heap: list[tuple[float, int, float, int, int]] = [(-remaining[0], 0, 0.0, 0, hits)]
    counter = itertools.count(1)
    found: list[int] = []
    while heap and len(found) < k:
        _bound, _order, score, depth, bits = heapq.heappop(heap)
        if depth == len(parts):
            found.extend(newest_first(snapshot, bits, k - len(found)))
            continue
        weight, part = parts[depth]
        inside = bits & part
        for subset, gained in ((inside, weight), (bits ^ inside, 0.0)):  # ^: no ~part made
            if subset:
                total = score + gained
                heapq.heappush(
                    heap, (-(total + remaining[depth + 1]), next(counter), total, depth + 1, subset)
                )
    return found
