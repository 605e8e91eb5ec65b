"""The shapes of ``/api/v1/vocabularies`` and ``/api/v1/identifier-schemes`` bodies."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from catalogue.web.openapi import Body, Shape


class VocabularySummary(Body):
    key: str
    iri: str | None
    label: str
    concepts: int = Field(ge=0, description="How many concepts it has")
    href: str


class VocabularyList(Body):
    items: list[VocabularySummary]


class ConceptOut(Body):
    code: str = Field(description="What a dataset document holds, e.g. CC_BY_4_0")
    iri: str | None
    label: str
    definition: str | None
    broader: list[str]
    flags: dict[str, Any] | None = None


class Vocabulary(Body):
    key: str
    iri: str | None
    label: str
    total: int = Field(ge=0)
    concepts: list[ConceptOut]


class IdentifierSchemeOut(Body):
    code: str
    label: str
    description: str
    iri: str = Field(description="Empty when the scheme has no IRI")


class IdentifierSchemeList(Body):
    items: list[IdentifierSchemeOut]
    total: int


VocabularyListOut = Annotated[dict[str, Any], Shape(VocabularyList)]
VocabularyOut = Annotated[dict[str, Any], Shape(Vocabulary)]
IdentifierSchemeOutBody = Annotated[dict[str, Any], Shape(IdentifierSchemeOut)]
IdentifierSchemeListOut = Annotated[dict[str, Any], Shape(IdentifierSchemeList)]
