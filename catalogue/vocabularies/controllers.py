"""``/api/v1/vocabularies``: the concepts forms and API clients may use."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get
from litestar.openapi.spec import Example
from litestar.params import PathParameter

from catalogue.datasets.tables import IdentifierScheme
from catalogue.domain.codes import IDENTIFIER_SCHEMES
from catalogue.errors import NotFound
from catalogue.vocabularies import Concept, default_vocabularies
from catalogue.vocabularies.schemas import VocabularyListOut, VocabularyOut
from catalogue.web.openapi import errors
from catalogue.web.params import (
    FromQuery,
    QueryParameter,
)


def concept_json(concept: Concept, language: str) -> dict[str, Any]:
    return {
        "code": concept.code,
        "iri": concept.iri,
        "label": concept.label(language),
        "definition": concept.definitions.get(language) or concept.definitions.get("en"),
        "broader": list(concept.broader),
        **({"flags": dict(concept.flags)} if concept.flags else {}),
    }


class VocabularyController(Controller):
    path = "/api/v1/vocabularies"
    tags = ["vocabularies"]

    @get("/", summary="Every vocabulary the catalogue uses", responses=errors())
    async def list_vocabularies(self, lang: FromQuery[str] = "en") -> VocabularyListOut:
        vocabularies = default_vocabularies()
        items = [
            {
                "key": key,
                "iri": vocabularies[key].iri,
                "label": vocabularies[key].labels.get(lang)
                or vocabularies[key].labels.get("en", key),
                "concepts": len(vocabularies[key].concepts),
                "href": f"/api/v1/vocabularies/{key}",
            }
            for key in sorted(vocabularies.keys())
        ]
        schemes = await IdentifierScheme.count()
        items.append(
            {
                "key": IDENTIFIER_SCHEMES,
                "iri": None,
                "label": "Identifier schemes",
                "concepts": schemes,
                "href": f"/api/v1/vocabularies/{IDENTIFIER_SCHEMES}",
            }
        )
        return {"items": items}

    @get(
        "/{name:str}",
        summary="The concepts of one vocabulary, optionally filtered by text",
        responses=errors(404),
    )
    async def read_vocabulary(
        self,
        name: Annotated[
            str,
            PathParameter(
                description="A key from /api/v1/vocabularies", examples=[Example(value="themes")]
            ),
        ],
        lang: FromQuery[str] = "en",
        q: Annotated[str | None, QueryParameter(max_length=200)] = None,
    ) -> VocabularyOut:
        needle = (q or "").strip().lower()
        if name == IDENTIFIER_SCHEMES:
            rows = await IdentifierScheme.select().order_by(IdentifierScheme.label)
            concepts = [
                {
                    "code": row["code"],
                    "iri": row["iri"] or None,
                    "label": row["label"],
                    "definition": row["description"] or None,
                    "broader": [],
                }
                for row in rows
            ]
            label, iri = "Identifier schemes", None
        else:
            vocabularies = default_vocabularies()
            if name not in vocabularies:
                raise NotFound(f"no vocabulary '{name}'; see /api/v1/vocabularies")
            vocabulary = vocabularies[name]
            concepts = [concept_json(c, lang) for c in vocabulary.concepts.values()]
            label = vocabulary.labels.get(lang) or vocabulary.labels.get("en", name)
            iri = vocabulary.iri
        if needle:
            concepts = [
                c for c in concepts if needle in c["label"].lower() or needle in c["code"].lower()
            ]
        return {
            "key": name,
            "iri": iri,
            "label": label,
            "total": len(concepts),
            "concepts": concepts,
        }
