"""The Atom feeds of changes: the whole catalogue, an organisation, a theme, a saved search.

Only public datasets appear (anonymous reading: ``seek_records`` and the search service
apply the disclosure rules), at most :data:`FEED_SIZE`, newest change first. The catalogue,
organisation and theme feeds read one page of the ``(modified, id)`` index and are cached
per catalogue version; a saved search asks the search service with the page's own filters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote, urlencode

from catalogue.datasets.queries import (
    RECORD_COLUMNS,
    DatasetFilter,
    DatasetRecord,
    records_from_rows,
)
from catalogue.datasets.seek import seek_records
from catalogue.datasets.tables import Dataset
from catalogue.datasets.versions import VersionedCache, current_version
from catalogue.discovery.atom import Category, Entry, Feed, render
from catalogue.settings import get_settings
from catalogue.vocabularies import default_vocabularies

FEED_SIZE = 50
SUMMARY_CHARS = 1000
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_feeds: VersionedCache[bytes] = VersionedCache(max_entries=512, max_bytes=64 * 1024 * 1024)


def _entry(record: DatasetRecord) -> Entry:
    settings = get_settings()
    base, lang = settings.base_url, settings.default_language
    document = record.document
    themes = default_vocabularies()["themes"]
    summary = document.text(document.description, lang, settings.languages)
    if len(summary) > SUMMARY_CHARS:
        summary = summary[: SUMMARY_CHARS - 1] + "…"
    status = document.status.value
    prefix = f"[{document.classification.value}{', ' + status if status != 'published' else ''}] "
    return Entry(
        id=f"urn:uuid:{record.id}",
        title=document.text(document.title, lang, settings.languages) or record.slug,
        summary=prefix + summary,
        page_url=f"{base}/dataset/{quote(record.slug)}",
        rdf_url=f"{base}/dataset/{quote(record.slug)}.ttl",
        updated=record.modified,
        published=record.issued,
        author=record.publisher_name or record.publisher,
        author_url=f"{base}/organisation/{quote(record.publisher)}",
        categories=tuple(
            Category(code, concept.label(lang) if (concept := themes.get(code)) else code)
            for code in document.semantic.themes
        ),
    )


def _feed(records: list[DatasetRecord], path: str, page: str, title: str) -> bytes:
    settings = get_settings()
    base = settings.base_url
    return render(
        Feed(
            id=f"{base}{path}",
            title=title,
            subtitle=f"Datasets of {settings.catalogue_title}, newest change first",
            self_url=f"{base}{path}",
            page_url=f"{base}{page}",
            author=settings.catalogue_title,
            language=settings.default_language,
            updated=EPOCH,
            entries=[_entry(record) for record in records],
        )
    )


async def _recent(filters: DatasetFilter) -> list[DatasetRecord]:
    rows, _ = await seek_records(None, filters, FEED_SIZE, order="modified")
    return records_from_rows(rows)


async def changes_feed(filters: DatasetFilter, path: str, page: str, title: str) -> bytes:
    """A feed of the public datasets matching ``filters``, cached per catalogue version."""
    version = await current_version()
    key = (filters, path, get_settings().base_url)
    cached = _feeds.get(key, version)
    if cached is None:
        cached = _feed(await _recent(filters), path, page, title)
        _feeds.put(key, version, cached)
    return cached


async def search_feed(
    find: Callable[[], Awaitable[list[Any]]], params: list[tuple[str, str]], title: str
) -> bytes:
    """A saved search's feed: the hits of ``find()`` (newest change first) in their current
    state. Cached per catalogue version, read before the search runs: the search index
    catches up with the change log first, so it holds every change up to that version."""
    version = await current_version()
    key = ("search", tuple(params), get_settings().base_url)
    cached = _feeds.get(key, version)
    if cached is not None:
        return cached
    slugs = [hit.slug for hit in await find()]
    rows = (
        (
            await Dataset.select(*RECORD_COLUMNS)
            .where(Dataset.slug.is_in(slugs))
            .output(load_json=True)
        )
        if slugs
        else []
    )
    by_slug = {record.slug: record for record in records_from_rows(rows)}
    records = [by_slug[slug] for slug in slugs if slug in by_slug and by_slug[slug].is_public]
    query = f"?{urlencode(params)}" if params else ""
    body = _feed(records, f"/search.atom{query}", f"/search{query}", title)
    _feeds.put(key, version, body)
    return body
