"""``catalogue audit verify`` and ``catalogue audit log``."""

from __future__ import annotations

import sys

import click

from catalogue.cli import run


@click.group()
def audit() -> None:
    """Inspect the append-only audit log."""


@audit.command("verify")
def verify() -> None:
    """Recompute the hash chain; exit code 1 and the first broken link when it is broken."""
    import catalogue.audit.listener  # noqa: F401
    from catalogue.audit.service import verify_chain

    status = run(verify_chain)
    if status.ok:
        click.echo(f"The audit log is intact: {status.events} events, head {status.head_hash}.")
        return
    assert status.broken is not None
    click.echo(
        f"The audit log is BROKEN at event {status.broken.sequence}: {status.broken.reason} "
        f"({status.events} events checked).",
        err=True,
    )
    sys.exit(1)


@audit.command("log")
@click.option("--kind", default=None, help="Only this kind of object (dataset, user, ...).")
@click.option("--object", "object_id", default=None, help="An object's id or slug.")
@click.option("--actor", default=None, help="A user id or e-mail address.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 200))
def log(kind: str | None, object_id: str | None, actor: str | None, limit: int) -> None:
    """The latest events, newest first."""
    from catalogue.audit.service import AuditFilter, list_events

    filters = AuditFilter(object_kind=kind, object_id=object_id, actor=actor)
    items, total = run(lambda: list_events(filters, 1, limit))
    for item in items:
        changed = ", ".join(sorted(item["diff"])[:5])
        more = "" if len(item["diff"]) <= 5 else f" (+{len(item['diff']) - 5})"
        thing = item["object"]
        click.echo(
            f"#{item['sequence']} {item['at']} {item['actor']['name']} [{item['actor']['role']}] "
            f"{item['action']} {thing['kind']} {thing['label'] or thing['id']}"
            + (f": {changed}{more}" if changed else "")
        )
    click.echo(f"{len(items)} of {total} event(s).", err=True)


commands = [audit]
