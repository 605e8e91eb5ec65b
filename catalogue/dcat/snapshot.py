"""What a dataset's RDF needs beyond its own record: publishers and which datasets are public.

``dataset_rdf_response`` is synchronous (the page handler calls it), so it cannot query the
database; it reads this small in-process snapshot instead. The feed and our own handlers
refresh it (at most every few seconds), change events keep it current between refreshes, and
a stale snapshot schedules its own refresh in the background (for other worker processes).
Between refreshes it also follows the change log (:func:`follow_log`), so a dataset another
node published is public here as soon as this node has seen the log move.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from catalogue.datasets.queries import PUBLIC_STATUSES
from catalogue.datasets.tables import Dataset
from catalogue.dcat.mapping import PublisherInfo
from catalogue.events import Change, subscribe
from catalogue.organisations.tables import Organisation
from catalogue.search import changelog

MAX_AGE_SECONDS = 10.0
LOG_BATCH = 1000
ORGANISATION_COLUMNS = (
    Organisation.slug,
    Organisation.name,
    Organisation.type,
    Organisation.homepage,
    Organisation.email,
    Organisation.modified,
)


@dataclass
class Snapshot:
    publishers: dict[str, PublisherInfo] = field(default_factory=dict)
    public_slugs: set[str] = field(default_factory=set)
    organisations_modified: dt.datetime | None = None
    loaded_at: float = 0.0
    position: int = 0  # the change-log id the snapshot reflects (see follow_log)

    @property
    def loaded(self) -> bool:
        return self.loaded_at > 0

    def is_public(self, slug: str) -> bool:
        return slug in self.public_slugs

    def publisher(self, slug: str | None, name: str = "") -> PublisherInfo | None:
        if not slug:
            return None
        return self.publishers.get(slug) or PublisherInfo(slug=slug, name=name or slug)


_snapshot = Snapshot()
_refreshing: set[asyncio.Task[Any]] = set()


def _publisher(row: dict[str, Any]) -> PublisherInfo:
    return PublisherInfo(
        slug=row["slug"],
        name=row["name"],
        type=row.get("type") or None,
        homepage=row.get("homepage") or None,
        email=row.get("email") or None,
    )


async def refresh(max_age: float = MAX_AGE_SECONDS) -> Snapshot:
    """The snapshot, reloaded from the database when older than ``max_age`` seconds."""
    global _snapshot
    if _snapshot.loaded and time.monotonic() - _snapshot.loaded_at < max_age:
        await follow_log(_snapshot)
        return _snapshot
    position = changelog.current_position()
    rows = await Organisation.select(*ORGANISATION_COLUMNS)
    public = await Dataset.select(Dataset.slug).where(Dataset.status.is_in(list(PUBLIC_STATUSES)))
    _snapshot = Snapshot(
        publishers={row["slug"]: _publisher(row) for row in rows},
        public_slugs={row["slug"] for row in public},
        organisations_modified=max((row["modified"] for row in rows), default=None),
        loaded_at=time.monotonic(),
        position=position,
    )
    return _snapshot


async def follow_log(current: Snapshot) -> None:
    """Take in what other nodes changed since the snapshot's position (cheap: only the
    changed datasets are read; organisations are few and reloaded whole)."""
    position = changelog.current_position()
    if position <= current.position:
        return
    entries = await changelog.read(current.position, [], LOG_BATCH)
    if len(entries) == LOG_BATCH:  # far behind: a full reload is cheaper
        current.loaded_at = 0.0
        return
    datasets = [uuid.UUID(e.object_id) for e in entries if e.kind == "dataset"]
    if datasets:
        rows = await Dataset.select(Dataset.slug, Dataset.status).where(
            Dataset.id.is_in(datasets))
        for row in rows:
            if row["status"] in PUBLIC_STATUSES:
                current.public_slugs.add(row["slug"])
            else:
                current.public_slugs.discard(row["slug"])
    if any(e.kind == "organisation" for e in entries):
        for row in await Organisation.select(*ORGANISATION_COLUMNS):
            current.publishers[row["slug"]] = _publisher(row)
    current.position = max([position, *(e.id for e in entries)])


def current() -> Snapshot:
    """The snapshot as it is now; schedules a refresh when it is stale (never blocks)."""
    stale = not _snapshot.loaded or time.monotonic() - _snapshot.loaded_at >= MAX_AGE_SECONDS
    if stale and not _refreshing:
        try:
            task = asyncio.get_running_loop().create_task(refresh())
        except RuntimeError:  # no event loop (a script): the caller gets what there is
            return _snapshot
        _refreshing.add(task)
        task.add_done_callback(_refreshing.discard)
    return _snapshot


def invalidate() -> None:
    """Forget the snapshot (tests reset the database under it)."""
    global _snapshot
    _snapshot = Snapshot()


@subscribe
async def _follow_changes(change: Change) -> None:
    """Keep the snapshot current in this process between refreshes."""
    after = change.after or {}
    if change.kind == "dataset" and after.get("slug"):
        if after.get("status") in PUBLIC_STATUSES:
            _snapshot.public_slugs.add(after["slug"])
        else:
            _snapshot.public_slugs.discard(after["slug"])
    elif change.kind == "organisation" and after.get("slug"):
        _snapshot.publishers[after["slug"]] = _publisher(after)
        _snapshot.organisations_modified = None
