"""Interface strings declared as data (the field registry, the dataset form, the legal
labels): the extractor reads them from the declarations themselves, so a field added to the
registry reaches the catalogues without anyone marking it. They are translated where shown
(``translate(spec.label)`` / ``{{ _(row.display.label) }}``)."""

from __future__ import annotations

from collections.abc import Iterator


def declared_strings() -> Iterator[tuple[str, str]]:
    """(text, the module declaring it) for every declared interface string."""
    from catalogue.domain import fields
    from catalogue.ui.forms import controls, schema

    for item in fields.FIELDS:
        yield from ((text, "catalogue/domain/fields.py") for text in (item.label, item.help))
        shown = item.display()
        for text in (shown.label, shown.empty, shown.yes, shown.no):
            yield text or "", "catalogue/domain/fields.py"
    for facet in fields.FACETS:
        yield facet.label, "catalogue/domain/fields.py"

    def specs(spec: controls.Spec) -> Iterator[tuple[str, str]]:
        for text in (spec.label, spec.help, spec.item_label):
            yield text, "catalogue/ui/forms/schema.py"
        for child in spec.children:
            yield from specs(child)

    for section in schema.SECTIONS:
        yield section.legend, "catalogue/ui/forms/schema.py"
        yield section.intro, "catalogue/ui/forms/schema.py"
        for spec in section.specs:
            yield from specs(spec)
    for group in schema.CUSTOM_SPECS.values():
        for spec in group:
            yield from specs(spec)
