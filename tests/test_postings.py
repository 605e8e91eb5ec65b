"""A term's document numbers read from whoosh's posting blocks (search/postings.py): the
same numbers whoosh itself reads, for every term of fields with and without positions."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.fields import KEYWORD, TEXT, Schema
from whoosh.matching.wrappers import FilterMatcher

from catalogue.search.postings import posting_ids


def whoosh_ids(reader: Any, field: str, text: str) -> list[int]:
    """What whoosh reads, deleted documents included."""
    matcher = reader.postings(field, text)
    while isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    return list(matcher.all_ids())


def make_reader(folder: Path, delete: bool) -> Any:
    """700 documents (then one deleted): terms in every block length (1-3 in the last block
    too), positions of repeated words, gaps of more than 255 documents."""
    generator = random.Random(3)
    ix = whoosh_index.create_in(str(folder), Schema(tag=KEYWORD(), text=TEXT(phrase=True)))
    writer = ix.writer()
    for number in range(700):
        words = [f"w{generator.randint(0, 40)}" for _ in range(generator.randint(1, 30))]
        rare = ["rare"] if number in (5, 400, 699) else []
        writer.add_document(
            tag="all" if number % 3 else "all third",
            text=" ".join([*words, *rare, f"mod{number % 5}", *(["one"] if number == 650 else [])]),
        )
    writer.commit()
    if delete:
        writer = ix.writer()
        writer.delete_document(4)
        writer.commit()
    opened = ix.reader()
    assert opened.has_deletions() is delete
    return opened


@pytest.fixture
def reader(tmp_path: Path) -> Any:
    return make_reader(tmp_path, delete=True)


def test_every_term_reads_as_whoosh_reads_it_deleted_documents_included(reader: Any) -> None:
    checked = 0
    for field in ("tag", "text"):
        for raw in reader.lexicon(field):
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            whoosh = whoosh_ids(reader, field, text)
            assert posting_ids(reader, field, text) == whoosh, (field, text)
            checked += 1
    assert checked > 40
    assert posting_ids(reader, "tag", "third") == list(range(0, 700, 3))
    assert posting_ids(reader, "text", "rare") == [5, 400, 699]
    assert posting_ids(reader, "text", "one") == [650]


def test_a_missing_term_has_no_documents(reader: Any) -> None:
    assert posting_ids(reader, "text", "absent") == []


def test_blocks_with_positions_are_read_without_unpickling_the_positions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(With deletions whoosh's own filter reads a term's first block as it opens it.)"""
    reader = make_reader(tmp_path, delete=False)
    whole_reads = []
    original = W3LeafMatcher._read_data

    def spy(self: Any) -> None:
        whole_reads.append(self)
        original(self)

    monkeypatch.setattr(W3LeafMatcher, "_read_data", spy)
    assert len(posting_ids(reader, "text", "mod2")) == 140  # two blocks (128 + 12)
    assert len(posting_ids(reader, "text", "rare")) == 3  # one block of three
    assert whole_reads == []
