"""The did-you-mean dictionary: words of titles, keywords and attribute names, with counts.

It lives beside the index as ``spelling.json`` rather than as an index field: as a field it
was a fifth of all postings, and so of every reindex. A rebuild writes it whole (each word
with the number of datasets holding it); a drain appends only the words it has not seen, as
one line of ``spelling-added.jsonl`` (rewriting the whole file and re-reading it cost a new
dataset tens of milliseconds before it could be found), and folds that journal into the
file once it has grown. A word whose datasets are gone may linger, which is harmless:
a suggestion is only made when its words still find datasets the reader may see. Only the
words of public datasets are learnt (see ``words_of``).
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from whoosh.analysis import StandardAnalyzer

from catalogue.domain import disclosure
from catalogue.files import write_atomically
from catalogue.search.schema import split_name

SPELLING_FILE = "spelling.json"
ADDED_FILE = "spelling-added.jsonl"
FOLD_AT_BYTES = 256 * 1024
"""The journal of added words is folded into the dictionary file past this size."""
_ANALYZER = StandardAnalyzer(minsize=3)


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

    def __init__(self, counts: dict[str, int], ordered: list[str] | None = None) -> None:
        self.counts = counts
        self.sorted = sorted(counts) if ordered is None else ordered

    def with_added(self, added: dict[str, int]) -> Dictionary:
        """A new dictionary with these counts added (this one may be in use by a reader)."""
        counts, ordered = dict(self.counts), list(self.sorted)
        for word, count in added.items():
            if word not in counts:
                bisect.insort(ordered, word)
            counts[word] = counts.get(word, 0) + count
        return Dictionary(counts, ordered)

    def frequency(self, word: str) -> int:
        return self.counts.get(word, 0)

    def starting_with(self, prefix: str) -> Iterator[str]:
        position = bisect.bisect_left(self.sorted, prefix)
        while position < len(self.sorted) and self.sorted[position].startswith(prefix):
            yield self.sorted[position]
            position += 1


class _Loaded(NamedTuple):
    identity: tuple[tuple[int, int, int], int]  # the file's stamp, the journal's inode
    read: int  # bytes of the journal applied
    dictionary: Dictionary


_loaded: dict[str, _Loaded] = {}
"""Per dictionary file, what was last read of it and of its journal."""


def _path(folder: Path) -> Path:
    return folder / SPELLING_FILE


def _save(folder: Path, counts: dict[str, int]) -> None:
    """The whole dictionary, then an empty journal (a reader in between counts the journal's
    words twice, which only weighs a suggestion)."""
    write_atomically(_path(folder), json.dumps(counts, separators=(",", ":"), sort_keys=True))
    (folder / ADDED_FILE).unlink(missing_ok=True)


def replace(folder: Path, counts: Counter[str]) -> None:
    """After a rebuild: the dictionary is exactly these counts."""
    _save(folder, dict(counts))


def add(folder: Path, documents: Iterable[dict[str, Any]]) -> None:
    """After a drain: add the words of these stored datasets that are not known yet (one
    writer at a time: the index's writer lock is held)."""
    known = load(folder)
    new = Counter(word for d in documents for word in words_of(d) if word not in known.counts)
    if not new:
        return
    journal = folder / ADDED_FILE
    if _stamp(journal)[2] >= FOLD_AT_BYTES:
        _save(folder, known.with_added(new).counts)
        return
    with journal.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(new, separators=(",", ":")) + "\n")


def _journal(folder: Path, start: int) -> tuple[int, dict[str, int]]:
    """The words added since byte ``start`` of the journal, and where the complete lines end
    (a line being written is read next time)."""
    try:
        with (folder / ADDED_FILE).open("rb") as handle:
            handle.seek(start)
            chunk = handle.read()
    except OSError:
        return start, {}
    complete = chunk[: chunk.rfind(b"\n") + 1]
    added: Counter[str] = Counter()
    for line in complete.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            added.update({str(k): v for k, v in entry.items() if isinstance(v, int)})
    return start + len(complete), dict(added)


def _stamp(path: Path) -> tuple[int, int, int]:
    try:
        status = path.stat()
    except OSError:
        return (0, 0, 0)
    return (status.st_ino, status.st_mtime_ns, status.st_size)


def load(folder: Path) -> Dictionary:
    """The dictionary as last written: the file re-read only when it changed, the journal
    from where it was last read."""
    path = _path(folder)
    stamp = _stamp(path)
    if stamp == (0, 0, 0):
        return Dictionary({})
    journal = _stamp(folder / ADDED_FILE)
    identity = (stamp, journal[0])  # a new journal (after a fold) is read from its start
    cached = _loaded.get(str(path))
    if cached is not None and cached.identity == identity and cached.read <= journal[2]:
        read, dictionary = cached.read, cached.dictionary
        if read == journal[2]:
            return dictionary
    else:
        try:
            counts = json.loads(path.read_text())
        except (OSError, ValueError):
            counts = {}
        read, dictionary = 0, Dictionary(counts)
    end, added = _journal(folder, read)
    if added:
        dictionary = dictionary.with_added(added)
    _loaded[str(path)] = _Loaded(identity, end, dictionary)
    return dictionary
