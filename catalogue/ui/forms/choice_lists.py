"""The choice lists the form's selects and checkboxes offer, made from the vocabularies.

Apart from the view: the organisations' pages offer a vocabulary the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from catalogue.i18n.legal import legal_label
from catalogue.vocabularies import Vocabularies

Choices = Mapping[str, Sequence[tuple[str, str, str]]]  # key -> (code, label, help)


def vocabulary_choices(
    vocabularies: Vocabularies, key: str, lang: str
) -> list[tuple[str, str, str]]:
    """(code, label, definition) in label order; a label shared by two codes names the code."""
    concepts = list(vocabularies[key].concepts.values())
    labels = [legal_label(key, concept.code, lang) or concept.label(lang) for concept in concepts]
    items = []
    for concept, label in zip(concepts, labels, strict=True):
        text = label[:1].upper() + label[1:]
        if labels.count(label) > 1:
            text = f"{text} ({concept.code})"
        definition = concept.definition(lang)
        items.append((concept.code, text, definition))
    return sorted(items, key=lambda item: item[1].casefold())
