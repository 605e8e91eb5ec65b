"""Signed checkpoints of the audit log, kept outside the database.

A checkpoint says "the log had N events ending in hash H at time T", signed with the audit
key. Kept in a file the database cannot reach (``CATALOGUE_AUDIT_CHECKPOINT_FILE``, one JSON
object a line), or by an auditor, it lets ``catalogue audit verify`` notice events removed
from the end of the log or the whole log emptied, which the chain by itself cannot.

The server appends one every ``CATALOGUE_AUDIT_CHECKPOINT_SECONDS`` when the log has grown,
and one when it stops (each worker tries; a file lock and a look at the last line keep one
line per head).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import fcntl
import json
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from catalogue.audit.chain import BrokenLink, ChainStatus, Checkpoint, sign_checkpoint
from catalogue.audit.keys import audit_key
from catalogue.audit.service import head, verify_chain
from catalogue.running import in_background
from catalogue.settings import get_settings

logger = logging.getLogger(__name__)
TAIL_BYTES = 4096  # enough for the last line of a checkpoint file


async def current_checkpoint() -> Checkpoint:
    """A freshly signed checkpoint of the committed log (two indexed reads, no scan)."""
    events, head_hash = await head()
    return sign_checkpoint(events, head_hash, dt.datetime.now(dt.UTC), audit_key())


def _last_line(handle: Any) -> str:
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(max(0, size - TAIL_BYTES))
    lines = handle.read().decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else ""


def append_checkpoint(path: Path, checkpoint: Checkpoint) -> bool:
    """Add the checkpoint as a line of ``path`` unless the last line has the same head.

    Returns whether it was written. The file is created 0600 and locked while written, so
    several workers never interleave lines.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "rb+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            last = _last_line(handle)
            if last:
                with contextlib.suppress(ValueError):
                    previous = Checkpoint.from_dict(json.loads(last))
                    if (previous.events, previous.head_hash) == (
                        checkpoint.events,
                        checkpoint.head_hash,
                    ):
                        return False
            handle.write((json.dumps(checkpoint.as_dict()) + "\n").encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
            return True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_checkpoints(path: Path) -> list[Checkpoint]:
    """The checkpoints in a file: one JSON object, a JSON list, or one object a line.

    Raises ValueError naming the line that is not a checkpoint.
    """
    text = path.read_text(encoding="utf-8")
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        whole = None
    try:
        if isinstance(whole, dict):
            return [Checkpoint.from_dict(whole)]
        if isinstance(whole, list):
            return [Checkpoint.from_dict(item) for item in whole]
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                found.append(Checkpoint.from_dict(json.loads(line)))
            except ValueError as error:  # JSONDecodeError is a ValueError
                raise ValueError(f"{path}, line {number}: {error}") from None
    return found


def default_checkpoints() -> list[Checkpoint]:
    """The checkpoints the server wrote, when there is such a file."""
    path = get_settings().audit_checkpoint_file
    return read_checkpoints(path) if path.is_file() else []


async def verify_with_server_checkpoints() -> ChainStatus:
    """Verify the chain against every checkpoint in the server's file (the API and the page)."""
    try:
        points = await asyncio.to_thread(default_checkpoints)
    except (OSError, ValueError) as error:
        broken = BrokenLink(0, f"the server's checkpoint file cannot be read: {error}")
        return ChainStatus(False, 0, "", broken)
    return await verify_chain(points)


async def write_periodic_checkpoint() -> bool:
    """One tick of the server's checkpointing: sign the head, add it if it moved."""
    checkpoint = await current_checkpoint()
    if checkpoint.events == 0:
        return False
    path = get_settings().audit_checkpoint_file
    return await asyncio.to_thread(append_checkpoint, path, checkpoint)


async def _every(seconds: float) -> None:
    while True:
        await asyncio.sleep(seconds)
        try:
            await write_periodic_checkpoint()
        except Exception:  # the next tick tries again; never take the server down
            logger.exception("writing an audit checkpoint failed")


@contextlib.asynccontextmanager
async def audit_lifespan(_: Any = None) -> AsyncIterator[None]:
    """While the server runs: a signed checkpoint every ``audit_checkpoint_seconds``, and a
    last one when it stops (0 seconds: none at all)."""
    seconds = get_settings().audit_checkpoint_seconds
    if seconds <= 0:
        yield
        return
    try:
        async with in_background(lambda: _every(seconds)):
            yield
    finally:
        try:
            await write_periodic_checkpoint()
        except Exception:
            logger.exception("writing the audit checkpoint at shutdown failed")
