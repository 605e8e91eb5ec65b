"""``catalogue validate [FILE]``: SHACL-check a DCAT-AP file, or the whole current feed."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rdflib import Graph

from catalogue.dcat.validation import Report, UnreadableRdf, parse_rdf, validate_graph
from catalogue.i18n import _
from catalogue.settings import Settings, get_settings

SUFFIX_TYPES = {
    ".ttl": "text/turtle",
    ".rdf": "application/rdf+xml",
    ".xml": "application/rdf+xml",
    ".jsonld": "application/ld+json",
    ".json": "application/ld+json",
    ".nt": "application/n-triples",
}


async def _feed_graph(settings: Settings | None = None) -> tuple[Graph, int]:
    """Every page of the anonymous feed, merged (what a harvester would collect)."""
    settings = settings or get_settings()
    from catalogue.dcat import feed, rendered
    from catalogue.dcat.catalog import CatalogInfo, PageInfo
    from catalogue.dcat.snapshot import refresh

    current = await refresh()
    catalog = CatalogInfo.from_settings(settings, current.publishers, await feed.first_issued())
    merged, query = Graph(), feed.FeedQuery()
    while True:
        page_of = await feed.feed_page(query)
        page = PageInfo(
            1,
            feed.PAGE_SIZE,
            page_of.total,
            "/catalog.ttl",
            after=query.after.token() if query.after else None,
            next_after=page_of.next_after,
        )
        items = await rendered.describe_rows(page_of.rows, settings)
        body = rendered.feed_document(catalog, items, page, await feed.last_change(), "nt")
        merged.parse(data=body.decode("utf-8"), format="nt")
        if page_of.next_after is None:
            return merged, page_of.total
        query = feed.FeedQuery(after=feed.seek.Cursor.parse(page_of.next_after))


def _print(report: Report, verbose: bool) -> None:
    for finding in report.violations + (report.warnings if verbose else []):
        click.echo(
            _("%(upper)s: %(focus_node)s")
            % {"upper": finding.severity.upper(), "focus_node": finding.focus_node}
        )
        click.echo(_("  path: %(path)s") % {"path": finding.path or "-"})
        click.echo(_("  %(message)s") % {"message": finding.message})
    click.echo(
        f"{len(report.violations)} violation(s), {len(report.warnings)} warning(s): "
        + ("conforms" if report.conforms else "does NOT conform")
    )


@click.command("validate")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--warnings/--no-warnings", default=False, help="List warnings too.")
@click.pass_obj
def validate(settings: Settings, file: str | None, warnings: bool) -> None:
    """Check FILE (Turtle, RDF/XML, JSON-LD, N-Triples) against our DCAT-AP 3.0.1 shapes;
    without FILE, check every page of the current feed. Exits 1 on a violation."""
    if file:
        path = Path(file)
        content_type = SUFFIX_TYPES.get(path.suffix.lower(), "text/turtle")
        try:
            graph = parse_rdf(path.read_bytes(), content_type)
        except UnreadableRdf as error:
            click.echo(_("Error: %(error)s") % {"error": error}, err=True)
            sys.exit(2)
        click.echo(_("%(path)s: %(len)s triples") % {"path": path, "len": len(graph)})
    else:
        from catalogue.running import run

        graph, total = run(lambda: _feed_graph(settings))
        click.echo(
            _("feed: %(total)s dataset(s), %(len)s triples") % {"total": total, "len": len(graph)}
        )
    report = validate_graph(graph)
    _print(report, warnings)
    if not report.conforms:
        sys.exit(1)


@click.command("prewrite-feed")
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@click.pass_obj
def prewrite(settings: Settings, quiet: bool) -> None:
    """Write the Turtle of every public dataset the feed's chunk store lacks, so a
    harvester's first read of the whole feed is as fast as its next (the server does this
    itself after start and hourly; see CATALOGUE_FEED_PREWRITE_SECONDS)."""
    from catalogue.dcat.prewrite import PrewriteReport, prewrite_feed
    from catalogue.running import run

    def shown(report: PrewriteReport) -> None:
        if not quiet and report.datasets % 5000 < 100:
            click.echo(
                _("%(datasets)s dataset(s) read, %(written)s written")
                % {"datasets": report.datasets, "written": report.written},
                err=True,
            )

    report = run(lambda: prewrite_feed(settings, shown))
    if not quiet:
        click.echo(
            _("feed: %(datasets)s dataset(s), %(written)s chunk(s) written")
            % {"datasets": report.datasets, "written": report.written}
        )


commands = [validate, prewrite]
