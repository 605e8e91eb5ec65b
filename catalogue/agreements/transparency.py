"""What citizens see: who reuses data about them, why, on what basis, until when.

Plain language built from approved agreements of published personal datasets: labels, not
codes; the law with a link; how to exercise rights and complain. Nothing about any individual
(no steward or reviewer names) is ever included. The HTML pages and their JSON twins share
these dictionaries.
"""

from __future__ import annotations

from typing import Any

from catalogue.agreements import records, service
from catalogue.datasets.queries import DatasetFilter, find_record
from catalogue.datasets.seek import TitleRow, public_titles_of
from catalogue.domain.agreement import AgreementStatus
from catalogue.domain.dataset import Classification, DatasetDocument
from catalogue.domain.languages import text_in
from catalogue.errors import NotFound
from catalogue.i18n import N_, translate
from catalogue.i18n.legal import legal_label
from catalogue.onceonly import queries as onceonly_queries
from catalogue.onceonly.facts import service_slug
from catalogue.settings import get_settings
from catalogue.vocabularies import Vocabularies, default_vocabularies

SUPERVISORY_AUTHORITY = "information-commissioner"
"""The organisation people complain to (the national data protection authority)."""

RIGHTS = [
    (
        "access",
        N_(
            "Ask the authority holding the data which data about you it holds and passes on, "
            "and get a copy (Article 15 GDPR)."
        ),
    ),
    ("rectification", N_("Have wrong data about you corrected (Article 16 GDPR).")),
    (
        "restriction",
        N_(
            "Ask that the use of your data be restricted while a dispute is settled "
            "(Article 18 GDPR)."
        ),
    ),
    (
        "objection",
        N_(
            "Object to a use based on a public task, on grounds relating to your situation "
            "(Article 21 GDPR)."
        ),
    ),
]
COMPLAINT = N_(
    "If you think data about you is used unlawfully, you can complain to the data protection "
    "authority, free of charge."
)


def _text(values: dict[str, str], lang: str) -> str:
    return text_in(values, lang, get_settings().languages)


def _label(vocabularies: Vocabularies, key: str, code: str | None, lang: str) -> str:
    plain = legal_label(key, code, lang) if code else None
    if plain is not None:
        return plain
    concept = vocabularies[key].get(code) if code else None
    return concept.label(lang) if concept else (code or "")


def information_label(document: DatasetDocument, name: str, lang: str) -> str:
    """A piece of information in words: the attribute's description, else its category."""
    for attribute in document.technical.attributes:
        if attribute.name == name:
            described = _text(attribute.description, lang).strip().rstrip(".")
            if described:
                return described
            if attribute.personal_data_category:
                return _label(
                    default_vocabularies(), "personal-data", attribute.personal_data_category, lang
                )
    return name.replace("_", " ").capitalize()


TRANSFER_REASONS = {
    "45": N_(
        "The European Commission has decided that this country protects personal data adequately."
    ),
    "46": N_("Safeguards required by the GDPR protect the data there."),
    "49": N_("An exception the GDPR allows for specific situations."),
}


def transfers(document: DatasetDocument, lang: str) -> list[dict[str, Any]]:
    """Where outside the EU and EEA the data goes, to whom, and why that is allowed."""
    vocabularies = default_vocabularies()
    personal = document.legal.personal_data
    result = []
    for transfer in personal.transfers if personal else []:
        places = [
            _label(vocabularies, "countries", transfer.country, lang),
            transfer.organisation or "",
        ]
        basis = vocabularies["transfer-bases"].get(transfer.basis or "")
        article = str(basis.flags.get("article", "")) if basis else ""
        result.append(
            {
                "to": ", ".join(place for place in places if place),
                "recipient": transfer.recipient,
                "why": translate(TRANSFER_REASONS.get(article[:2], ""), lang),
                "article": translate(N_("Article %(article)s GDPR"), lang) % {"article": article}
                if article
                else None,
                "safeguards": _text(transfer.safeguards, lang) or None,
            }
        )
    return result


def _use(record: records.AgreementRecord, dataset: DatasetDocument, lang: str) -> dict[str, Any]:
    vocabularies = default_vocabularies()
    document = record.document
    basis = document.legal_basis
    return {
        "reference": record.reference,
        "service": _text(document.service.title, lang),
        "service_url": document.service.url,
        "service_page": f"/service/{service_slug(document.service.title, document.service.url)}",
        "authority": record.consumer_name,
        "authority_url": f"/organisation/{document.consumer}",
        "information": [information_label(dataset, name, lang) for name in document.attributes],
        "why": _text(document.purpose.text, lang),
        "purpose": _label(vocabularies, "purposes", document.purpose.code, lang),
        "legal_basis": _label(vocabularies, "legal-bases", basis, lang) if basis else None,
        "special_category_condition": _label(
            vocabularies, "special-category-conditions", document.special_category_condition, lang
        )
        or None,
        "law": (
            {"title": _text(document.law.title, lang) or document.law.iri, "url": document.law.iri}
            if document.law
            else None
        ),
        "from": document.valid_from.isoformat(),
        "until": document.valid_until.isoformat(),
    }


async def _authority() -> dict[str, Any] | None:
    return await records.organisation_contact(SUPERVISORY_AUTHORITY)


