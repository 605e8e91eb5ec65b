"""Keeps each dataset's score in step with its document, inside every write.

The listener (wired in :mod:`catalogue.wiring`) runs in the writing transaction
(``catalogue.events``), so a score never describes a state that did not commit; a batch write
scores its datasets together.
"""

from __future__ import annotations

from collections.abc import Sequence

from catalogue.events import Change
from catalogue.quality import store


async def score_change(change: Change) -> None:
    await score_changes([change])


async def score_changes(changes: Sequence[Change]) -> None:
    """Score what the changes wrote: from the rows the writer holds (a batch write), else as
    read back from the database."""
    datasets = [change for change in changes if change.kind == "dataset"]
    gone = [change.object_id for change in datasets if change.after is None]
    await store.forget(gone)
    kept = [change for change in datasets if change.after is not None]
    held = {change.object_id: change.written for change in kept if change.written is not None}
    await store.score_rows(list(held.values()))
    await store.score_datasets(
        dict.fromkeys(change.object_id for change in kept if change.object_id not in held)
    )
