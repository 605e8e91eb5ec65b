"""What a dataset's RDF needs beyond its own record: publishers and which related datasets
are public.

Publishers (one row per organisation, a few hundred) are kept per catalogue version
(:mod:`catalogue.datasets.versions`), so a change on any worker or node is seen by the next
request and nothing is reloaded while nothing changed. Which related datasets are public is
asked of the database for the few slugs a page links to (never a list of every dataset).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from catalogue.datasets.tables import Dataset
from catalogue.datasets.versions import current_version
from catalogue.dcat.mapping import PublisherInfo
from catalogue.domain.disclosure import PUBLIC_STATUSES
from catalogue.organisations.tables import Organisation


@dataclass
class Snapshot:
    publishers: dict[str, PublisherInfo] = field(default_factory=dict)
    version: int | None = None

    @property
    def loaded(self) -> bool:
        return self.version is not None

    def publisher(self, slug: str | None, name: str = "") -> PublisherInfo | None:
        if not slug:
            return None
        return self.publishers.get(slug) or PublisherInfo(slug=slug, name=name or slug)


_snapshot = Snapshot()


def _publisher(row: dict[str, Any]) -> PublisherInfo:
    return PublisherInfo(
        slug=row["slug"],
        name=row["name"],
        type=row.get("type") or None,
        homepage=row.get("homepage") or None,
        email=row.get("email") or None,
    )


async def refresh(version: int | None = None) -> Snapshot:
    """The publishers as of the current catalogue version (reloaded only after a change)."""
    global _snapshot
    if version is None:
        version = await current_version()
    if _snapshot.version == version:
        return _snapshot
    rows = await Organisation.select(
        Organisation.slug,
        Organisation.name,
        Organisation.type,
        Organisation.homepage,
        Organisation.email,
    )
    _snapshot = Snapshot(publishers={row["slug"]: _publisher(row) for row in rows}, version=version)
    return _snapshot


def current() -> Snapshot:
    """The snapshot last loaded (callers that can await use :func:`refresh`)."""
    return _snapshot


async def public_among(slugs: Iterable[str]) -> frozenset[str]:
    """Which of these datasets are public (related links never point at a draft)."""
    wanted = sorted(set(slugs))
    if not wanted:
        return frozenset()
    rows = await Dataset.select(Dataset.slug).where(
        Dataset.slug.is_in(wanted), Dataset.status.is_in(list(PUBLIC_STATUSES))
    )
    return frozenset(row["slug"] for row in rows)


def invalidate() -> None:
    """Forget the snapshot (tests reset the database under it)."""
    global _snapshot
    _snapshot = Snapshot()
