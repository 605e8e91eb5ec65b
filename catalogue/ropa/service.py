"""Gather datasets and approved agreements, and decide who may read which controller's record.

Who may read: administrators and auditors every controller's record; stewards and DPOs the
record of each organisation they hold a role in (as controller). Anyone else: 403.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from catalogue.accounts.principal import Principal
from catalogue.datasets.queries import organisation_names
from catalogue.domain.dataset import DatasetDocument
from catalogue.errors import Forbidden, Unauthorised
from catalogue.organisations.tables import Organisation as OrganisationTable
from catalogue.ropa import queries
from catalogue.ropa.records import (
    ApprovedUse,
    ControllerRecord,
    Labeller,
    Organisation,
    build_records,
    contact_of,
    text,
)
from catalogue.vocabularies import default_vocabularies

PAGE_SIZE = 50
"""Activities a page of one controller's record shows."""
DOWNLOAD_PAGE = 200
"""Activities a download builds at a time (a few tens of milliseconds of work)."""


def readable_controllers(principal: Principal | None, requested: str | None) -> set[str] | None:
    """The controllers ``principal`` may read (``None``: all), narrowed to ``requested``."""
    if principal is None:
        raise Unauthorised("sign in or send 'Authorization: Bearer <token>' to read the RoPA")
    if principal.reads_everything:
        return {requested} if requested else None
    own = set(principal.organisations)
    if not own:
        raise Forbidden(
            "the record of processing is for administrators, auditors, and the stewards and "
            "DPOs of each controller"
        )
    if requested:
        if requested not in own:
            raise Forbidden(f"you hold no role in '{requested}', so you may not read its record")
        return {requested}
    return own


def _approved_use(record: Any) -> ApprovedUse:
    document = record.document
    law = document.law
    return ApprovedUse(
        reference=record.reference,
        dataset=document.dataset,
        provider=record.provider,
        provider_name=record.provider_name,
        consumer=document.consumer,
        consumer_name=record.consumer_name,
        service=text(document.service.title, ""),
        attributes=tuple(document.attributes),
        purpose=document.purpose.code,
        purpose_text=text(document.purpose.text, ""),
        legal_basis=document.legal_basis,
        special_category_condition=document.special_category_condition,
        valid_from=document.valid_from,
        valid_until=document.valid_until,
        measures=tuple(document.measures),
        law=(text(law.title, "") or str(law.iri)) if law else "",
    )


async def _organisation(slug: str) -> Organisation:
    row = (
        await OrganisationTable.select(
            OrganisationTable.slug,
            OrganisationTable.name,
            OrganisationTable.email,
            OrganisationTable.homepage,
        )
        .where(OrganisationTable.slug == slug)
        .first()
    )
    return Organisation(**row) if row else Organisation(slug, slug)


@dataclass
class RecordPage:
    """A page of one controller's activities: its own registers (by slug), then the data it
    reuses (by agreement reference); ``after`` of the next page, when there is one."""

    record: ControllerRecord
    next_after: str | None = None


async def controller_record(
    principal: Principal | None,
    controller: str,
    language: str = "en",
    after: str | None = None,
    limit: int | None = PAGE_SIZE,
) -> RecordPage:
    """One controller's record, a page at a time (``limit`` None: whole, for a download).

    ``after`` is ``dataset:<slug>`` or ``reuse:<reference>``, the last activity shown."""
    readable_controllers(principal, controller)
    phase, _, last = (after or "").partition(":")
    documents: list[DatasetDocument] = []
    if phase != "reuse":
        wanted = None if limit is None else limit + 1
        documents = await queries.datasets_of(principal, controller, last or None, wanted)
    room = None if limit is None else limit + 1 - len(documents)
    reuses = []
    if room is None or room > 0:
        since = last if phase == "reuse" else None
        reuses = await queries.reuses_by(principal, controller, since or None, room)
    cursors = [f"dataset:{d.slug}" for d in documents] + [f"reuse:{r.reference}" for r in reuses]
    next_after = None
    if limit is not None and len(cursors) > limit:
        next_after = cursors[limit - 1]
        documents = documents[:limit]
        reuses = reuses[: max(0, limit - len(documents))]
    recipients, totals = await queries.recipients_of(principal, [d.slug for d in documents])
    sources = await queries.sources(r.document.dataset for r in reuses)
    organisation = await _organisation(controller)
    records = build_records(
        documents,
        [_approved_use(r) for r in recipients],
        {controller: organisation},
        Labeller(default_vocabularies(), language),
        {controller},
        reuses=[_approved_use(r) for r in reuses],
        sources=sources,
        recipient_totals=totals,
    )
    record = records[0] if records else ControllerRecord(organisation)
    if after or record.dpo is None:  # page 1 found it already if its first register has one
        stated = await queries.first_with_dpo(principal, controller)
        personal = stated.legal.personal_data if stated else None
        record.dpo = contact_of(personal.dpo_contact) if personal else None
    return RecordPage(record, next_after)


async def controllers(principal: Principal | None) -> list[dict[str, Any]]:
    """The controllers the reader may see, with how many activities each records."""
    readable = readable_controllers(principal, None)
    counts = await queries.activity_counts(principal)
    slugs = sorted(slug for slug in counts if readable is None or slug in readable)
    names = await organisation_names()
    items = [
        {"organisation": slug, "name": names.get(slug, slug), "activities": counts[slug]}
        for slug in slugs
    ]
    return sorted(items, key=lambda item: (item["name"].lower(), item["organisation"]))


async def readable_for_download(principal: Principal | None, controller: str | None) -> list[str]:
    """The controllers a download holds (401/403 here, before any byte is sent)."""
    readable_controllers(principal, controller)
    if controller is not None:
        return [controller]
    return [item["organisation"] for item in await controllers(principal)]


async def record_pages(
    principal: Principal | None, chosen: list[str], language: str = "en"
) -> AsyncIterator[ControllerRecord]:
    """Each chosen controller's record, a page of activities at a time, so a download of a
    national record streams and never holds a worker for the whole of it."""
    for slug in chosen:
        after: str | None = None
        while True:
            page = await controller_record(principal, slug, language, after, DOWNLOAD_PAGE)
            if page.record.activities:
                yield page.record
            if page.next_after is None:
                break
            after = page.next_after


def as_document(records: list[ControllerRecord]) -> dict[str, Any]:
    return {
        "title": "Record of processing activities (GDPR Art. 30)",
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "note": "Generated from the catalogue's datasets and approved data-use agreements.",
        "controllers": [record.as_dict() for record in records],
        "total_activities": sum(len(record.activities) for record in records),
    }
