"""Controlled vocabularies (EU authority tables, DPV) as immutable, code-addressable objects."""

from catalogue.vocabularies.loader import (
    Concept,
    Vocabularies,
    Vocabulary,
    default_vocabularies,
    load_vocabularies,
)

__all__ = ["Concept", "Vocabularies", "Vocabulary", "default_vocabularies", "load_vocabularies"]