def _controller(dataset: DatasetDocument, publisher_name: str) -> dict[str, Any]:
    personal = dataset.legal.personal_data
    controller = personal.controller if personal else None
    dpo = personal.dpo_contact if personal else None
    return {
        "name": (controller.name if controller and controller.name else publisher_name),
        "email": controller.email if controller else None,
        "url": controller.url if controller else None,
        "dpo_email": dpo.email if dpo else None,
        "dpo_url": dpo.url if dpo else None,
    }


USES_PER_PAGE = 25
"""Approved uses per page of a dataset's transparency page."""


async def _approved(slug: str, page: int) -> tuple[list[records.AgreementRecord], int]:
    """One page of the dataset's approved agreements (by authority on the page) and the total."""
    items, total = await records.list_records(
        None,
        records.AgreementFilter(dataset=slug, status=AgreementStatus.APPROVED.value),
        page,
        USES_PER_PAGE,
    )
    return sorted(items, key=lambda record: (record.consumer_name, record.reference)), total


def _pages(path: str, page: int, total: int) -> dict[str, Any]:
    last = max(1, -(-total // USES_PER_PAGE))
    return {
        "page": page,
        "pages": last,
        "total": total,
        "previous": f"{path}?page={page - 1}" if page > 1 else None,
        "next": f"{path}?page={page + 1}" if page < last else None,
    }


async def rights_and_complaints(controller: dict[str, Any] | None = None) -> dict[str, Any]:
    authority = await _authority()
    return {
        "rights": [{"right": key, "text": translate(text)} for key, text in RIGHTS],
        "contact": controller,
        "complaint": {
            "text": translate(COMPLAINT),
            "authority": authority["name"] if authority else None,
            "url": (authority["homepage"] or f"/organisation/{authority['slug']}")
            if authority
            else None,
            "email": (authority["email"] or None) if authority else None,
        },
    }


async def dataset_view(slug: str, lang: str, page: int = 1) -> dict[str, Any]:
    """Who uses one personal dataset; 404 unless it is published and personal."""
    await service.expire_due()
    record = await find_record(slug)
    if (
        record is None
        or not record.is_public
        or record.document.classification != Classification.PERSONAL
    ):
        raise NotFound(f"no published personal dataset '{slug}'")
    document = record.document
    controller = _controller(document, record.publisher_name)
    approved, total = await _approved(slug, page)
    return {
        "dataset": {
            "slug": slug,
            "title": _text(document.title, lang) or slug,
            "description": _text(document.description, lang),
            "holder": record.publisher_name,
            "url": f"/dataset/{slug}",
        },
        "uses": [_use(item, document, lang) for item in approved],
        "paging": _pages(f"/transparency/{slug}", page, total),
        "transfers": transfers(document, lang),
        **await rights_and_complaints(controller),
        "links": {"html": f"/transparency/{slug}", "json": f"/transparency/{slug}.json"},
    }


OVERVIEW_PAGE = 20
"""Datasets per page of the overview (seek-paged by slug)."""
USES_SHOWN = 10
"""Services listed per dataset on the overview; its own page lists every one."""
PERSONAL = DatasetFilter(classification=Classification.PERSONAL.value)


async def _reused_personal(after: str | None) -> list[TitleRow]:
    """Up to a page and one of the reused datasets after ``after`` that are personal (the
    index of uses does not know classifications: other kinds are skipped a batch at a time)."""
    found: list[TitleRow] = []
    cursor = after
    while len(found) <= OVERVIEW_PAGE:
        slugs = await onceonly_queries.reused_datasets(cursor, OVERVIEW_PAGE + 1)
        if not slugs:
            break
        found += await public_titles_of(slugs, PERSONAL)
        cursor = slugs[-1]
        if len(slugs) <= OVERVIEW_PAGE:
            break
    return found


async def overview(lang: str, after: str | None = None) -> dict[str, Any]:
    """The published personal datasets other services reuse, with those services, a page at a
    time: read from the once-only map's index of approved uses, so a page costs the same with
    ten agreements or ten thousand."""
    await service.expire_due()
    datasets = await _reused_personal(after)
    more = len(datasets) > OVERVIEW_PAGE
    datasets = datasets[:OVERVIEW_PAGE]
    slugs = [record.slug for record in datasets]
    uses = {
        slug: await onceonly_queries.first_uses_of_dataset(slug, USES_SHOWN + 1) for slug in slugs
    }
    names = await onceonly_queries.organisation_names(
        use["consumer"] for found in uses.values() for use in found
    )
    entries = []
    for record in datasets:
        found = uses.get(record.slug, [])
        entries.append(
            {
                "slug": record.slug,
                "title": _text(record.title, lang) or record.slug,
                "holder": record.publisher_name,
                "uses": [
                    {
                        "service": _text(use["service_title"], lang),
                        "authority": names.get(use["consumer"], use["consumer"]),
                        "until": use["valid_until"].isoformat(),
                    }
                    for use in found[:USES_SHOWN]
                ],
                "more_uses": len(found) > USES_SHOWN,
                "url": f"/transparency/{record.slug}",
            }
        )
    following = f"/transparency?after={slugs[-1]}" if more else None
    return {
        "datasets": entries,
        "next": following,
        "first_page": after is None,
        "all_personal": "/search?classification=personal",
        **await rights_and_complaints(),
        "links": {
            "html": "/transparency",
            "json": "/transparency.json",
            "next": following.replace("/transparency?", "/transparency.json?")
            if following
            else None,
        },
    }
