"""The legal level's nested controls, written by hand: the restriction, the laws that apply
and the GDPR facts of personal data (the registry declares them ``custom={"form": ...}``)."""

from __future__ import annotations

from catalogue.domain.fieldspec import ONLY_CLOSED, ONLY_PERSONAL
from catalogue.ui.forms.controls import Spec, contact_group

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
    contact_group(
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
