"""Written dataset RDF kept on disk, shared by the workers and kept across restarts.

A feed of 100,000 datasets is about 700 MB of Turtle: more than a worker should hold in
memory, and minutes of CPU to write anew. Each dataset's chunk is kept compressed (about
1 KB) in ``$CATALOGUE_DATA_DIR/cache/rdf-chunks.sqlite``, under a key that holds everything
the text depends on (the dataset, its revision and modified time, its publisher's details,
which related datasets are public, the base URL and languages) and a fingerprint of the code
and vocabularies that write it, so a changed mapping or vocabulary never serves old text.
It is only a cache: any failure to read or write it is ignored, and deleting it is safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sqlite3
import threading
import zlib
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)
_local = threading.local()
SOURCE_FOLDERS = ("dcat", "domain")  # the mapping and the field registry it reads


@cache
def fingerprint() -> str:
    """Of the code and the vocabularies that write the RDF (read once per process)."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for folder_name in SOURCE_FOLDERS:
        for path in sorted((here.parent / folder_name).glob("*.py")):
            digest.update(path.read_bytes())
    folder = Path(
        os.environ.get("CATALOGUE_VOCABULARIES_DIR") or here.parent.parent / "vocabularies"
    )
    for path in sorted(folder.glob("*.ttl")):
        status = path.stat()
        digest.update(f"{path.name}:{status.st_size}:{status.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def _path() -> Path:
    from catalogue.settings import get_settings

    return get_settings().data_dir / "cache" / "rdf-chunks.sqlite"


def _connection() -> sqlite3.Connection | None:
    held = getattr(_local, "held", None)
    path = _path()
    if held is not None and held[0] == (os.getpid(), path):
        return held[1]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(
            path, timeout=0.2, isolation_level=None, check_same_thread=False
        )
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS chunk "
            "(key TEXT PRIMARY KEY, version TEXT NOT NULL, body BLOB NOT NULL)"
        )
    except (OSError, sqlite3.Error) as error:
        logger.warning("no RDF chunk cache at %s: %s", path, error)
        connection = None
    _local.held = ((os.getpid(), path), connection)
    return connection


def _current(keys: dict[str, str], columns: str) -> Iterator[tuple[Any, ...]]:
    """Rows ``(key, *columns)`` of the keys stored at their version, 500 keys a query."""
    connection = _connection()
    if connection is None:
        return
    names = list(keys)
    for start in range(0, len(names), 500):
        part = names[start : start + 500]
        marks = ", ".join("?" for _ in part)
        rows = connection.execute(
            f"SELECT key, version{columns} FROM chunk WHERE key IN ({marks})", part
        )
        for key, version, *rest in rows:
            if version == keys[key]:
                yield (key, *rest)


def get_many(keys: dict[str, str]) -> dict[str, str]:
    """``{key: version}`` -> ``{key: text}`` for the keys stored at that version."""
    found: dict[str, str] = {}
    try:
        for key, body in _current(keys, ", body"):
            found[key] = zlib.decompress(body).decode("utf-8")
    except (sqlite3.Error, zlib.error) as error:
        logger.debug("RDF chunk cache unreadable: %s", error)
    return found


def present(keys: dict[str, str]) -> set[str]:
    """Which of ``{key: version}`` are stored at that version (their texts are not read)."""
    found: set[str] = set()
    try:
        found.update(key for (key,) in _current(keys, ""))
    except sqlite3.Error as error:
        logger.debug("RDF chunk cache unreadable: %s", error)
    return found


def put_many(entries: Iterable[tuple[str, str, str]]) -> None:
    """Store ``(key, version, text)`` entries; skipped when another writer holds the file."""
    connection = _connection()
    rows = [
        (key, version, zlib.compress(text.encode("utf-8"), 1)) for key, version, text in entries
    ]
    if connection is None or not rows:
        return
    try:
        connection.execute("BEGIN")
        connection.executemany("INSERT OR REPLACE INTO chunk VALUES (?, ?, ?)", rows)
        connection.execute("COMMIT")
    except sqlite3.Error as error:
        logger.debug("RDF chunk cache not written: %s", error)
        with contextlib.suppress(sqlite3.Error):
            connection.execute("ROLLBACK")
