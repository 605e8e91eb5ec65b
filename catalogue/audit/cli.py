"""``catalogue audit verify``, ``catalogue audit checkpoint`` and ``catalogue audit log``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from catalogue.i18n import _
from catalogue.running import run
from catalogue.settings import Settings


@click.group()
def audit() -> None:
    """Inspect the append-only audit log."""


@audit.command("verify")
@click.option(
    "--checkpoint",
    "files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A checkpoint file kept elsewhere (repeatable) [the server's checkpoint file].",
)
def verify(files: tuple[Path, ...]) -> None:
    """Recompute the keyed hash chain and check it against signed checkpoints.

    Exit code 1 and the first broken link when the log was altered, cut short or emptied.
    """
    import catalogue.audit.listener  # noqa: F401
    from catalogue.audit.checkpoints import default_checkpoints, read_checkpoints
    from catalogue.audit.service import verify_chain

    try:
        if files:
            checkpoints = [point for path in files for point in read_checkpoints(path)]
        else:
            checkpoints = default_checkpoints()
    except (OSError, ValueError) as error:
        click.echo(
            _("Error: the checkpoint file cannot be read: %(error)s") % {"error": error}, err=True
        )
        sys.exit(2)
    status = run(lambda: verify_chain(checkpoints))
    against = f", checked against {status.checkpoints} checkpoint(s)"
    legacy = f", {status.unkeyed_events} of them unkeyed" if status.unkeyed_events else ""
    if status.ok:
        click.echo(
            _(
                "The audit log is intact: %(events)s events%(legacy)s, head "
                "%(head_hash)s%(against)s."
            )
            % {
                "events": status.events,
                "legacy": legacy,
                "head_hash": status.head_hash,
                "against": against,
            }
        )
        if not status.checkpoints:
            click.echo(
                _(
                    "Warning: no checkpoint to check against, so events removed from the end (or "
                    "all of them) cannot be noticed; keep 'catalogue audit checkpoint' files "
                    "elsewhere."
                ),
                err=True,
            )
        return
    assert status.broken is not None
    click.echo(
        _(
            "The audit log is BROKEN at event %(sequence)s: %(reason)s (%(events)s events "
            "checked%(against)s)."
        )
        % {
            "sequence": status.broken.sequence,
            "reason": status.broken.reason,
            "events": status.events,
            "against": against,
        },
        err=True,
    )
    sys.exit(1)


@audit.command("checkpoint")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Add it to this file [the server's checkpoint file, CATALOGUE_AUDIT_CHECKPOINT_FILE].",
)
@click.pass_obj
def checkpoint(settings: Settings, out: Path | None) -> None:
    """Sign the log's current head and count; print it and add it to a file kept elsewhere."""
    from catalogue.audit.checkpoints import append_checkpoint, current_checkpoint

    point = run(current_checkpoint)
    path = out or settings.audit_checkpoint_file
    append_checkpoint(path, point)
    click.echo(json.dumps(point.as_dict()))
    click.echo(
        _("Checkpoint of %(events)s events kept in %(path)s.")
        % {"events": point.events, "path": path},
        err=True,
    )


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
    click.echo(_("%(len)s of %(total)s event(s).") % {"len": len(items), "total": total}, err=True)


commands = [audit]
