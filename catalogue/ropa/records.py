"""Build the record of processing activities (GDPR Art. 30(1)): plain Python, no SQL or HTTP.

Two kinds of activity, both derived, never typed in by hand:

* ``register``: a controller keeps a dataset of personal data (from the dataset's legal level;
  its recipients are the consumers of its approved agreements);
* ``reuse``: a consumer organisation uses another's personal data under an approved
  data-use agreement (it is the controller of that use, for the agreement's purpose).

Every coded value carries its code and its vocabulary label.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from catalogue.domain.dataset import DatasetDocument, Status, Transfer
from catalogue.domain.languages import text_in
from catalogue.settings import get_settings
from catalogue.vocabularies.loader import Vocabularies

NO_TRANSFERS = "No transfer to a third country or international organisation is recorded."
EXCLUDED_STATUSES = (Status.WITHDRAWN,)
"""A withdrawn dataset is no longer processed; drafts are (their metadata is unfinished)."""


@dataclass(frozen=True)
class ApprovedUse:
    """An approved data-use agreement, as the record of processing needs it."""

    reference: str
    dataset: str
    provider: str
    provider_name: str
    consumer: str
    consumer_name: str
    service: str
    attributes: tuple[str, ...]
    purpose: str
    purpose_text: str
    legal_basis: str | None
    special_category_condition: str | None
    valid_from: dt.date
    valid_until: dt.date
    measures: tuple[str, ...] = ()
    law: str = ""


@dataclass(frozen=True)
class Organisation:
    slug: str
    name: str
    email: str = ""
    homepage: str = ""


@dataclass
class Labeller:
    """Turns codes into ``{"code", "label"}`` pairs in one language."""

    vocabularies: Vocabularies
    language: str = "en"

    def one(self, key: str, code: str | None) -> dict[str, str] | None:
        if not code:
            return None
        concept = self.vocabularies[key].get(code)
        return {"code": code, "label": concept.label(self.language) if concept else code}

    def many(self, key: str, codes: Iterable[str]) -> list[dict[str, str]]:
        return [item for code in dict.fromkeys(codes) if (item := self.one(key, code))]


def text(values: Mapping[str, str], language: str) -> str:
    return text_in(values, language, get_settings().languages)


def contact_of(contact: Any) -> dict[str, Any] | None:
    """A contact point as the record shows it."""
    if contact is None:
        return None
    return {"name": contact.name, "email": contact.email, "url": contact.url}


def _recipient(use: ApprovedUse, labels: Labeller) -> dict[str, Any]:
    return {
        "organisation": use.consumer,
        "name": use.consumer_name,
        "agreement": use.reference,
        "service": use.service,
        "purpose": labels.one("purposes", use.purpose),
        "legal_basis": labels.one("legal-bases", use.legal_basis),
        "attributes": list(use.attributes),
        "valid_from": use.valid_from.isoformat(),
        "valid_until": use.valid_until.isoformat(),
    }


def register_activity(
    document: DatasetDocument, uses: list[ApprovedUse], labels: Labeller
) -> dict[str, Any]:
    """A controller's keeping of one personal dataset (Art. 30(1)(a)-(g))."""
    language = labels.language
    personal = document.legal.personal_data
    retention = personal.retention if personal else None
    return {
        "activity": "register",
        "name": text(document.title, language),
        "dataset": document.slug,
        "dataset_status": document.status.value,
        "controller_contact": contact_of(personal.controller if personal else None),
        "dpo": contact_of(personal.dpo_contact if personal else None),
        "purposes": [
            {**(labels.one("purposes", p.code) or {}), "text": text(p.text, language)}
            for p in (personal.purposes if personal else [])
        ],
        "legal_bases": labels.many("legal-bases", personal.legal_bases if personal else []),
        "special_category_conditions": labels.many(
            "special-category-conditions", personal.special_category_conditions if personal else []
        ),
        "data_subjects": labels.many("data-subjects", personal.data_subjects if personal else []),
        "personal_data_categories": labels.many(
            "personal-data", sorted(document.personal_data_categories_in_use())
        ),
        "recipients": [_recipient(use, labels) for use in uses],
        "source": None,
        "transfers": _transfers(personal.transfers if personal else [], labels),
        "retention": {
            "period": retention.period if retention else None,
            "description": text(retention.description, language) if retention else "",
        },
        "measures": labels.many("measures", personal.measures if personal else []),
    }


def _transfers(transfers: list[Transfer], labels: Labeller) -> dict[str, Any]:
    """Art. 30(1)(e): each third country or international organisation, and the basis."""
    items = []
    for transfer in transfers:
        basis = labels.one("transfer-bases", transfer.basis)
        concept = labels.vocabularies["transfer-bases"].get(transfer.basis or "")
        if basis and concept is not None:
            basis["article"] = str(concept.flags.get("article", ""))
        items.append(
            {
                "country": labels.one("countries", transfer.country),
                "organisation": transfer.organisation,
                "recipient": transfer.recipient,
                "basis": basis,
                "safeguards": text(transfer.safeguards, labels.language),
            }
        )
    return {"third_countries": items, "note": "" if items else NO_TRANSFERS}


