"""Atom 1.0 (RFC 4287) documents of recently changed public datasets: a pure renderer.

Each entry is a dataset in its current public state: its ``atom:id`` is the dataset's UUID
(stable across renames), ``updated`` its last change, ``published`` its first publication, a
``rel="alternate"`` link to its page and one to its DCAT-AP description, its publisher as
the author and its themes as categories. Entries come newest first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

ATOM_MEDIA_TYPE = "application/atom+xml"
THEME_SCHEME = "http://publications.europa.eu/resource/authority/data-theme"


@dataclass(frozen=True)
class Category:
    term: str
    label: str


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    summary: str
    page_url: str
    rdf_url: str
    updated: dt.datetime
    published: dt.datetime | None
    author: str
    author_url: str
    categories: Sequence[Category] = field(default_factory=tuple)


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    self_url: str
    page_url: str  # the HTML page this feed follows (rel=alternate)
    author: str
    language: str
    updated: dt.datetime  # when there are no entries: the catalogue's own last change
    entries: Sequence[Entry]
    subtitle: str = ""


def stamp(value: dt.datetime) -> str:
    """RFC 3339 in UTC, as Atom's date constructs need."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _text(name: str, value: str) -> str:
    return f"<{name}>{escape(value)}</{name}>"


def _entry(entry: Entry) -> str:
    parts = [
        "<entry>",
        _text("id", entry.id),
        _text("title", entry.title),
        f'<link rel="alternate" type="text/html" href={quoteattr(entry.page_url)}/>',
        f'<link rel="alternate" type="text/turtle" href={quoteattr(entry.rdf_url)}/>',
        _text("updated", stamp(entry.updated)),
    ]
    if entry.published is not None:
        parts.append(_text("published", stamp(min(entry.published, entry.updated))))
    parts.append(f"<author>{_text('name', entry.author)}{_text('uri', entry.author_url)}</author>")
    parts += [
        f"<category scheme={quoteattr(THEME_SCHEME)} term={quoteattr(c.term)} "
        f"label={quoteattr(c.label)}/>"
        for c in entry.categories
    ]
    if entry.summary:
        parts.append(_text("summary", entry.summary))
    parts.append("</entry>")
    return "".join(parts)


def render(feed: Feed) -> bytes:
    updated = max((entry.updated for entry in feed.entries), default=feed.updated)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(feed.language)}>',
        _text("id", feed.id),
        _text("title", feed.title),
    ]
    if feed.subtitle:
        parts.append(_text("subtitle", feed.subtitle))
    parts += [
        _text("updated", stamp(updated)),
        f'<link rel="self" type="{ATOM_MEDIA_TYPE}" href={quoteattr(feed.self_url)}/>',
        f'<link rel="alternate" type="text/html" href={quoteattr(feed.page_url)}/>',
        f"<author>{_text('name', feed.author)}</author>",
        '<generator uri="https://w3id.org/strategic-data-catalogue">'
        "Strategic Data Catalogue</generator>",
        *(_entry(entry) for entry in feed.entries),
        "</feed>\n",
    ]
    return "".join(parts).encode()
