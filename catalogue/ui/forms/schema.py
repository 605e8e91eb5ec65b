"""The dataset form, declared once: which control edits which part of the document.

The mapping (``mapping.py``) and the page (``view.py``) both walk this declaration, so a field
added here is read, written and rendered without further code. Field names are the document
paths themselves (``technical.distributions[0].access_url``), which is how a rule's
``Problem.field`` finds its control.

``classes`` says for which classifications a part is asked; ``None`` means for every dataset.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

from catalogue.domain.fields import in_section
from catalogue.domain.fieldspec import (
    ALL,
    ONLY_CLOSED,
    ONLY_OPEN,
    ONLY_PERSONAL,
    Field,
)
from catalogue.domain.fieldspec import Section as SectionName

Kind = Literal[
    "text",
    "textarea",
    "url",
    "email",
    "date",
    "number",
    "duration",
    "select",
    "checkboxes",
    "checkbox",
    "lines",
    "langtext",
    "group",
    "repeat",
]


@dataclass(frozen=True)
class Spec:
    """One control, or a group (``children``) of them; ``repeat`` groups form rows."""

    path: str
    label: str
    kind: Kind
    help: str = ""
    choices: str | None = None  # a vocabulary key, or a key of the extra choice lists
    classes: frozenset[str] | None = None
    required: frozenset[str] = frozenset()  # classifications whose rules need it to publish
    default: str | None = None  # a preset value that alone does not make a row worth keeping
    children: tuple[Spec, ...] = ()
    item_label: str = ""  # "Distribution" -> "Distribution 1"
    min_rows: int = 0
    secondary_languages_folded: bool = True

    @property
    def is_container(self) -> bool:
        return self.kind in {"group", "repeat"}


@dataclass(frozen=True)
class Section:
    id: str
    legend: str
    intro: str
    specs: tuple[Spec, ...]
    classes: frozenset[str] | None = None
    level: bool = True  # one of the four levels (else: the basics)


def _contact(path: str, label: str, help: str, required: frozenset[str] = frozenset()) -> Spec:
    return Spec(
        path,
        label,
        "group",
        help,
        required=required,
        children=(
            Spec("name", "Name", "text", "A team or role rather than a person, if you can."),
            Spec("email", "E-mail address", "email"),
            Spec("url", "Web page or contact form", "url", "The full address, starting https://"),
        ),
    )


SERVICE_CHOICES = "data-services"
"""The choice list of a distribution's service: this form's own data services."""

DISTRIBUTION = Spec(
    "technical.distributions",
    "Distributions",
    "repeat",
    "Each way to get the data: a file to download, a page to request it, a feed. Open data "
    "needs at least one with an access address.",
    required=ONLY_OPEN,
    item_label="Distribution",
    children=(
        Spec("title", "Title", "langtext", "For example 'CSV file, all years'."),
        Spec(
            "access_url",
            "Access address",
            "url",
            "Where people get the data or learn how to get it (starting https://).",
            required=ONLY_OPEN,
        ),
        Spec(
            "download_url",
            "Direct download address",
            "url",
            "Only if the address downloads the file itself.",
        ),
        Spec("format", "File format", "select", choices="file-types"),
        Spec("media_type", "Media type", "text", "For example text/csv. Leave empty if unsure."),
        Spec("byte_size", "Size in bytes", "number"),
        Spec(
            "licence",
            "Licence of this distribution",
            "select",
            "Only if it differs from the dataset's licence.",
            choices="licences",
        ),
        Spec("status", "Status", "select", choices="distribution-status"),
        Spec(
            "availability",
            "Planned availability",
            "select",
            "How long you intend to keep it available.",
            choices="planned-availability",
        ),
        Spec(
            "checksum",
            "Checksum",
            "group",
            "Lets people check the file arrived intact.",
            children=(
                Spec("algorithm", "Algorithm", "text", default="sha256"),
                Spec("value", "Value", "text"),
            ),
        ),
        Spec("description", "Description", "langtext"),
        Spec(
            "rights",
            "Rights statement",
            "langtext",
            "Anything users must know about reusing this distribution.",
        ),
        Spec(
            "access_service",
            "Served by the data service",
            "select",
            "The API (described under Data services) through which this distribution can "
            "be queried.",
            choices=SERVICE_CHOICES,
        ),
        Spec(
            "legislation",
            "Laws that apply to this distribution",
            "lines",
            "ELI addresses, one per line. A high-value dataset names "
            "http://data.europa.eu/eli/reg_impl/2023/138/oj.",
        ),
    ),
)

DATA_SERVICE = Spec(
    "technical.data_services",
    "Data services (APIs)",
    "repeat",
    "An API through which the data can be queried. A high-value dataset needs one, with its "
    "category, a documentation page, a licence and the HVD regulation.",
    item_label="Data service",
    children=(
        Spec("title", "Title", "langtext"),
        Spec(
            "id",
            "Short name",
            "text",
            "For example 'api' or 'wfs': distributions refer to the service by it. Left "
            "empty, one is made up when a distribution names the service.",
        ),
        Spec("endpoint_url", "Endpoint address", "url", "The base address of the API."),
        Spec(
            "endpoint_description",
            "Description of the endpoint",
            "url",
            "For example the address of an OpenAPI document.",
        ),
        Spec("documentation", "Documentation page", "url", "Where people read how to use the API."),
        Spec("conforms_to", "Standards it follows", "lines", "One address per line."),
        Spec("licence", "Licence of the service", "select", choices="licences"),
        Spec(
            "access_rights",
            "Who may use the service",
            "select",
            "Only if it differs from the dataset's access.",
            choices="access-rights",
        ),
        Spec("rights", "Terms of use", "langtext"),
        Spec(
            "hvd_categories",
            "High-value dataset categories",
            "checkboxes",
            choices="hvd-categories",
        ),
        Spec(
            "legislation", "Laws that apply to the service", "lines", "ELI addresses, one per line."
        ),
        Spec(
            "serves",
            "Other datasets it serves",
            "lines",
            "The short names (as in their web address) of other datasets the service also "
            "gives access to; one per line.",
        ),
        Spec("description", "Description", "langtext"),
    ),
)

ATTRIBUTE = Spec(
    "technical.attributes",
    "Attributes (columns)",
    "repeat",
    "The fields each record has. For personal data, say which category of personal data "
    "each attribute holds.",
    item_label="Attribute",
    children=(
        Spec("name", "Name", "text", "As it appears in the data, e.g. birth_date."),
        Spec("data_type", "Data type", "select", choices="data-types", default="string"),
        Spec("description", "Description", "langtext"),
        Spec(
            "personal_data_category",
            "Personal data it holds",
            "select",
            "Leave empty if the attribute is not about a person.",
            choices="personal-data",
        ),
        Spec(
            "is_identifier",
            "This attribute identifies something (a person, a business, an address ...)",
            "checkbox",
        ),
        Spec(
            "identifier_scheme",
            "Identifier scheme",
            "select",
            "Which common identifier it holds, so the dataset can be joined with others.",
            choices="identifier-schemes",
        ),
    ),
)

TEMPORAL = Spec(
    "technical.temporal",
    "Time period covered",
    "group",
    children=(
        Spec("start", "From", "date"),
        Spec("end", "To", "date", "Leave empty if the data is still being added."),
    ),
)

RESTRICTION = Spec(
    "legal.restriction",
    "Why access is restricted",
    "group",
    classes=ONLY_CLOSED,
    required=ONLY_CLOSED,
    children=(
        Spec(
            "reason",
            "Reason for the restriction",
            "langtext",
            "For example security, confidentiality or commercial interest.",
            required=ONLY_CLOSED,
        ),
        Spec(
            "how_to_request",
            "How to request access",
            "langtext",
            "Whom to ask, and on what terms access can be given.",
            required=ONLY_CLOSED,
        ),
    ),
)

LEGISLATION = Spec(
    "legal.legislation",
    "Laws that apply",
    "repeat",
    item_label="Law",
    children=(
        Spec(
            "iri",
            "Address of the law",
            "url",
            "For example its page in the legal information system.",
        ),
        Spec("title", "Title", "langtext"),
    ),
)

PERSONAL_DATA_SPECS = (
    Spec(
        "legal.personal_data.controller",
        "Controller",
        "group",
        "The organisation that decides why and how the personal data is processed.",
        required=ONLY_PERSONAL,
        children=(
            Spec("name", "Name", "text"),
            Spec(
                "organisation",
                "Organisation in this catalogue",
                "select",
                choices="all-organisations",
            ),
            Spec("email", "E-mail address", "email"),
            Spec("url", "Web page", "url"),
        ),
    ),
    _contact(
        "legal.personal_data.dpo_contact",
        "Data protection officer",
        "How people reach the data protection officer.",
    ),
    Spec(
        "legal.personal_data.legal_bases",
        "Legal basis (Article 6 GDPR)",
        "checkboxes",
        "Public bodies usually rely on a legal obligation (c) or a task in the public "
        "interest (e), not on legitimate interest (f).",
        choices="legal-bases",
        required=ONLY_PERSONAL,
    ),
    Spec(
        "legal.personal_data.purposes",
        "Purposes",
        "repeat",
        "Why the data was collected.",
        item_label="Purpose",
        min_rows=1,
        required=ONLY_PERSONAL,
        children=(
            Spec("code", "Purpose", "select", choices="purposes"),
            Spec("text", "In your own words", "langtext"),
        ),
    ),
    Spec(
        "legal.personal_data.data_subjects",
        "Whom the data is about",
        "checkboxes",
        choices="data-subjects",
        required=ONLY_PERSONAL,
    ),
    Spec(
        "legal.personal_data.personal_data_categories",
        "Categories of personal data",
        "checkboxes",
        "Everything the dataset holds about people: name, address, health...",
        choices="personal-data",
        required=ONLY_PERSONAL,
    ),
    Spec(
        "legal.personal_data.special_category_conditions",
        "Condition for special categories (Article 9(2) GDPR)",
        "checkboxes",
        "Needed when the data reveals health, ethnic origin, religion, political opinions, "
        "biometric or genetic data, sex life or trade union membership.",
        choices="special-category-conditions",
    ),
    Spec(
        "legal.personal_data.retention",
        "How long the data is kept",
        "group",
        required=ONLY_PERSONAL,
        children=(
            Spec(
                "period",
                "Retention period",
                "duration",
                "As a period: P10Y is ten years, P6M six months, P30D thirty days.",
                required=ONLY_PERSONAL,
            ),
            Spec("description", "Explanation", "langtext"),
        ),
    ),
    Spec(
        "legal.personal_data.measures",
        "Safeguards",
        "checkboxes",
        "Technical and organisational measures that protect the data.",
        choices="measures",
    ),
    Spec(
        "legal.personal_data.transfers",
        "Transfers outside the EU and EEA",
        "repeat",
        "Only if the data is sent to a country outside the EU and EEA, or to an "
        "international organisation (GDPR Chapter V).",
        item_label="Transfer",
        children=(
            Spec("country", "Third country", "select", choices="countries"),
            Spec(
                "organisation",
                "Or: international organisation",
                "text",
                "For example the OECD or the World Health Organization.",
            ),
            Spec("recipient", "Recipient", "text", "Who receives the data there."),
            Spec(
                "basis",
                "Basis for the transfer",
                "select",
                "An adequacy decision (Article 45 GDPR), appropriate safeguards (Article 46 "
                "GDPR) or a derogation (Article 49 GDPR).",
                choices="transfer-bases",
            ),
            Spec(
                "safeguards",
                "Safeguards, as documented",
                "langtext",
                "Needed for a transfer on compelling legitimate interests (Article 49(1) "
                "GDPR, second subparagraph).",
            ),
        ),
    ),
)

CUSTOM_SPECS: dict[str, tuple[Spec, ...]] = {
    "technical.distributions": (DISTRIBUTION,),
    "technical.data_services": (DATA_SERVICE,),
    "technical.attributes": (ATTRIBUTE,),
    "technical.temporal": (TEMPORAL,),
    "organisational.contact_point": (
        _contact(
            "organisational.contact_point",
            "Contact point",
            "Where people ask questions about the data. Give an e-mail address or a web form.",
            required=ALL,
        ),
    ),
    "organisational.steward": (
        _contact(
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
