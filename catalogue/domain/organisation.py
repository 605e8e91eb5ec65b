"""An organisation as stewards and admins describe it."""

from __future__ import annotations

from catalogue.domain.types import Code, Email, LongText, Model, ShortText, Slug, Url


class OrganisationDocument(Model):
    slug: Slug
    name: ShortText
    description: LongText = ""
    type: Code | None = None  # an ADMS publisher-type code, e.g. NationalAuthority
    parent: Slug | None = None
    homepage: Url | None = None
    email: Email | None = None
