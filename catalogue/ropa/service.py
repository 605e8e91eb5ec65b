"""Gather datasets and approved agreements, and decide who may read which controller's record.

Who may read: administrators and auditors every controller's record; stewards and DPOs the
record of each organisation they hold a role in (as controller). Anyone else: 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from catalogue.accounts.principal import Principal
from catalogue.datasets import queries
from catalogue.domain.dataset import DatasetDocument
from catalogue.errors import Forbidden, Unauthorised
from catalogue.organisations.tables import Organisation as OrganisationTable
from catalogue.ropa.records import (
    ApprovedUse,
    ControllerRecord,
    Labeller,
    Organisation,
    build_records,
    text,
)
from catalogue.vocabularies import default_vocabularies


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


async def _personal_datasets(principal: Principal) -> list[DatasetDocument]:
    documents, page = [], 1
    filters = queries.DatasetFilter(classification="personal")
    while True:
        records, total = await queries.list_records(principal, filters, page, queries.MAX_PAGE_SIZE)
        documents += [record.document for record in records]
        if page * queries.MAX_PAGE_SIZE >= total:
            return documents
        page += 1


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


async def _approved_uses(principal: Principal) -> list[ApprovedUse]:
    from catalogue.agreements import records as agreements
    from catalogue.domain.agreement import AgreementStatus

    uses, page = [], 1
    filters = agreements.AgreementFilter(status=AgreementStatus.APPROVED.value)
    while True:
        found, total = await agreements.list_records(
            principal, filters, page, agreements.MAX_PAGE_SIZE
        )
        uses += [_approved_use(record) for record in found]
        if page * agreements.MAX_PAGE_SIZE >= total:
            return uses
        page += 1


async def _organisations() -> dict[str, Organisation]:
    rows = await OrganisationTable.select(
        OrganisationTable.slug,
        OrganisationTable.name,
        OrganisationTable.email,
        OrganisationTable.homepage,
    )
    return {row["slug"]: Organisation(**row) for row in rows}


async def record_of_processing(
    principal: Principal | None, controller: str | None = None, language: str = "en"
) -> list[ControllerRecord]:
    """The Art. 30 record for every controller ``principal`` may read (or only ``controller``)."""
    controllers = readable_controllers(principal, controller)
    assert principal is not None
    return build_records(
        await _personal_datasets(principal),
        await _approved_uses(principal),
        await _organisations(),
        Labeller(default_vocabularies(), language),
        controllers,
    )


def as_document(records: list[ControllerRecord]) -> dict[str, Any]:
    return {
        "title": "Record of processing activities (GDPR Art. 30)",
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "note": "Generated from the catalogue's datasets and approved data-use agreements.",
        "controllers": [record.as_dict() for record in records],
        "total_activities": sum(len(record.activities) for record in records),
    }
