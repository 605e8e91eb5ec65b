"""A source's pages as records, one page ahead of the store.

A DCAT page is fetched here (and checked against the pages stored before) but parsed and
mapped in the harvest worker process (:mod:`catalogue.harvest.worker`), while the job stores
the page before it: the store keeps this process busy, the worker the other core. Never more
than one page waits, so memory stays flat with the number of pages. CKAN pages (JSON, cheap
to map) and files given once are read here.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any, TypeVar

import httpx

from catalogue.harvest import fetch
from catalogue.harvest.records import HarvestRecord
from catalogue.harvest.sources import SourceOptions
from catalogue.harvest.worker import graph_records, read_in_worker
from catalogue.settings import get_settings
from catalogue.vocabularies import default_vocabularies

FILE_CHUNK = 200
T = TypeVar("T")
Pages = AsyncGenerator[tuple[list[HarvestRecord] | None, fetch.Page | None], None]


async def _next(iterator: AsyncIterator[T]) -> T:
    return await anext(iterator)


async def ahead(items: AsyncIterator[T]) -> AsyncGenerator[T, None]:
    """``items``, the next one made while the caller works on this one (one at most)."""
    pending: asyncio.Task[T] = asyncio.ensure_future(_next(items))
    try:
        while True:
            try:
                item = await pending
            except StopAsyncIteration:
                return
            pending = asyncio.ensure_future(_next(items))
            yield item
    finally:
        if not pending.done():
            pending.cancel()
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await pending  # its error, if any, is of a page nobody asked for any more
        if hasattr(items, "aclose"):
            await items.aclose()


async def pages(
    source: dict[str, Any],
    options: SourceOptions,
    data: bytes | None,
    filename: str,
    incremental: bool,
    skip: fetch.SkipCheck,
) -> Pages:
    """The records of each page, and the DCAT page they came from (None for CKAN, files)."""
    settings, vocabularies = get_settings(), default_vocabularies()
    language = options.language or settings.default_language
    url = source.get("url") or filename
    limits = fetch.FetchLimits(
        timeout_seconds=options.timeout_seconds, max_page_bytes=options.max_page_bytes
    )
    if data is not None:
        for chunk in await asyncio.to_thread(_file_records, data, filename, url, language):
            yield chunk, None
        return
    async with httpx.AsyncClient(
        follow_redirects=True,
        timeout=options.timeout_seconds,
        headers={"User-Agent": "strategic-data-catalogue"},
    ) as client:
        if source["kind"] == "ckan":
            from catalogue.harvest.ckan_records import records_from_ckan_package

            since = _ckan_time(source["last_complete"]) if incremental else None
            async for page in fetch.ckan_pages(client, url, limits, since):
                yield (
                    [
                        records_from_ckan_package(
                            p, vocabularies, source_url=url, default_language=language
                        )
                        for p in page.packages or []
                    ],
                    None,
                )
            return

        async def read(body: bytes, fmt: str, where: str) -> tuple[list[Any], str | None]:
            return await read_in_worker(body, fmt, where, limits, settings.base_url, language)

        async with contextlib.aclosing(
            ahead(fetch.dcat_pages(client, url, limits, skip, read))
        ) as walk:
            async for page in walk:
                if page.skipped and not (await skip(page.digest))[0]:
                    # Checked while the page before was stored, which took one of its records.
                    assert page.body is not None
                    fmt = fetch.rdf_format(page.media, page.url, page.body)
                    page.records, page.next_url = await read(page.body, fmt, page.url)
                    page.skipped = False
                records, page.records, page.body = page.records, None, None
                yield (None if page.skipped else records), page


def _file_records(data: bytes, filename: str, url: str, language: str) -> list[list[HarvestRecord]]:
    """A file given once: DCAT in any RDF syntax, or a CSV/XLSX spreadsheet."""
    lower = filename.lower()
    vocabularies = default_vocabularies()
    if lower.endswith((".csv", ".xlsx")):
        from catalogue.harvest.spreadsheet import records_from_spreadsheet

        try:
            records = list(
                records_from_spreadsheet(
                    data, filename, vocabularies, source_url=url, default_language=language
                )
            )
        except (ValueError, KeyError) as error:
            raise fetch.HarvestFailed(f"{filename}: {error}") from None
    else:
        fmt = fetch.rdf_format("", filename, data)
        graph = fetch.parse_rdf(data, fmt, 5_000_000, filename)
        records = graph_records(graph, url, get_settings().base_url, language)
    return [records[i : i + FILE_CHUNK] for i in range(0, len(records), FILE_CHUNK)] or [[]]


def _ckan_time(value: Any) -> str:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