def reuse_activity(
    use: ApprovedUse, source: DatasetDocument | None, labels: Labeller
) -> dict[str, Any]:
    """A consumer's use of another controller's data under an approved agreement."""
    personal = source.legal.personal_data if source else None
    by_name = {a.name: a for a in source.technical.attributes} if source else {}
    categories = [
        category
        for name in use.attributes
        if name in by_name and (category := by_name[name].personal_data_category)
    ]
    return {
        "activity": "reuse",
        "name": use.service,
        "dataset": use.dataset,
        "dataset_status": source.status.value if source else None,
        "controller_contact": None,
        "dpo": None,
        "purposes": [{**(labels.one("purposes", use.purpose) or {}), "text": use.purpose_text}],
        "legal_bases": labels.many("legal-bases", [use.legal_basis] if use.legal_basis else []),
        "special_category_conditions": labels.many(
            "special-category-conditions",
            [use.special_category_condition] if use.special_category_condition else [],
        ),
        "data_subjects": labels.many("data-subjects", personal.data_subjects if personal else []),
        "personal_data_categories": labels.many("personal-data", sorted(set(categories))),
        "attributes": list(use.attributes),
        "recipients": [],
        "source": {
            "organisation": use.provider,
            "name": use.provider_name,
            "agreement": use.reference,
            "law": use.law,
            "valid_from": use.valid_from.isoformat(),
            "valid_until": use.valid_until.isoformat(),
        },
        "transfers": {"third_countries": [], "note": NO_TRANSFERS},
        "retention": {
            "period": None,
            "description": f"For the agreed period, {use.valid_from} to {use.valid_until}.",
        },
        "measures": labels.many("measures", use.measures),
    }


@dataclass
class ControllerRecord:
    organisation: Organisation
    dpo: dict[str, Any] | None = None
    activities: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation.slug,
            "name": self.organisation.name,
            "contact": {
                "email": self.organisation.email or None,
                "url": self.organisation.homepage or None,
            },
            "dpo": self.dpo,
            "activities": self.activities,
        }


def build_records(
    documents: Iterable[DatasetDocument],
    uses: Iterable[ApprovedUse],
    organisations: Mapping[str, Organisation],
    labels: Labeller,
    controllers: set[str] | None = None,
    *,
    reuses: Iterable[ApprovedUse] | None = None,
    sources: Mapping[str, DatasetDocument] | None = None,
    recipient_totals: Mapping[str, int] | None = None,
) -> list[ControllerRecord]:
    """One record per controller (all, or only ``controllers``), sorted by name.

    ``uses`` are the approved agreements on ``documents``: their recipients, and (unless
    ``reuses`` is given) their consumers' reuse activities. A page of one controller's record
    gives ``reuses`` apart, with their ``sources`` (datasets off the page), and
    ``recipient_totals`` when a dataset lists only some of its recipients."""
    personal = [
        d
        for d in documents
        if d.classification.value == "personal" and d.status not in EXCLUDED_STATUSES
    ]
    by_slug = {d.slug: d for d in personal}
    uses = [use for use in uses if use.dataset in by_slug]
    known = {**(sources or {}), **by_slug}
    reused = [use for use in (uses if reuses is None else reuses) if use.dataset in known]
    uses_of: dict[str, list[ApprovedUse]] = {}
    for use in uses:  # grouped once: a scan per dataset is quadratic at national scale
        uses_of.setdefault(use.dataset, []).append(use)
    records: dict[str, ControllerRecord] = {}

    def record_for(slug: str) -> ControllerRecord:
        if slug not in records:
            records[slug] = ControllerRecord(organisations.get(slug) or Organisation(slug, slug))
        return records[slug]

    for document in sorted(personal, key=lambda d: d.slug):
        slug = document.controller()
        record = record_for(slug)
        recipients = uses_of.get(document.slug, [])
        activity = register_activity(document, recipients, labels)
        activity["recipients_total"] = (recipient_totals or {}).get(document.slug, len(recipients))
        record.activities.append(activity)
        record.dpo = record.dpo or activity["dpo"]
    for use in sorted(reused, key=lambda u: u.reference):
        record_for(use.consumer).activities.append(
            reuse_activity(use, known.get(use.dataset), labels)
        )
    chosen = [r for slug, r in records.items() if controllers is None or slug in controllers]
    return sorted(chosen, key=lambda r: (r.organisation.name.lower(), r.organisation.slug))
