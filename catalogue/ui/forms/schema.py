"""The dataset form, declared once: which control edits which part of the document.

The mapping (``mapping.py``) and the page (``view.py``) both walk this declaration, so a field
added here is read, written and rendered without further code. Field names are the document
paths themselves (``technical.distributions[0].access_url``), which is how a rule's
``Problem.field`` finds its control.

``classes`` says for which classifications a part is asked; ``None`` means for every dataset.
The nested structures' controls are written by hand (``technical_controls.py``,
``legal_controls.py``); :data:`CUSTOM_SPECS` says which field each of them edits.
"""

from __future__ import annotations

from typing import cast

from catalogue.domain.fields import in_section
from catalogue.domain.fieldspec import ALL, ONLY_PERSONAL, Field
from catalogue.domain.fieldspec import Section as SectionName
from catalogue.ui.forms.controls import Kind, Section, Spec, contact_group
from catalogue.ui.forms.legal_controls import LEGISLATION, PERSONAL_DATA_SPECS, RESTRICTION
from catalogue.ui.forms.technical_controls import ATTRIBUTE, DATA_SERVICE, DISTRIBUTION, TEMPORAL

CUSTOM_SPECS: dict[str, tuple[Spec, ...]] = {
    "technical.distributions": (DISTRIBUTION,),
    "technical.data_services": (DATA_SERVICE,),
    "technical.attributes": (ATTRIBUTE,),
    "technical.temporal": (TEMPORAL,),
    "organisational.contact_point": (
        contact_group(
            "organisational.contact_point",
            "Contact point",
            "Where people ask questions about the data. Give an e-mail address or a web form.",
            required=ALL,
        ),
    ),
    "organisational.steward": (
        contact_group(
            "organisational.steward", "Data steward", "Who looks after the quality of the data."
        ),
    ),
    "legal.restriction": (RESTRICTION,),
    "legal.legislation": (LEGISLATION,),
    "legal.personal_data": PERSONAL_DATA_SPECS,
}
"""The controls of the registry's nested fields (``custom={"form": ...}``), written by hand."""


def field_spec(field: Field) -> Spec:
    """The control of a plain field, from its registry declaration."""
    widget = field.form_widget()
    return Spec(
        field.path,
        field.label,
        cast(Kind, widget.kind),
        field.help,
        choices=widget.choices,
        classes=widget.classes,
        required=widget.required,
        secondary_languages_folded=widget.folded,
    )


def section_specs(section: SectionName) -> tuple[Spec, ...]:
    """A part of the form: the registry's fields of that part, in the registry's order."""
    specs: list[Spec] = []
    for field in in_section(section):
        if field.generic("form"):
            specs.append(field_spec(field))
        elif "form" in field.custom:
            specs.extend(CUSTOM_SPECS[field.path])
    return tuple(specs)


BASICS = Section(
    "basics",
    "About the dataset",
    "What the dataset is called and what it holds, in plain words for people who have never "
    "seen it.",
    section_specs("basics"),
    level=False,
)
TECHNICAL = Section(
    "technical",
    "Technical level",
    "How the data is stored and how people get it.",
    section_specs("technical"),
)
SEMANTIC = Section(
    "semantic",
    "Semantic level",
    "What the data is about and which standards it follows.",
    section_specs("semantic"),
)
ORGANISATIONAL = Section(
    "organisational",
    "Organisational level",
    "Who is responsible for the data.",
    section_specs("organisational"),
)
LEGAL = Section(
    "legal",
    "Legal level",
    "Who may use the data, and on what terms.",
    section_specs("legal"),
)
PERSONAL_DATA = Section(
    "personal",
    "Personal data (GDPR)",
    "The facts the GDPR asks a controller to state. They describe the processing, never the "
    "personal data itself.",
    section_specs("personal"),
    classes=ONLY_PERSONAL,
)

SLUG = Spec(
    "slug",
    "Short name for the web address",
    "text",
    "Lower-case letters, digits and single hyphens, e.g. population-register. It cannot be "
    "changed later.",
)

NOTE = Spec(
    "internal_note",
    "Internal note",
    "textarea",
    "For stewards only: never published, never shown to the public.",
)

SECTIONS: tuple[Section, ...] = (BASICS, TECHNICAL, SEMANTIC, ORGANISATIONAL, LEGAL, PERSONAL_DATA)
"""The order of the form: basics, the four levels, and the GDPR facts for personal data."""

TOP_LEVEL_SCALARS = ("slug", "classification", "status")
