"""Pages stored whole before: a page with the same bytes (and the same mapping code) is
recognised by its key, and its records are counted unchanged without being read again."""

from __future__ import annotations

from catalogue.db import write_transaction
from catalogue.harvest.store_context import JobContext
from catalogue.harvest.tables import HarvestPage
from catalogue.harvest.tables import HarvestRecord as RecordRow


async def known_page(context: JobContext, key: str) -> tuple[bool, str | None]:
    """Whether the page ``key`` was stored whole before (and its records are all still
    here, none archived), and the next page's URL it had."""
    page = (
        await HarvestPage.select(HarvestPage.records, HarvestPage.next_url)
        .where((HarvestPage.source == context.source_id) & (HarvestPage.hash == key))
        .first()
    )
    if page is None or not page["records"]:
        return False, None
    # By the page alone (its index: a page's few rows), the rest counted here: with the
    # source in the query SQLite may walk the source's index instead, every record of it.
    rows = await RecordRow.select(RecordRow.source, RecordRow.archived, RecordRow.last_job).where(
        RecordRow.page == key
    )
    present = sum(
        1
        for row in rows
        if row["source"] == context.source_id
        and not row["archived"]
        and row["last_job"] != context.job_id
    )
    return present == page["records"], page["next_url"] or None


async def skipped_page(context: JobContext, key: str) -> None:
    """A page with the bytes of one stored whole before: each record is unchanged."""
    found = await RecordRow.select(
        RecordRow.id, RecordRow.source, RecordRow.key, RecordRow.slug
    ).where(RecordRow.page == key)  # by the page's index, as in known_page
    rows = [row for row in found if row["source"] == context.source_id]
    if context.dry_run:
        context.seen.update(row["key"] for row in rows)
    else:
        async with write_transaction():
            if rows:
                await RecordRow.update(
                    {RecordRow.last_job: context.job_id, RecordRow.missing_since: None}
                ).where(RecordRow.id.is_in([row["id"] for row in rows]))
            await HarvestPage.update({HarvestPage.last_job: context.job_id}).where(
                (HarvestPage.source == context.source_id) & (HarvestPage.hash == key)
            )
    for row in rows:
        context.report.records += 1
        context.report.count("unchanged", row["slug"])


async def remember_page(
    context: JobContext, key: str, next_url: str | None, keys: list[str]
) -> None:
    """Remember a page stored whole: its records carry its key, its row the next URL."""
    source = RecordRow.source == context.source_id
    await RecordRow.update({RecordRow.page: key}).where(source & RecordRow.key.is_in(keys))
    await HarvestPage.delete().where(
        (HarvestPage.source == context.source_id) & (HarvestPage.hash == key)
    )
    await HarvestPage.insert(
        HarvestPage(
            source=context.source_id,
            hash=key,
            next_url=next_url or "",
            records=len(keys),
            last_job=context.job_id,
        )
    )
