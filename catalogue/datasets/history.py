"""A dataset's revisions as a reader may see them: the whole history for its publisher's
members, admins and auditors; the public history (no draft text) for everyone else."""

from __future__ import annotations

from typing import Any

from catalogue.accounts.principal import Principal
from catalogue.datasets.queries import DatasetRecord, get_record, visible_slugs
from catalogue.datasets.tables import DatasetRevision
from catalogue.domain import disclosure
from catalogue.domain.patch import changed_fields
from catalogue.errors import NotFound


async def history(
    slug: str, principal: Principal | None, record: DatasetRecord | None = None
) -> list[dict[str, Any]]:
    """Every revision for the publisher's members, admins and auditors, newest first; for
    everyone else the public history (``disclosure.public_revisions``): no draft text.
    ``record``: the dataset as the caller already read it for ``principal``."""
    if record is None:
        record = await get_record(slug, principal)
    rows = (
        await DatasetRevision.select(
            DatasetRevision.revision,
            DatasetRevision.action,
            DatasetRevision.actor_name,
            DatasetRevision.at,
            DatasetRevision.changes,
        )
        .where(DatasetRevision.dataset == record.id)
        .order_by(DatasetRevision.revision)
        .output(load_json=True)
    )
    by_revision = {row["revision"]: row for row in rows}
    if disclosure.sees_unpublished(principal, record.publisher):
        shown = [(row["revision"], row["changes"]) for row in rows]
    else:
        shown = await _public_changes(record, rows)
    mentioned = [slug for _, changes in shown for slug in disclosure.related_in_changes(changes)]
    visible = await visible_slugs(mentioned, principal)
    return [
        {
            "revision": revision,
            "action": by_revision[revision]["action"],
            "actor": by_revision[revision]["actor_name"],
            "at": by_revision[revision]["at"].isoformat(),
            "changes": disclosure.hide_related_changes(
                disclosure.redact_changes(changes, principal, record.publisher), visible
            ),
        }
        for revision, changes in reversed(shown)
    ]


async def _public_changes(
    record: DatasetRecord, rows: list[dict[str, Any]]
) -> list[tuple[int, dict[str, Any]]]:
    """The public revisions with changes that compare public states only."""
    steps = disclosure.statuses_of([(row["revision"], row["changes"]) for row in rows])
    public = disclosure.public_revisions(steps)
    wanted = {
        n
        for item in public
        if item.compare_with is not None
        for n in (item.revision, item.compare_with)
        if n
    }
    snapshots = await _snapshots(record, wanted)
    shown = []
    for item in public:
        if item.compare_with is None:
            shown.append((item.revision, dict(item.changes or {})))
        else:
            before = snapshots.get(item.compare_with, {})
            shown.append((item.revision, changed_fields(before, snapshots[item.revision])))
    return shown


async def _snapshots(record: DatasetRecord, revisions: set[int]) -> dict[int, dict[str, Any]]:
    if not revisions:
        return {}
    rows = (
        await DatasetRevision.select(DatasetRevision.revision, DatasetRevision.snapshot)
        .where(
            (DatasetRevision.dataset == record.id)
            & DatasetRevision.revision.is_in(sorted(revisions))
        )
        .output(load_json=True)
    )
    return {row["revision"]: row["snapshot"] for row in rows}


async def snapshot_at(slug: str, revision: int, principal: Principal | None) -> dict[str, Any]:
    """The document at ``revision``, as ``principal`` may see it: the public only gets public
    revisions (a draft revision answers 404 as a missing one does), never internal fields."""
    record = await get_record(slug, principal)
    row = (
        await DatasetRevision.select(DatasetRevision.snapshot)
        .where((DatasetRevision.dataset == record.id) & (DatasetRevision.revision == revision))
        .output(load_json=True)
        .first()
    )
    snapshot = row["snapshot"] if row else None
    if snapshot is None or not disclosure.may_see(
        principal, str(snapshot.get("status", "")), record.publisher
    ):
        raise NotFound(f"dataset '{slug}' has no revision {revision}")
    visible = await visible_slugs(disclosure.related_in(snapshot), principal)
    return disclosure.hide_related(
        disclosure.redact(snapshot, principal, record.publisher), visible
    )
