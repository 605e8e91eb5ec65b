"""Datasets from a spreadsheet (CSV or XLSX) in the template the repository ships.

The template is ``catalogue/harvest/template/datasets-template.csv``; README.md ("Spreadsheet
template") describes each column. One row is one dataset; a row whose ``identifier`` repeats
an earlier row's adds a distribution to that dataset (only its ``distribution_*`` cells are
read). Column names are matched without regard to case, spaces or hyphens, a few common
aliases are accepted (``license``, ``tags``, ``format`` ...), and ``title@de``-style columns
give a text in another language. Cells with several values separate them with ``;`` or line
breaks. Codes are mapped as in every harvest (:mod:`catalogue.vocabularies.matching`); a value that
cannot be kept becomes an issue on the record.

Reading is bounded: at most :data:`MAX_ROWS` rows and :data:`MAX_COLUMNS` columns; an XLSX
file is checked before it is opened (entries and uncompressed size) and read read-only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from catalogue.domain.values import (
    first_slug,
    iso_date,
    iso_timestamp,
    slugify,
    unique_slug,
    web_address,
)
from catalogue.harvest.records import HarvestAgent, HarvestRecord, RecordIssue
from catalogue.vocabularies import Vocabularies
from catalogue.vocabularies.matching import concept_code, media_type

MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_XLSX_ENTRIES = 2_000
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024
COLUMNS = (
    "identifier",
    "slug",
    "title",
    "description",
    "publisher",
    "publisher_email",
    "contact_name",
    "contact_email",
    "contact_url",
    "themes",
    "keywords",
    "licence",
    "access_rights",
    "classification",
    "status",
    "frequency",
    "languages",
    "spatial",
    "temporal_start",
    "temporal_end",
    "conforms_to",
    "version",
    "landing_page",
    "issued",
    "modified",
    "distribution_title",
    "distribution_url",
    "distribution_access_url",
    "distribution_format",
    "distribution_media_type",
    "distribution_licence",
    "distribution_byte_size",
)
ALIASES = {
    "id": "identifier",
    "name": "slug",
    "license": "licence",
    "theme": "themes",
    "keyword": "keywords",
    "tags": "keywords",
    "language": "languages",
    "access_right": "access_rights",
    "accrual_periodicity": "frequency",
    "organisation": "publisher",
    "organization": "publisher",
    "url": "distribution_url",
    "download_url": "distribution_url",
    "access_url": "distribution_access_url",
    "format": "distribution_format",
    "media_type": "distribution_media_type",
    "mimetype": "distribution_media_type",
    "notes": "description",
}
STATUSES = {"published", "draft", "deprecated", "withdrawn"}
_SPLIT = re.compile(r"\s*[;\n]\s*")


class SpreadsheetError(ValueError):
    """The file cannot be read as a spreadsheet of datasets (the message says why)."""


def _column(name: str) -> tuple[str, str | None] | None:
    """``("title", "de")`` for ``Title@DE``; None for an empty header."""
    text = str(name or "").strip()
    if not text:
        return None
    base, _, language = text.partition("@")
    key = re.sub(r"[\s-]+", "_", base.strip().lower())
    return ALIASES.get(key, key), (language.strip().lower() or None)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)  # the header names hold none of them
    try:
        yield from csv.reader(io.StringIO(text), delimiter=delimiter)
    except csv.Error as error:
        raise SpreadsheetError(f"the CSV cannot be read: {error}") from None


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_XLSX_ENTRIES or sum(e.file_size for e in entries) > (
                MAX_XLSX_UNCOMPRESSED
            ):
                raise SpreadsheetError("the XLSX file is too large once unpacked")
    except zipfile.BadZipFile:
        raise SpreadsheetError("the file is not an XLSX workbook") from None
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken workbook
        raise SpreadsheetError(f"the XLSX workbook cannot be read: {error}") from None
    try:
        sheet = next(
            (s for s in workbook.worksheets if s.title.lower() == "datasets"),
            workbook.worksheets[0] if workbook.worksheets else None,
        )
        if sheet is None:
            raise SpreadsheetError("the workbook has no sheet")
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            yield [_cell(value) for value in row]
    finally:
        workbook.close()


def _rows(data: bytes, filename: str) -> Iterator[list[str]]:
    if filename.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04":
        return _xlsx_rows(data)
    if filename.lower().endswith(".xls"):
        raise SpreadsheetError("old .xls workbooks are not read: save it as .xlsx or .csv")
    return _csv_rows(data)


def _table(
    rows: Iterable[list[str]],
) -> tuple[list[tuple[str, str | None] | None], list[list[str]]]:
    iterator = iter(rows)
    header: list[tuple[str, str | None] | None] = []
    for row in iterator:
        if any(cell.strip() for cell in row):
            header = [_column(cell) for cell in row[:MAX_COLUMNS]]
            break
    names = {column[0] for column in header if column}
    if not names & {"title", "identifier"}:
        raise SpreadsheetError(
            "the first row must name the columns, with at least 'title' or 'identifier' "
            "(see catalogue/harvest/template/datasets-template.csv)"
        )
    body: list[list[str]] = []
    for row in iterator:
        if any(cell.strip() for cell in row):
            if len(body) >= MAX_ROWS:
                raise SpreadsheetError(f"more than {MAX_ROWS} rows: split the file")
            body.append([str(cell) for cell in row[:MAX_COLUMNS]])
    return header, body


class _Row:
    def __init__(self, header: list[tuple[str, str | None] | None], cells: list[str]) -> None:
        self.values: dict[tuple[str, str | None], str] = {}
        for column, cell in zip(header, cells, strict=False):
            if column and cell.strip():
                self.values.setdefault(column, cell.strip())

    def get(self, name: str) -> str | None:
        return self.values.get((name, None))

    def many(self, name: str) -> list[str]:
        return [part for part in _SPLIT.split(self.get(name) or "") if part]

    def texts(self, name: str, language: str) -> dict[str, str]:
        texts = {lang or language: text for (key, lang), text in self.values.items() if key == name}
        return dict(sorted(texts.items(), key=lambda item: item[0] != language))


def _codes(vocabularies: Vocabularies, key: str, values: list[str]) -> list[str]:
    return [concept_code(vocabularies, key, value) or value for value in values]


def _code(vocabularies: Vocabularies, key: str, value: str | None) -> str | None:
    return (concept_code(vocabularies, key, value) or value) if value else None


def _distribution(row: _Row, vocabularies: Vocabularies, language: str) -> dict[str, Any] | None:
    url, access = row.get("distribution_url"), row.get("distribution_access_url")
    raw_format, media = row.get("distribution_format"), row.get("distribution_media_type")
    if not (url or access or raw_format):
        return None
    file_format = _code(vocabularies, "file-types", raw_format)
    if media and (file_format is None or file_format not in vocabularies["file-types"]):
        file_format = concept_code(vocabularies, "file-types", media) or file_format
    size = row.get("distribution_byte_size")
    values = {
        "title": row.texts("distribution_title", language),
        "download_url": (web_address(url) or url) if url else None,
        "access_url": (web_address(access) or access) if access else None,
        "format": file_format,
        "media_type": (media_type(media) or media) if media else None,
        "licence": _code(vocabularies, "licences", row.get("distribution_licence")),
        "byte_size": int(size) if size and size.isdigit() else size,
    }
    return {key: value for key, value in values.items() if value is not None}


def _document(
    row: _Row, slug: str, vocabularies: Vocabularies, language: str
) -> tuple[dict[str, Any], list[RecordIssue]]:
    access = _code(vocabularies, "access-rights", row.get("access_rights"))
    classification = (row.get("classification") or "").lower()
    if classification not in {"open", "closed", "personal"}:
        classification = "closed" if access in ("RESTRICTED", "NON_PUBLIC") else "open"
    status = (row.get("status") or "published").lower()
    contact_url = row.get("contact_url")
    contact = {
        key: value
        for key, value in (
            ("name", row.get("contact_name")),
            ("email", (row.get("contact_email") or "").removeprefix("mailto:") or None),
            ("url", web_address(contact_url) or contact_url),
        )
        if value
    }
    start, end = row.get("temporal_start"), row.get("temporal_end")
    temporal = {
        key: iso_date(value, end=key == "end") or value
        for key, value in (("start", start), ("end", end))
        if value
    }
    frequency = _code(vocabularies, "frequencies", row.get("frequency"))
    raw: dict[str, Any] = {
        "slug": slug,
        "classification": classification,
        "status": status if status in STATUSES else "published",
        "title": row.texts("title", language),
        "description": row.texts("description", language),
        "technical": {
            "distributions": [d] if (d := _distribution(row, vocabularies, language)) else [],
            "spatial": _codes(vocabularies, "countries", row.many("spatial")),
            **({"temporal": temporal} if temporal else {}),
            **({"frequency": frequency} if frequency else {}),
            **({"version": v} if (v := row.get("version")) else {}),
        },
        "semantic": {
            "themes": _codes(vocabularies, "themes", row.many("themes")),
            "keywords": list(dict.fromkeys(row.many("keywords"))),
            "languages": _codes(vocabularies, "languages", row.many("languages")),
            "conforms_to": [web_address(u) or u for u in row.many("conforms_to")],
        },
        "organisational": {"contact_point": contact} if contact else {},
        "legal": {
            key: value
            for key, value in (
                ("licence", _code(vocabularies, "licences", row.get("licence"))),
                ("access_rights", access),
            )
            if value
        },
    }
    issues = (
        []
        if status in STATUSES
        else [RecordIssue("status", status, f"not one of {', '.join(sorted(STATUSES))}")]
    )
    return raw, issues


def records_from_spreadsheet(
    data: bytes,
    filename: str,
    vocabularies: Vocabularies,
    *,
    source_url: str,
    default_language: str = "en",
    taken_slugs: set[str] | None = None,
    identifier_schemes: Collection[str] | None = None,
) -> Iterator[HarvestRecord]:
    """Every dataset of a CSV or XLSX file in the template (raises SpreadsheetError when the
    file cannot be read as one: not a spreadsheet, no header row, too many rows)."""
    from catalogue.harvest.tolerant import clean_document

    header, body = _table(_rows(data, filename))
    unknown = sorted(
        {f"{c[0]}@{c[1]}" if c[1] else c[0] for c in header if c and c[0] not in COLUMNS}
    )
    taken = taken_slugs if taken_slugs is not None else set()
    groups: dict[str, list[_Row]] = {}
    for number, cells in enumerate(body, start=2):
        row = _Row(header, cells)
        key = row.get("identifier") or f"(row {number})"
        groups.setdefault(key, []).append(row)
    for index, rows in enumerate(groups.values()):
        first = rows[0]
        title = first.texts("title", default_language)
        slug = unique_slug(
            first_slug(
                [
                    first.get("slug"),
                    title.get(default_language),
                    next(iter(title.values()), None),
                    first.get("identifier"),
                ]
            ),
            taken,
        )
        raw, issues = _document(first, slug, vocabularies, default_language)
        if index == 0:
            issues[:0] = [
                RecordIssue("(spreadsheet)", name, "not a column of the template; ignored")
                for name in unknown
            ]
        for extra in rows[1:]:
            if distribution := _distribution(extra, vocabularies, default_language):
                raw["technical"]["distributions"].append(distribution)
        publisher = first.get("publisher")
        agent = None
        if publisher:
            iri = web_address(publisher)
            agent_slug = (
                slugify(publisher) if not iri else slugify(publisher.rstrip("/").rsplit("/", 1)[-1])
            )
            agent = HarvestAgent(
                name=None if iri else publisher,
                iri=iri,
                email=first.get("publisher_email"),
                slug=agent_slug if len(agent_slug) >= 2 else None,
            )
            if agent.slug:
                raw["organisational"]["publisher"] = agent.slug
        document, dropped = clean_document(raw, vocabularies, identifier_schemes)
        identifier = first.get("identifier")
        yield HarvestRecord(
            identifier=(
                address
                if identifier and (address := web_address(identifier))
                else f"{source_url}#{identifier or slug}"
            ),
            document=document,
            issues=issues + dropped,
            source_issued=iso_timestamp(first.get("issued")),
            source_modified=iso_timestamp(first.get("modified")),
            landing_page=web_address(first.get("landing_page")),
            publisher=agent,
            name=identifier or slug,
            classification_stated=first.get("classification") is not None,
        )
