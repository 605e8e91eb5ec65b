"""The dataset document: one classification and four levels of metadata.

This is the shape stewards write through the API and forms, the shape stored in the database,
and the shape every other part (rules, RDF mapping, search) reads. Controlled fields hold
vocabulary codes (``CC_BY_4_0``, ``ECON``, ``A6-1-e``); ``codes.py`` checks them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from enum import StrEnum

from pydantic import Field, model_validator

from catalogue.domain.languages import text_in
from catalogue.domain.types import (
    BoundingBox,
    Code,
    Duration,
    Email,
    LangText,
    Model,
    NonNegativeInt,
    ShortNote,
    ShortText,
    Slug,
    Url,
)

ID_NAMESPACE = uuid.UUID("6f1c1f5e-4a57-4c1b-9a51-3a1f6d3c2b10")


class Classification(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    PERSONAL = "personal"


class Status(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    DEPRECATED = "deprecated"
    WITHDRAWN = "withdrawn"


# --- technical level ---------------------------------------------------------------------


class Checksum(Model):
    algorithm: Code = "sha256"
    value: ShortText


class Distribution(Model):
    """One way to get the data: a file, a download page, a feed."""

    id: ShortText | None = None
    title: LangText = Field(default_factory=dict)
    description: LangText = Field(default_factory=dict)
    access_url: Url | None = None
    download_url: Url | None = None
    format: Code | None = None
    media_type: ShortText | None = None
    byte_size: NonNegativeInt | None = None
    checksum: Checksum | None = None
    licence: Code | None = None
    status: Code | None = None
    availability: Code | None = None
    rights: LangText = Field(default_factory=dict)
    access_service: ShortText | None = Field(
        default=None,
        description="The id of the data service (of this dataset) that serves "
        "this distribution: dcat:accessService.",
    )
    legislation: list[Url] = Field(
        default_factory=list,
        description="Applicable legislation (ELI) of this distribution; "
        "for a high-value dataset the HVD regulation http://data.europa.eu/eli/reg_impl/2023/138/oj.",
    )


class DataService(Model):
    """An API through which the data can be queried (``dcat:DataService``).

    It is described in the dataset that owns it (its IRI is under that dataset's) and may
    serve other datasets as well (``serves``: their slugs). Every field but the endpoint is
    optional, so documents stored before services had more than an endpoint stay valid.
    """

    id: ShortText | None = None
    title: LangText = Field(default_factory=dict)
    description: LangText = Field(default_factory=dict)
    endpoint_url: Url
    endpoint_description: Url | None = None
    conforms_to: list[Url] = Field(default_factory=list)
    documentation: Url | None = Field(
        default=None, description="A page that documents the service for people: foaf:page."
    )
    licence: Code | None = None
    access_rights: Code | None = Field(
        default=None, description="Who may use the service; empty: as the dataset."
    )
    rights: LangText = Field(default_factory=dict)
    hvd_categories: list[Code] = Field(default_factory=list)
    legislation: list[Url] = Field(
        default_factory=list, description="Applicable legislation (ELI) of the service."
    )
    serves: list[Slug] = Field(
        default_factory=list, description="Other datasets (slugs) this service also serves."
    )


class Attribute(Model):
    """One column or field of the dataset's schema."""

    name: ShortText = Field(min_length=1)
    data_type: Code = "string"
    description: LangText = Field(default_factory=dict)
    personal_data_category: Code | None = None
    is_identifier: bool = False
    identifier_scheme: Code | None = None

    @model_validator(mode="after")
    def _scheme_only_for_identifiers(self) -> Attribute:
        if self.identifier_scheme and not self.is_identifier:
            self.is_identifier = True
        return self


class Temporal(Model):
    start: date | None = None
    end: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Temporal:
        if self.start and self.end and self.end < self.start:
            raise ValueError("the end of the temporal coverage is before its start")
        return self


class Technical(Model):
    distributions: list[Distribution] = Field(default_factory=list)
    data_services: list[DataService] = Field(default_factory=list)
    attributes: list[Attribute] = Field(default_factory=list)
    temporal: Temporal | None = None
    spatial: list[Code] = Field(default_factory=list)
    bounding_box: BoundingBox | None = None  # west,south,east,north (WGS 84 degrees)
    frequency: Code | None = None
    version: ShortText | None = None
    temporal_resolution: Duration | None = None  # dcat:temporalResolution (P1D: daily)


# --- semantic level ----------------------------------------------------------------------


class Semantic(Model):
    themes: list[Code] = Field(default_factory=list)
    keywords: list[ShortText] = Field(default_factory=list)
    conforms_to: list[Url] = Field(default_factory=list)
    languages: list[Code] = Field(default_factory=list)
    hvd_categories: list[Code] = Field(default_factory=list)
    related: list[Slug] = Field(default_factory=list)


# --- organisational level ----------------------------------------------------------------


class Contact(Model):
    name: ShortText | None = None
    email: Email | None = None
    url: Url | None = None


class Organisational(Model):
    publisher: Slug | None = None
    owner_unit: ShortText | None = None
    contact_point: Contact | None = None
    steward: Contact | None = None
    is_base_register: bool = False
    identifier_schemes: list[Code] = Field(default_factory=list)


# --- legal level -------------------------------------------------------------------------


class Legislation(Model):
    iri: Url
    title: LangText = Field(default_factory=dict)


class Restriction(Model):
    """Why a closed dataset is not public, and how to ask for it."""

    reason: LangText = Field(default_factory=dict)
    how_to_request: LangText = Field(default_factory=dict)


class Purpose(Model):
    code: Code
    text: LangText = Field(default_factory=dict)


class Controller(Contact):
    organisation: Slug | None = None


class Retention(Model):
    period: Duration
    description: LangText = Field(default_factory=dict)


class Transfer(Model):
    """Personal data sent outside the EU/EEA (GDPR Chapter V), as Art. 30(1)(e) records it."""

    country: Code | None = None  # the third country (countries vocabulary)
    organisation: ShortText | None = None  # or an international organisation
    recipient: ShortText | None = None
    basis: Code | None = None  # Art. 45 adequacy, Art. 46 safeguards or an Art. 49 derogation
    safeguards: LangText = Field(default_factory=dict)  # documented, as Art. 49(1) 2nd sub. needs


class PersonalData(Model):
    """The GDPR facts about a dataset of personal data (never the personal data itself)."""

    controller: Controller | None = None
    dpo_contact: Contact | None = None
    legal_bases: list[Code] = Field(default_factory=list)
    special_category_conditions: list[Code] = Field(default_factory=list)
    purposes: list[Purpose] = Field(default_factory=list)
    data_subjects: list[Code] = Field(default_factory=list)
    personal_data_categories: list[Code] = Field(default_factory=list)
    retention: Retention | None = None
    measures: list[Code] = Field(default_factory=list)
    transfers: list[Transfer] = Field(default_factory=list)


class Legal(Model):
    licence: Code | None = None
    access_rights: Code | None = None
    legislation: list[Legislation] = Field(default_factory=list)
    rights: LangText = Field(default_factory=dict)
    restriction: Restriction | None = None
    personal_data: PersonalData | None = None
    anonymised: bool = False


# --- the dataset -------------------------------------------------------------------------


class DatasetDocument(Model):
    """Everything a steward states about a dataset; the server adds id, revision and dates."""

    slug: Slug
    classification: Classification
    status: Status = Status.DRAFT
    title: LangText = Field(default_factory=dict)
    description: LangText = Field(default_factory=dict)
    technical: Technical = Field(default_factory=Technical)
    semantic: Semantic = Field(default_factory=Semantic)
    organisational: Organisational = Field(default_factory=Organisational)
    legal: Legal = Field(default_factory=Legal)
    internal_note: ShortNote | None = Field(
        default=None, description="For stewards only: never published, never in RDF."
    )

    def text(self, field: LangText, language: str, languages: Sequence[str] = ()) -> str:
        """A language-tagged text in ``language``, else in the first of ``languages`` (the
        configured ones) that has it, else any (``disclosure.text_in``)."""
        return text_in(field, language, languages)

    def controller(self) -> str:
        """The organisation controlling the personal data (GDPR Art. 4(7)): as stated at the
        legal level, else the publisher."""
        personal = self.legal.personal_data
        if personal and personal.controller and personal.controller.organisation:
            return personal.controller.organisation
        return self.organisational.publisher or ""

    def personal_data_categories_in_use(self) -> set[str]:
        """Categories stated at the legal level and on attributes."""
        declared = (
            set(self.legal.personal_data.personal_data_categories)
            if (self.legal.personal_data)
            else set()
        )
        on_attributes = {
            attribute.personal_data_category
            for attribute in self.technical.attributes
            if attribute.personal_data_category
        }
        return declared | on_attributes

    def with_generated_ids(self) -> DatasetDocument:
        """Give every distribution and data service an id, derived from what it is.

        Derived rather than random, so that loading the same document twice (the seed, an
        import) yields the same ids and is recognised as unchanged.
        """
        lists = {}
        for kind, name in (("distribution", "distributions"), ("service", "data_services")):
            items = getattr(self.technical, name)
            if all(item.id for item in items):
                continue
            lists[name] = [
                item
                if item.id
                else item.model_copy(
                    update={
                        "id": str(
                            uuid.uuid5(
                                ID_NAMESPACE,
                                f"{self.slug}/{kind}/{index}/"
                                f"{getattr(item, 'access_url', None) or getattr(item, 'endpoint_url', '')}",  # noqa: E501
                            )
                        )
                    }
                )
                for index, item in enumerate(items)
            ]
        if not lists:
            return self
        # Shallow copies of the levels that change: documents are never changed in place.
        return self.model_copy(update={"technical": self.technical.model_copy(update=lists)})
