"""What the steps of storing a harvest page share: the job's context, and each record on its
way to the write (apart from :mod:`catalogue.harvest.store`, so that the steps' modules import
them without importing each other)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from catalogue.harvest.records import HarvestRecord
from catalogue.harvest.report import Report
from catalogue.harvest.sources import SourceOptions


@dataclass
class JobContext:
    source_id: int
    source_name: str
    organisation: str  # the source's organisation: the default publisher
    options: SourceOptions
    job_id: int
    dry_run: bool
    report: Report
    actor: str
    organisations: dict[str, bool] = field(default_factory=dict)  # slug -> exists here
    seen: set[str] = field(default_factory=set)  # keys of a dry run (nothing is stored)


@dataclass
class PageItem:
    """A changed or new record of the page: its key, its row (``None`` if new) and document."""

    record: HarvestRecord
    key: str
    hash: str
    row: dict[str, Any] | None
    document: dict[str, Any]
    restored: bool = False
