"""What a dataset's RDF needs beyond its own record: publishers and which datasets are public.

``dataset_rdf_response`` is synchronous (the page handler calls it), so it cannot query the
database; it reads this small in-process snapshot instead. The feed and our own handlers
refresh it (at most every few seconds), change events keep it current between refreshes, and
a stale snapshot schedules its own refresh in the background (for other worker processes).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

from catalogue.datasets.queries import PUBLIC_STATUSES
from catalogue.datasets.tables import Dataset
from catalogue.dcat.mapping import PublisherInfo
from catalogue.events import Change, subscribe
from catalogue.organisations.tables import Organisation

MAX_AGE_SECONDS = 10.0


@dataclass
class Snapshot:
    publishers: dict[str, PublisherInfo] = field(default_factory=dict)
    public_slugs: set[str] = field(default_factory=set)
    organisations_modified: dt.datetime | None = None
    loaded_at: float = 0.0

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
        return _snapshot
    rows = await Organisation.select(
        Organisation.slug,
        Organisation.name,
        Organisation.type,
        Organisation.homepage,
        Organisation.email,
        Organisation.modified,
    )
    public = await Dataset.select(Dataset.slug).where(Dataset.status.is_in(list(PUBLIC_STATUSES)))
    _snapshot = Snapshot(
        publishers={row["slug"]: _publisher(row) for row in rows},
        public_slugs={row["slug"] for row in public},
        organisations_modified=max((row["modified"] for row in rows), default=None),
        loaded_at=time.monotonic(),
    )
    return _snapshot


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
