"""``catalogue quality check-links`` and ``catalogue quality rescore``."""

from __future__ import annotations

import datetime as dt

import click


@click.group()
def quality() -> None:
    """The metadata quality score (data.europa.eu's MQA)."""


@quality.command("check-links")
@click.option(
    "--all", "everything", is_flag=True, help="Ask every address now, not only those that are due."
)
def check_links(everything: bool) -> None:
    """Ask the access and download addresses that are due, store the answers, rescore the
    datasets whose addresses answered differently, and record today's figures."""
    from catalogue.quality import aggregates, linkcheck
    from catalogue.quality.tables import LinkCheck
    from catalogue.running import run

    async def go() -> linkcheck.Report:
        if everything:
            await LinkCheck.update({LinkCheck.due: dt.datetime.now(dt.UTC)}, force=True)
        report = await linkcheck.check_all()
        await aggregates.record_daily()
        return report

    report = run(go)
    statuses = ", ".join(f"{key}: {count}" for key, count in sorted(report.statuses.items()))
    click.echo(
        f"Checked {report.checked} addresses ({statuses or 'none due'}); "
        f"{report.changed} answered differently, {report.rescored} datasets rescored."
    )


@quality.command("rescore")
def rescore() -> None:
    """Score every dataset again (after changing the indicators or the format lists)."""
    from catalogue.quality import aggregates, store
    from catalogue.running import run

    async def go() -> int:
        count = await store.rescore_all()
        await aggregates.record_daily()
        return count

    click.echo(f"Scored {run(go)} datasets.")


commands = [quality]
