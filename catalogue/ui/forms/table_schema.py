"""The attributes of a dataset read from what a steward already has: the header row of a CSV
file, or a Frictionless Table Schema (JSON: names, types, descriptions). Pure.

The result is form rows (``technical.attributes[i].name`` ...) merged into what the page
holds: a column already listed keeps what was typed, a new one is added at the end.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from catalogue.i18n import N_
from catalogue.ui.forms.mapping import FormData

ATTRIBUTES = "technical.attributes"
MAX_COLUMNS = 500
FRICTIONLESS_TYPES = {
    "string": "string",
    "integer": "integer",
    "number": "decimal",
    "boolean": "boolean",
    "date": "date",
    "datetime": "datetime",
    "time": "time",
    "year": "integer",
    "geopoint": "geometry",
    "geojson": "geometry",
    "object": "json",
    "array": "json",
}
"""Table Schema field types -> the catalogue's data types; any other type becomes text."""


class SchemaUnreadable(ValueError):
    """What was given is neither a CSV header row nor a Table Schema (a message for people)."""


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str = "string"
    description: str = ""


def _from_json(text: str) -> list[Column]:
    try:
        schema = json.loads(text)
    except json.JSONDecodeError:
        message = N_("This is not valid JSON, so it cannot be read as a Table Schema.")
        raise SchemaUnreadable(message) from None
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list):
        raise SchemaUnreadable(
            N_("A Table Schema lists its columns under “fields”; none was found.")
        )
    columns = []
    for item in fields:
        if not isinstance(item, dict) or not str(item.get("name") or "").strip():
            continue
        description = item.get("description") or item.get("title") or ""
        columns.append(
            Column(
                str(item["name"]).strip(),
                FRICTIONLESS_TYPES.get(str(item.get("type") or "string"), "string"),
                str(description).strip(),
            )
        )
    return columns


def _from_csv(text: str) -> list[Column]:
    header = next((line for line in text.splitlines() if line.strip()), "")
    try:
        dialect: Any = csv.Sniffer().sniff(header, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    names = next(csv.reader([header], dialect), [])
    return [Column(name.strip().lstrip("\ufeff")) for name in names if name.strip()]


def read_columns(text: str) -> list[Column]:
    """The columns a CSV header row or a Table Schema names, each once, in order."""
    text = text.strip().lstrip("\ufeff")
    if not text:
        raise SchemaUnreadable(N_("Paste the first line of the CSV file, or choose the file."))
    columns = _from_json(text) if text.startswith("{") else _from_csv(text)
    unique = list({column.name: column for column in reversed(columns)}.values())[::-1]
    if not unique:
        raise SchemaUnreadable(N_("No column names were found."))
    if len(unique) > MAX_COLUMNS:
        raise SchemaUnreadable(N_("There are more than 500 columns; describe the main ones."))
    return unique


def _rows(form: Mapping[str, list[str]]) -> list[int]:
    prefix = f"{ATTRIBUTES}["
    return sorted({int(key[len(prefix) :].split("]")[0]) for key in form if key.startswith(prefix)})


def add_columns(form: FormData, columns: list[Column], language: str) -> tuple[FormData, int]:
    """The page's form with the new columns added as attribute rows; how many were added."""
    result = {key: list(values) for key, values in form.items()}
    indices = _rows(result)
    known = {
        (result.get(f"{ATTRIBUTES}[{index}].name") or [""])[0].strip(): index for index in indices
    }
    next_index = max(indices, default=-1) + 1
    added = 0
    for column in columns:
        if column.name in known:
            index = known[column.name]
            description = f"{ATTRIBUTES}[{index}].description.{language}"
            if column.description and not (result.get(description) or [""])[0].strip():
                result[description] = [column.description]
            continue
        prefix = f"{ATTRIBUTES}[{next_index}]"
        result[f"{prefix}.name"] = [column.name]
        result[f"{prefix}.data_type"] = [column.data_type]
        if column.description:
            result[f"{prefix}.description.{language}"] = [column.description]
        known[column.name] = next_index
        next_index += 1
        added += 1
    return result, added
