"""Word patterns (``regist*``, ``te?t``) made cheap by construction.

whoosh would evaluate a pattern by walking every word of the field's dictionary and merging
the postings of every match, on every search. Here a pattern is first checked against the
limits (how many per query, how many letters before the first ``*`` or ``?``, see
:mod:`catalogue.limits`), then expanded once per index generation against each
segment's sorted dictionary, starting at its literal prefix: at most ``max_pattern_scan``
words are looked at per field and segment, and of the matches the ``max_pattern_words``
commonest are kept. The pattern becomes an :class:`Expanded` OR of plain terms, which the
snapshot answers from its cached term bitsets like any other word. When a cap or the search's
time budget cut an expansion short, :func:`expand` says so and the answer is flagged.
"""

from __future__ import annotations

import heapq
import re
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq

from catalogue.domain.problems import InvalidDocument, Problem
from catalogue.limits import Limits, limits
from catalogue.search.snapshot import Snapshot

PATTERN_QUERIES = (wq.Prefix, wq.Wildcard)  # the query language has no fuzzy terms (~)
_WORDS = re.compile(r'"[^"]*"|[^\s()"]+')
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
DEADLINE_EVERY = 256  # words scanned between two looks at the clock


class Expanded(wq.Or):
    """The dictionary words a pattern stood for (an OR of terms that ranking ignores)."""


@dataclass
class Budget:
    """The search's time budget for expansions; ``cut`` is set when something was left out."""

    deadline: float
    cut: bool = False
    late: bool = False  # the clock stopped an expansion (so it is not remembered)

    @classmethod
    def start(cls, limit: Limits | None = None) -> Budget:
        return cls(time.monotonic() + (limit or limits()).search_budget_seconds)

    def over(self) -> bool:
        return time.monotonic() > self.deadline


def _problem(message: str, limit: str) -> InvalidDocument:
    return InvalidDocument([Problem("q", f"{message} (limit {limit})", "query_limit")])


def literal_prefix(word: str) -> str:
    """The letters before the first ``*`` or ``?`` (after any ``field:`` and sign)."""
    word = word.lstrip("+-")
    if ":" in word:
        word = word.split(":", 1)[1]
    return re.split(r"[*?]", word, maxsplit=1)[0]


def check_query_limits(text: str, limit: Limits | None = None) -> None:
    """Terms, patterns and their prefixes in one query, before whoosh parses it."""
    limit = limit or limits()
    words = [w for w in _WORDS.findall(text) if w not in _OPERATORS]
    if len(words) > limit.max_search_terms:
        raise _problem(
            f"the query has {len(words)} words and phrases; at most "
            f"{limit.max_search_terms} are searched",
            "max_search_terms",
        )
    patterns = [w for w in words if not w.startswith('"') and ("*" in w or "?" in w)]
    if len(patterns) > limit.max_search_patterns:
        raise _problem(
            f"the query has {len(patterns)} words with * or ?; at most "
            f"{limit.max_search_patterns} are allowed",
            "max_search_patterns",
        )
    for word in patterns:
        if len(literal_prefix(word)) < limit.min_pattern_prefix:
            raise _problem(
                f"'{word}' must start with at least {limit.min_pattern_prefix} letter(s) "
                "before its first * or ? (a pattern may not begin with one); to list "
                "everything, search with an empty query",
                "min_pattern_prefix",
            )


def _matcher(q: Any) -> tuple[str, Any]:
    """The literal prefix to start the dictionary walk at, and a test for each word."""
    if isinstance(q, wq.Prefix):
        return q.text, None
    pattern = re.compile(q._get_pattern())
    return literal_prefix(q.text), pattern.match


def _segment_matches(
    reader: Any, field: str, prefix: str, test: Any, limit: Limits, budget: Budget
) -> tuple[Counter[str], bool]:
    """Matching words of one segment with their document counts; False when cut short
    (by the scan cap, or by the time budget, which also sets ``budget.late``)."""
    found: Counter[str] = Counter()
    try:
        terms = reader.iter_prefix(field, prefix)
    except Exception:  # a field the segment does not have
        return found, True
    for scanned, (raw, info) in enumerate(terms):
        if scanned >= limit.max_pattern_scan:
            return found, False
        if scanned % DEADLINE_EVERY == 0 and budget.over():
            budget.late = True
            return found, False
        word = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        if test is None or test(word):
            found[word] += info.doc_frequency()
    return found, True


def expansion(snapshot: Snapshot, q: Any, budget: Budget) -> tuple[tuple[str, ...], bool]:
    """The words ``q`` stands for (commonest first) and whether that is all of them;
    remembered for the snapshot's generation unless the time budget cut it."""
    limit = limits()
    key = (
        "pattern",
        type(q).__name__,
        q.fieldname,
        q.text,
        limit.max_pattern_words,
        limit.max_pattern_scan,
    )
    if key in snapshot.memo:
        return snapshot.memo[key]
    prefix, test = _matcher(q)
    counts: Counter[str] = Counter()
    complete = True
    for segment in snapshot.segments:
        found, whole = _segment_matches(segment.reader, q.fieldname, prefix, test, limit, budget)
        counts.update(found)
        complete = complete and whole
    words = tuple(
        word
        for _count, word in heapq.nlargest(
            limit.max_pattern_words, ((count, word) for word, count in counts.items())
        )
    )
    complete = complete and len(words) == len(counts)
    if not budget.late:  # the caps give the same words every time; the clock may not
        snapshot.memo[key] = (words, complete)
    return words, complete


def expand(q: Any, snapshot: Snapshot, budget: Budget) -> Any:
    """``q`` with every pattern replaced by its :class:`Expanded` words; ``budget.cut``
    is set when any expansion was cut short by a cap or by the time budget."""
    if q is None:
        return None
    if isinstance(q, PATTERN_QUERIES):
        words, complete = expansion(snapshot, q, budget)
        budget.cut = budget.cut or not complete
        if not words:
            return wq.NullQuery
        return Expanded([wq.Term(q.fieldname, word) for word in words], boost=q.boost)
    if q.is_leaf():
        return q
    return q.apply(lambda sub: expand(sub, snapshot, budget))


INCOMPLETE_NOTE = (
    "A word pattern (* or ?) matches more words than are searched; showing "
    "datasets with its commonest matches. Add letters to narrow it."
)
