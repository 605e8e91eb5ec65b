"""``catalogue reindex``: rebuild the search index from the database."""

from __future__ import annotations

import contextlib
from typing import Any

import click

from catalogue.i18n import _
from catalogue.settings import Settings


@click.command()
@click.option("--check", is_flag=True, help="Only rebuild when the index is out of step.")
@click.pass_obj
def reindex(settings: Settings, check: bool) -> None:
    """Rebuild the search index from the database (with a progress bar)."""
    from catalogue.running import run
    from catalogue.search import index

    with contextlib.ExitStack() as stack:
        bars: list[Any] = []

        def progress(done: int, total: int) -> None:
            """The bar opens at the first report, so it shows the real total from the start."""
            if not bars:
                bars.append(
                    stack.enter_context(
                        click.progressbar(
                            length=max(total, 1), label="Indexing datasets", show_pos=True
                        )
                    )
                )
            bars[0].update(done - bars[0].pos)

        async def rebuild() -> tuple[int, str | None]:
            if check:
                problem = await index.consistency_problem()
                if problem is None:
                    await index.drain()
                    return 0, None
                return await index.rebuild(progress), problem
            return await index.rebuild(progress), "asked for"

        count, reason = run(rebuild)
    if reason is None:
        click.echo(
            _("The search index in %(folder)s is up to date.") % {"folder": settings.index_dir}
        )
    else:
        click.echo(
            _("Indexed %(count)s datasets into %(folder)s (%(reason)s).")
            % {"count": count, "folder": settings.index_dir, "reason": reason}
        )


commands = [reindex]
