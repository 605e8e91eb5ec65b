"""The record of processing as CSV: one row per activity, labels and codes in separate columns."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterable, AsyncIterator, Iterable
from typing import Any

from catalogue.ropa.records import ControllerRecord

SEPARATOR = "; "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CODED_COLUMNS = (
    ("purposes", "purpose_codes"),
    ("legal_bases", "legal_basis_codes"),
    ("special_category_conditions", "special_category_condition_codes"),
    ("data_subjects", "data_subject_codes"),
    ("personal_data_categories", "personal_data_category_codes"),
    ("measures", "measure_codes"),
)
"""Activity field -> column of its codes (the field's own column holds the labels)."""
COLUMNS = (
    "controller",
    "controller_name",
    "controller_email",
    "dpo",
    "activity",
    "name",
    "dataset",
    "dataset_status",
    *(column for pair in CODED_COLUMNS for column in pair),
    "recipients",
    "recipient_codes",
    "source",
    "agreements",
    "transfers",
    "retention_period",
    "retention",
)


def _safe(value: str) -> str:
    """Spreadsheets run cells that start like a formula; a leading quote keeps them text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _contact(contact: dict[str, Any] | None) -> str:
    if not contact:
        return ""
    return " ".join(
        part for part in (contact.get("name"), contact.get("email"), contact.get("url")) if part
    )


def _transfer(item: dict[str, Any]) -> str:
    """``Switzerland, to Common Institution (Art 45(3) adequacy decision)``."""
    where = item["country"]["label"] if item["country"] else item["organisation"] or ""
    if item["country"] and item["organisation"]:
        where += f", {item['organisation']}"
    recipient = f", to {item['recipient']}" if item["recipient"] else ""
    basis = f" ({item['basis']['label']})" if item["basis"] else ""
    safeguards = f"; safeguards: {item['safeguards']}" if item["safeguards"] else ""
    return where + recipient + basis + safeguards


def activity_row(record: ControllerRecord, activity: dict[str, Any]) -> dict[str, str]:
    row = {
        "controller": record.organisation.slug,
        "controller_name": record.organisation.name,
        "controller_email": record.organisation.email,
        "dpo": _contact(activity["dpo"] or record.dpo),
        "activity": activity["activity"],
        "name": activity["name"],
        "dataset": activity["dataset"],
        "dataset_status": activity["dataset_status"] or "",
    }
    for name, code_column in CODED_COLUMNS:
        items = activity[name]
        row[name] = SEPARATOR.join(
            item["label"] + (f" ({item['text']})" if item.get("text") else "") for item in items
        )
        row[code_column] = SEPARATOR.join(item["code"] for item in items)
    recipients = activity["recipients"]
    row["recipients"] = SEPARATOR.join(r["name"] or r["organisation"] for r in recipients)
    row["recipient_codes"] = SEPARATOR.join(r["organisation"] for r in recipients)
    source = activity["source"]
    row["source"] = f"{source['name']} ({source['organisation']})" if source else ""
    agreements = [r["agreement"] for r in recipients] + ([source["agreement"]] if source else [])
    row["agreements"] = SEPARATOR.join(agreements)
    transfers = activity["transfers"]
    row["transfers"] = (
        SEPARATOR.join(_transfer(item) for item in transfers["third_countries"])
        or transfers["note"]
    )
    row["retention_period"] = activity["retention"]["period"] or ""
    row["retention"] = activity["retention"]["description"]
    return {key: _safe(str(value)) for key, value in row.items()}


def to_csv(records: Iterable[ControllerRecord], header: bool = True) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    if header:
        writer.writeheader()
    for record in records:
        for activity in record.activities:
            writer.writerow(activity_row(record, activity))
    return buffer.getvalue()


async def csv_stream(pages: AsyncIterable[ControllerRecord]) -> AsyncIterator[bytes]:
    """The CSV of :func:`to_csv`, a page of activities at a time."""
    yield to_csv([]).encode()
    async for record in pages:
        yield to_csv([record], header=False).encode()


async def json_stream(
    pages: AsyncIterable[ControllerRecord], head: dict[str, Any]
) -> AsyncIterator[bytes]:
    """``head`` + ``controllers`` + ``total_activities`` (the JSON document of the record),
    written a page of activities at a time; a controller's pages join into one entry."""
    opening = json.dumps(head)[:-1]
    yield f'{opening}{", " if head else ""}"controllers": ['.encode()
    current: str | None = None
    total = 0
    async for record in pages:
        entry = record.as_dict()
        activities = entry.pop("activities")
        parts = []
        if entry["organisation"] != current:
            if current is not None:
                parts.append("]}, ")
            parts.append(json.dumps(entry)[:-1] + ', "activities": [')
            current = entry["organisation"]
        elif activities:
            parts.append(", ")
        parts.append(", ".join(json.dumps(activity) for activity in activities))
        total += len(activities)
        yield "".join(parts).encode()
    yield f'{"]}" if current is not None else ""}], "total_activities": {total}}}'.encode()
