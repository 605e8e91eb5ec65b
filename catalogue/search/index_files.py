"""The index's folder: its state file (the log position, the database marker), the writer
lock only one process holds, and opening the index (None when it must be rebuilt).

The other index modules call these through the module (``index_files.index_dir()``), so that a
test that points :func:`index_dir` elsewhere moves all of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from catalogue.files import write_atomically
from catalogue.search.schema import schema
from catalogue.settings import get_settings

logger = logging.getLogger(__name__)

STATE_FILE = "state.json"
LOCK_FILE = "writer.lock"
REBUILD_LOCK_SECONDS = 60.0
_loop_locks: dict[int, asyncio.Lock] = {}


def index_dir() -> Path:
    return get_settings().index_dir


def drain_lock() -> asyncio.Lock:
    """One asyncio lock per event loop (the CLI and tests run several loops in one process)."""
    loop = asyncio.get_running_loop()
    lock = _loop_locks.get(id(loop))
    if lock is None:
        lock = _loop_locks[id(loop)] = asyncio.Lock()
    return lock


@contextlib.contextmanager
def writer_lock(blocking: bool) -> Iterator[bool]:
    """The cross-process writer lock; yields whether it was acquired."""
    folder = index_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_FILE, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_state() -> dict[str, Any]:
    try:
        return json.loads((index_dir() / STATE_FILE).read_text())
    except (OSError, ValueError):
        return {}


def write_state(state: dict[str, Any]) -> None:
    write_atomically(index_dir() / STATE_FILE, json.dumps(state))


def open_index(*, check: bool = True) -> Any | None:
    """The index if it exists, opens, and has the current schema; None otherwise.

    ``check`` also opens every segment, which catches corrupt files: for start-up and
    rebuild decisions; drains and searchers skip it (they open the segments anyway).
    """
    folder = index_dir()
    try:
        if not whoosh_index.exists_in(str(folder)):
            return None
        ix = whoosh_index.open_dir(str(folder))
        if sorted(ix.schema.names()) != sorted(schema().names()):
            return None
        if check:
            ix.doc_count()
        return ix
    except Exception as error:  # a corrupt index is rebuilt, whatever whoosh raises
        logger.warning("search index at %s is unusable (%s); it will be rebuilt", folder, error)
        return None


class IndexBusy(RuntimeError):
    """Another holder kept the writer lock too long; the next search or start retries."""


async def wait_for_writer_lock(timeout: float = REBUILD_LOCK_SECONDS) -> Any:
    """Take the writer lock, polling without blocking the event loop, or give up.

    Never a blocking ``flock``: the holder may be a task of this very process (two event
    loops in one process, as in tests) that cannot run while we block, which would deadlock.
    """
    folder = index_dir()
    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / LOCK_FILE, "w")  # noqa: SIM115 - released by the caller
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return handle
        except BlockingIOError:
            if time.monotonic() > deadline:
                handle.close()
                raise IndexBusy("the search index writer lock is held elsewhere") from None
            await asyncio.sleep(0.05)
