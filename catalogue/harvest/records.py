"""What every kind of source yields: one record per foreign dataset, with what was lost.

A source (a DCAT feed, a CKAN site, a spreadsheet) is read into :class:`HarvestRecord`
values. The mapping is tolerant: a value it cannot keep becomes a :class:`RecordIssue`
(field path, original value, reason) and the rest of the record is kept, so one odd value
never loses a dataset. Storing the records is :mod:`catalogue.harvest`'s job runner's work.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph

from catalogue.vocabularies import Vocabularies


@dataclass(frozen=True)
class RecordIssue:
    """One value of the source that was dropped or could not be mapped to our codes."""

    path: str  # the document field it was meant for, e.g. "legal.licence"
    value: str  # the value exactly as the source gave it
    reason: str


@dataclass
class HarvestRecord:
    """One foreign dataset as a document draft, plus its identity at the source."""

    identifier: str  # the dataset IRI, else dct:identifier, else the source URL and name
    document: dict[str, Any]  # JSON-like document data, ready for DatasetDocument validation
    issues: list[RecordIssue] = field(default_factory=list)
    source_issued: str | None = None  # ISO date the source gives for dct:issued
    source_modified: str | None = None  # ISO date the source gives for dct:modified
    landing_page: str | None = None  # where the dataset lives at the source


def records_from_graph(
    graph: Graph,
    vocabularies: Vocabularies,
    *,
    source_url: str,
    base_url: str,
    default_language: str = "en",
) -> Iterator[HarvestRecord]:
    """Every dataset of a DCAT graph as a record (a first, strict version: see the issue #13)."""
    from catalogue.dcat.reverse import dataset_subjects, document_dict

    for subject in dataset_subjects(graph):
        document = document_dict(graph, subject, vocabularies, base_url, default_language)
        yield HarvestRecord(identifier=str(subject), document=document)
