"""``catalogue agreements expire``: mark agreements whose period has ended as expired.

Reads and lists expire agreements as they go, so this is for a nightly job (cron or a
systemd timer) that keeps the register and the audit trail current even when nobody looks.
"""

from __future__ import annotations

import datetime as dt

import click

from catalogue.i18n import _
from catalogue.running import run


@click.group()
def agreements() -> None:
    """The register of data use."""


@agreements.command()
@click.option(
    "--today",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Expire as if it were this day (YYYY-MM-DD); default: today (UTC).",
)
def expire(on: dt.datetime | None) -> None:
    """Mark every agreement whose last day has passed as expired (safe to run repeatedly)."""
    from catalogue.agreements.service import expire_due

    expired = run(lambda: expire_due(on.date() if on else None))
    click.echo(
        _("%(len)s agreement(s) expired%(expired)s%(join)s")
        % {
            "len": len(expired),
            "expired": ": " if expired else "",
            "join": ", ".join(expired),
        }
    )


commands = [agreements]
