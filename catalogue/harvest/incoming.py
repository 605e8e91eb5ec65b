"""A harvested record's document as we mean to store it: published, under a publisher that
exists here (created if the source may), with a slug that is free."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from catalogue.datasets.tables import Dataset
from catalogue.harvest.records import HarvestRecord
from catalogue.harvest.store_context import JobContext, PageItem
from catalogue.organisations.tables import Organisation

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:90].rstrip("-") or "dataset"


async def their_document(context: JobContext, record: HarvestRecord) -> dict[str, Any]:
    """The record's document as we mean to store it: published, with a publisher here.

    Only the top level and ``organisational`` are changed here, so only they are copied
    (the rest is shared with the record, which nothing changes: a deep copy cost as much
    as a rule check)."""
    document = dict(record.document)
    document["status"] = "published"
    if context.options.classification and not document.get("classification"):
        document["classification"] = context.options.classification
    document.setdefault("classification", "open")
    organisational = document["organisational"] = dict(document.get("organisational") or {})
    publisher = organisational.get("publisher")
    if publisher and not await _organisation_exists(context, publisher):
        if context.options.create_publishers and SLUG.match(publisher):
            if context.dry_run:  # it would be created: checked under the source's one
                publisher = None
            else:
                await _create_organisation(publisher)
                context.organisations[publisher] = True
        else:
            context.report.issue(
                record.identifier,
                "organisational.publisher",
                publisher,
                f"no organisation '{publisher}' here: published under the "
                f"source's organisation '{context.organisation}'",
            )
            publisher = None
    organisational["publisher"] = publisher or context.organisation
    slug = document.get("slug")
    if not isinstance(slug, str) or not SLUG.match(slug) or len(slug) > 100:
        title = document.get("title") or {}
        text = next(iter(title.values()), "") if isinstance(title, dict) else ""
        document["slug"] = slugify(text or record.identifier.rsplit("/", 1)[-1])
    return document


async def _organisation_exists(context: JobContext, slug: str) -> bool:
    if slug not in context.organisations:
        context.organisations[slug] = await Organisation.exists().where(Organisation.slug == slug)
    return context.organisations[slug]


async def _create_organisation(slug: str) -> None:
    from catalogue.domain.organisation import OrganisationDocument
    from catalogue.organisations.service import save_organisation

    name = slug.replace("-", " ").capitalize()
    await save_organisation(OrganisationDocument(slug=slug, name=name), None, create=True)


async def free_slugs(items: list[PageItem]) -> None:
    """New datasets get their slug, or the first free variant (``slug-2``, ...)."""
    new = [item for item in items if item.row is None]
    if not new:
        return
    wanted = {item.document["slug"] for item in new}
    taken = {
        row["slug"]
        for row in await Dataset.select(Dataset.slug).where(Dataset.slug.is_in(list(wanted)))
    }
    claimed: set[str] = set()
    for item in new:
        slug = item.document["slug"]
        if slug in taken or slug in claimed:
            stem = slug[:94].rstrip("-")
            variants = {
                row["slug"]
                for row in await Dataset.select(Dataset.slug).where(Dataset.slug.like(f"{stem}-%"))
            }
            slug = next(
                f"{stem}-{n}"
                for n in range(2, len(variants) + len(claimed) + 3)
                if f"{stem}-{n}" not in variants | claimed
            )
            item.document["slug"] = slug
        claimed.add(slug)
