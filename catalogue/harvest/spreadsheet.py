"""A spreadsheet of datasets as harvest records (TEMPORARY minimal version: harvest-map's
replaces it). Reads CSV with the columns slug, title, description, theme, licence,
contact_email, access_url, format."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from catalogue.harvest.records import HarvestRecord
from catalogue.vocabularies import Vocabularies


def records_from_spreadsheet(
    data: bytes, filename: str, vocabularies: Vocabularies, *, source_url: str,
    default_language: str = "en",
) -> Iterator[HarvestRecord]:
    if not filename.lower().endswith(".csv"):
        raise ValueError("this version reads CSV only")
    for row in csv.DictReader(io.StringIO(data.decode("utf-8-sig"))):
        slug = (row.get("slug") or "").strip()
        document = {
            "slug": slug, "classification": "open", "status": "draft",
            "title": {default_language: row.get("title") or ""},
            "description": {default_language: row.get("description") or ""},
            "technical": {"distributions": [
                {"access_url": row["access_url"], "format": row.get("format") or None}
            ] if row.get("access_url") else []},
            "semantic": {"themes": [t for t in (row.get("theme") or "").split() if t]},
            "organisational": {"contact_point": {"email": row["contact_email"]}
                               if row.get("contact_email") else None},
            "legal": {"licence": row.get("licence") or None, "access_rights": "PUBLIC"},
        }
        yield HarvestRecord(identifier=row.get("identifier") or f"{source_url}#{slug}",
                            document=document)
