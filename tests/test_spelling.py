"""The did-you-mean dictionary on disk: a rebuild writes it whole, a drain appends the words it
has not seen to a journal, and every reader (this process or another) sees both."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from catalogue.search import spelling


def published(title: str) -> dict:
    return {"status": "published", "title": {"en": title}}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    spelling.replace(tmp_path, Counter({"avalanche": 2, "weather": 5}))
    return tmp_path


def another_process(folder: Path) -> spelling.Dictionary:
    """What a reader that never loaded the dictionary sees."""
    spelling._loaded.clear()
    return spelling.load(folder)


def test_new_words_are_appended_without_rewriting_the_dictionary(folder: Path) -> None:
    dictionary_file = folder / spelling.SPELLING_FILE
    before = dictionary_file.stat()

    spelling.add(folder, [published("Hydrometeorology stations"), published("Weather radar")])

    after = dictionary_file.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    journal = (folder / spelling.ADDED_FILE).read_text().splitlines()
    assert [json.loads(line) for line in journal] == [
        {"hydrometeorology": 1, "stations": 1, "radar": 1}
    ]
    for dictionary in (spelling.load(folder), another_process(folder)):
        assert dictionary.frequency("hydrometeorology") == 1
        assert dictionary.frequency("weather") == 5  # a known word is not counted again
        assert list(dictionary.starting_with("hydro")) == ["hydrometeorology"]
        assert dictionary.sorted == sorted(dictionary.counts)


def test_a_drain_with_no_new_word_writes_nothing(folder: Path) -> None:
    spelling.add(folder, [published("Weather avalanche")])
    assert not (folder / spelling.ADDED_FILE).exists()


def test_a_line_still_being_written_is_read_once_complete(folder: Path) -> None:
    journal = folder / spelling.ADDED_FILE
    journal.write_text('{"ferry":1}\n{"harb')
    assert spelling.load(folder).frequency("ferry") == 1
    assert spelling.load(folder).frequency("harbour") == 0
    journal.write_text('{"ferry":1}\n{"harbour":3}\n')
    assert spelling.load(folder).frequency("harbour") == 3
    assert spelling.load(folder).frequency("ferry") == 1  # read once, not again


def test_a_grown_journal_is_folded_into_the_dictionary(folder: Path, monkeypatch) -> None:
    monkeypatch.setattr(spelling, "FOLD_AT_BYTES", 30)
    spelling.add(folder, [published("Hydrometeorology stations")])
    spelling.add(folder, [published("Lighthouse keepers")])  # the journal is past 30 bytes
    assert not (folder / spelling.ADDED_FILE).exists()
    written = json.loads((folder / spelling.SPELLING_FILE).read_text())
    assert written == {
        "avalanche": 2,
        "weather": 5,
        "hydrometeorology": 1,
        "stations": 1,
        "lighthouse": 1,
        "keepers": 1,
    }
    assert another_process(folder).counts == written


def test_a_rebuild_replaces_dictionary_and_journal(folder: Path) -> None:
    spelling.add(folder, [published("Hydrometeorology stations")])
    spelling.replace(folder, Counter({"ferry": 4}))
    assert not (folder / spelling.ADDED_FILE).exists()
    assert spelling.load(folder).counts == {"ferry": 4}
    assert another_process(folder).counts == {"ferry": 4}
