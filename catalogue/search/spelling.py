"""The did-you-mean dictionary: words of titles, keywords and attribute names, with counts.

It lives beside the index as ``spelling.json`` rather than as an index field: as a field it
was a fifth of all postings, and so of every reindex. A rebuild writes it whole (each word
with the number of datasets holding it); a drain adds only words it has not seen, so most
drains leave the file alone. A word whose datasets are gone may linger, which is harmless:
a suggestion is only made when its words still find datasets the reader may see. Only the
words of public datasets are learnt (see ``words_of``).
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from whoosh.analysis import StandardAnalyzer

from catalogue.domain import disclosure
from catalogue.files import write_atomically
from catalogue.search.schema import split_name

SPELLING_FILE = "spelling.json"
_ANALYZER = StandardAnalyzer(minsize=3)
_loaded: dict[str, tuple[tuple[int, int], Dictionary]] = {}


def words_of(document: dict[str, Any]) -> set[str]:
    """The dictionary words of one stored dataset (lower case, no stop words, 3+ letters).

    Public datasets only: the dictionary is one for every reader, so it learns no word of a
    draft or a withdrawn dataset (a suggestion would otherwise hint at unpublished work).
    """
    if not disclosure.is_public(str(document.get("status") or "")):
        return set()
    semantic = document.get("semantic") or {}
    technical = document.get("technical") or {}
    title = document.get("title") or {}
    texts = [text for text in title.values() if isinstance(text, str)]
    texts.extend(str(keyword) for keyword in semantic.get("keywords") or [])
    texts.extend(split_name(a.get("name", "")) for a in technical.get("attributes") or [])
    return {token.text for text in texts for token in _ANALYZER(text) if token.text.isalpha()}


class Dictionary:
    """Known words and how many datasets hold each; sorted for prefix lookups."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.sorted = sorted(counts)

    def frequency(self, word: str) -> int:
        return self.counts.get(word, 0)

    def starting_with(self, prefix: str) -> Iterator[str]:
        position = bisect.bisect_left(self.sorted, prefix)
        while position < len(self.sorted) and self.sorted[position].startswith(prefix):
            yield self.sorted[position]
            position += 1


def _path(folder: Path) -> Path:
    return folder / SPELLING_FILE


def _save(folder: Path, counts: dict[str, int]) -> None:
    write_atomically(_path(folder), json.dumps(counts, separators=(",", ":"), sort_keys=True))


def replace(folder: Path, counts: Counter[str]) -> None:
    """After a rebuild: the dictionary is exactly these counts."""
    _save(folder, dict(counts))


def add(folder: Path, documents: Iterable[dict[str, Any]]) -> None:
    """After a drain: add the words of these stored datasets that are not known yet."""
    known = load(folder)
    new = Counter(word for d in documents for word in words_of(d) if word not in known.counts)
    if new:
        _save(folder, {**known.counts, **new})


def load(folder: Path) -> Dictionary:
    """The dictionary as last written (re-read only when the file changed)."""
    path = _path(folder)
    try:
        status = path.stat()
    except OSError:
        return Dictionary({})
    stamp = (status.st_mtime_ns, status.st_size)
    cached = _loaded.get(str(path))
    if cached is None or cached[0] != stamp:
        try:
            counts = json.loads(path.read_text())
        except (OSError, ValueError):
            counts = {}
        cached = _loaded[str(path)] = (stamp, Dictionary(counts))
    return cached[1]
