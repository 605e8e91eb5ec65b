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
    from catalogue.search.index_consistency import consistency_problem
    from catalogue.search.index_drain import drain
    from catalogue.search.index_rebuild import rebuild as rebuild_index

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
                problem = await consistency_problem()
                if problem is None:
                    await drain()
                    return 0, None
                return await rebuild_index(progress), problem
            return await rebuild_index(progress), "asked for"

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
