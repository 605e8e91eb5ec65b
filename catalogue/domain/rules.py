"""The classification rules: what an open, closed or personal dataset must state to be published.

One place for every rule. A draft may break them (it gets the list as guidance); publishing is
refused while any rule of severity ``error`` is broken. Messages speak to a data steward.
"""

from __future__ import annotations

from collections.abc import Iterator

from catalogue.domain.dataset import Classification, DatasetDocument
from catalogue.domain.problems import Problem
from catalogue.domain.rulebook import (
    LEGITIMATE_INTEREST,
    NOT_PUBLIC,
    PUBLIC,
    PUBLIC_AUTHORITY_TYPES,
    Rule,
    RuleContext,
    rule,
)
from catalogue.domain.services import hvd_dataset_is_complete
from catalogue.i18n import N_, _

__all__ = ["PUBLIC_AUTHORITY_TYPES", "RuleContext", "blocking", "check"]


def check(document: DatasetDocument, context: RuleContext) -> list[Problem]:
    """Every problem that would stop ``document`` from being published, plus warnings."""
    problems: list[Problem] = []
    for function in RULES:
        if function.applies_to in (None, document.classification):
            problems.extend(function(document, context))
    return problems


def blocking(problems: list[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.severity == "error"]


# --- every published dataset -------------------------------------------------------------


@rule()
def described_in_default_language(
    document: DatasetDocument, context: RuleContext
) -> Iterator[Problem]:
    language = context.default_language
    if not document.title.get(language):
        yield Problem(
            "title",
            _("Give the dataset a title in the default language (%(language)s).")
            % {"language": language},
            "title_missing",
        )
    if not document.description.get(language):
        yield Problem(
            "description",
            _(
                "Describe the dataset in the default language (%(language)s): what it holds and "
                "who it is for."
            )
            % {"language": language},
            "description_missing",
        )


@rule()
def has_publisher_and_contact(document: DatasetDocument, context: RuleContext) -> Iterator[Problem]:
    organisational = document.organisational
    if not organisational.publisher:
        yield Problem(
            "organisational.publisher",
            _("Name the organisation that publishes the dataset."),
            "publisher_missing",
        )
    contact = organisational.contact_point
    if contact is None or not (contact.email or contact.url):
        yield Problem(
            "organisational.contact_point",
            _(
                "Add a contact point with an e-mail address or web form, so that users can ask "
                "questions about the data."
            ),
            "contact_missing",
        )


@rule()
def has_theme(document: DatasetDocument, context: RuleContext) -> Iterator[Problem]:
    themes = context.vocabularies["themes"]
    if not any(theme in themes for theme in document.semantic.themes):  # foreign IRIs do not count
        others = (
            _(" (the themes it has are not EU data themes)") if document.semantic.themes else ""
        )
        yield Problem(
            "semantic.themes",
            _("Choose at least one EU data theme (for example 'Economy and finance').") + others,
            "theme_missing",
        )


@rule()
def identifiers_are_declared(document: DatasetDocument, context: RuleContext) -> Iterator[Problem]:
    declared = set(document.organisational.identifier_schemes)
    for index, attribute in enumerate(document.technical.attributes):
        scheme = attribute.identifier_scheme
        if scheme and scheme not in declared:
            yield Problem(
                f"technical.attributes[{index}].identifier_scheme",
                _(
                    "Attribute '%(name)s' holds the identifier '%(scheme)s'; list it among the "
                    "identifier schemes the dataset can be joined on."
                )
                % {"name": attribute.name, "scheme": scheme},
                "identifier_scheme_undeclared",
                "warning",
            )


# --- open data ---------------------------------------------------------------------------


@rule(Classification.OPEN)
def open_is_public(document: DatasetDocument, context: RuleContext) -> Iterator[Problem]:
    if document.legal.access_rights != PUBLIC:
        yield Problem(
            "legal.access_rights",
            _(
                "Open data must be public: set the access rights to PUBLIC, or classify the "
                "dataset as closed."
            ),
            "open_not_public",
        )


@rule(Classification.OPEN)
def open_has_open_licence(document: DatasetDocument, context: RuleContext) -> Iterator[Problem]:
    licences = context.vocabularies["licences"]
    code = document.legal.licence
    if not code:
        yield Problem(
            "legal.licence",
            _(
                "Open data needs an open licence such as CC BY 4.0 or CC0, so that people know "
                "they may reuse it."
            ),
            "licence_missing",
        )
        return
    concept = licences.get(code)
    if concept is not None and not concept.flags.get("open"):
        yield Problem(
            "legal.licence",
            _(
                "'%(label)s' is not an open licence (it limits reuse). Choose an open licence such "
                "as CC BY 4.0, CC0, ODbL or ODC-BY."
            )
            % {"label": concept.label()},
            "licence_not_open",
        )
    for index, distribution in enumerate(document.technical.distributions):
        own = licences.get(distribution.licence) if distribution.licence else None
        if own is not None and not own.flags.get("open"):
            yield Problem(
                f"technical.distributions[{index}].licence",
                _(
                    "'%(label)s' is not an open licence; open data must be reusable under an open "
                    "licence."
                )
                % {"label": own.label()},
                "licence_not_open",
            )


@rule(Classification.OPEN)
def open_can_be_accessed(document: DatasetDocument, context: RuleContext) -> Iterator[Problem]:
    if not any(item.access_url for item in document.technical.distributions):
        yield Problem(
            "technical.distributions",
            _("Add at least one distribution with an access URL, so that people can get the data."),
            "distribution_missing",
        )


@rule(Classification.OPEN)
def open_holds_no_personal_data(
    document: DatasetDocument, context: RuleContext
) -> Iterator[Problem]:
    if document.legal.anonymised:
        return
    for index, attribute in enumerate(document.technical.attributes):
        if attribute.personal_data_category:
            yield Problem(
                f"technical.attributes[{index}].personal_data_category",
                _(
                    "Attribute '%(name)s' is marked as personal data, which open data must not "
                    "hold. Remove the attribute, classify the dataset as personal, or declare the "
                    "dataset anonymised if it truly is."
                )
                % {"name": attribute.name},
                "open_with_personal_data",
            )


# --- closed data -------------------------------------------------------------------------


def _not_public_access(document: DatasetDocument, what: str) -> Iterator[Problem]:
    if document.legal.access_rights not in NOT_PUBLIC:
        yield Problem(
            "legal.access_rights",
            _("%(what)s cannot be public: set the access rights to RESTRICTED or NON_PUBLIC.")
            % {"what": what},
            "access_rights_public",
        )


@rule(Classification.CLOSED)
def closed_is_restricted(document: DatasetDocument, context: RuleContext) -> Iterator[Problem]:
    yield from _not_public_access(document, _("Closed data"))
    restriction = document.legal.restriction
    if restriction is None or not restriction.reason:
        yield Problem(
            "legal.restriction.reason",
            _(
                "Explain why the data is restricted (security, confidentiality, commercial "
                "interest, ...)."
            ),
            "restriction_reason_missing",
        )
    if restriction is None or not restriction.how_to_request:
        yield Problem(
            "legal.restriction.how_to_request",
            _("Tell people how to request access: whom to ask and on what terms."),
            "how_to_request_missing",
        )


# --- personal data -----------------------------------------------------------------------

_PERSONAL_REQUIRED = (
    (
        "controller",
        N_(
            "Name the controller: the organisation that decides why and how the personal "
            "data is processed."
        ),
        "controller_missing",
    ),
    (
        "legal_bases",
        N_(
            "Give at least one legal basis of Article 6 GDPR (for example Article 6(1)(e) "
            "GDPR: a task in the public interest)."
        ),
        "legal_basis_missing",
    ),
    (
        "purposes",
        N_("State at least one purpose for which the data was collected."),
        "purpose_missing",
    ),
    (
        "data_subjects",
        N_("Say whom the data is about (citizens, employees, children, ...)."),
        "data_subjects_missing",
    ),
    (
        "personal_data_categories",
        N_("List the categories of personal data held (name, address, health, ...)."),
        "personal_data_categories_missing",
    ),
    (
        "retention",
        N_("Say how long the data is kept (a period such as P10Y)."),
        "retention_missing",
    ),
)


@rule(Classification.PERSONAL)
def personal_is_restricted(document: DatasetDocument, context: RuleContext) -> Iterator[Problem]:
    yield from _not_public_access(document, _("Personal data"))


@rule(Classification.PERSONAL)
def personal_states_gdpr_facts(
    document: DatasetDocument, context: RuleContext
) -> Iterator[Problem]:
    personal = document.legal.personal_data
    for name, message, code in _PERSONAL_REQUIRED:
        if personal is None or not getattr(personal, name):
            yield Problem(f"legal.personal_data.{name}", _(message), code)


@rule(Classification.PERSONAL)
def special_categories_need_article_9(
    document: DatasetDocument, context: RuleContext
) -> Iterator[Problem]:
    categories = context.vocabularies["personal-data"]
    special = sorted(
        concept.label()
        for code in document.personal_data_categories_in_use()
        if (concept := categories.get(code)) is not None and concept.flags.get("specialCategory")
    )
    personal = document.legal.personal_data
    if special and (personal is None or not personal.special_category_conditions):
        yield Problem(
            "legal.personal_data.special_category_conditions",
            _(
                "The dataset holds special categories of personal data (%(categories)s); give "
                "the condition of Article 9(2) GDPR that allows processing them."
            )
            % {"categories": ", ".join(special)},
            "article_9_condition_missing",
        )


@rule(Classification.PERSONAL)
def no_legitimate_interest_for_authorities(
    document: DatasetDocument, context: RuleContext
) -> Iterator[Problem]:
    personal = document.legal.personal_data
    if (
        personal
        and LEGITIMATE_INTEREST in personal.legal_bases
        and context.publisher_is_public_authority
    ):
        yield Problem(
            "legal.personal_data.legal_bases",
            _(
                "A public authority cannot rely on legitimate interest (Article 6(1)(f) GDPR) "
                "for processing in the performance of its tasks; use Article 6(1)(c) GDPR: a "
                "legal obligation or Article 6(1)(e) GDPR: a task in the public interest, naming "
                "the law."
            ),
            "legitimate_interest_for_authority",
        )


@rule(Classification.PERSONAL)
def attribute_categories_are_declared(
    document: DatasetDocument, context: RuleContext
) -> Iterator[Problem]:
    personal = document.legal.personal_data
    declared = set(personal.personal_data_categories) if personal else set()
    for index, attribute in enumerate(document.technical.attributes):
        category = attribute.personal_data_category
        if category and declared and category not in declared:
            yield Problem(
                f"technical.attributes[{index}].personal_data_category",
                _(
                    "Attribute '%(name)s' holds '%(category)s', which is not among the dataset's "
                    "personal-data categories; add it there."
                )
                % {"name": attribute.name, "category": category},
                "category_undeclared",
                "warning",
            )


# --- transfers outside the EU/EEA (GDPR Chapter V) -----------------------------------------

EEA_COUNTRIES = frozenset(
    {  # EU authority table codes: the 27 member states, Iceland,
        "AUT",
        "BEL",
        "BGR",
        "HRV",
        "CYP",
        "CZE",
        "DNK",
        "EST",
        "FIN",
        "FRA",  # Liechtenstein
        "DEU",
        "GRC",
        "HUN",
        "IRL",
        "ITA",
        "LVA",
        "LTU",
        "LUX",
        "MLT",
        "NLD",  # and Norway
        "POL",
        "PRT",
        "ROU",
        "SVK",
        "SVN",
        "ESP",
        "SWE",
        "ISL",
        "LIE",
        "NOR",
    }
)
COMPELLING_INTERESTS = "A49-2"  # Art. 49(1), second subparagraph
NOT_FOR_PUBLIC_POWERS = frozenset({"A49-1-a", "A49-1-b", "A49-1-c", COMPELLING_INTERESTS})


@rule(Classification.PERSONAL)
def transfers_are_identified(document: DatasetDocument, context: RuleContext) -> Iterator[Problem]:
    """Art. 30(1)(e) and Chapter V: where to, on which basis, and never inside the EEA."""
    personal = document.legal.personal_data
    for index, transfer in enumerate(personal.transfers if personal else []):
        path = f"legal.personal_data.transfers[{index}]"
        if not transfer.country and not transfer.organisation:
            yield Problem(
                f"{path}.country",
                _("Name the third country or the international organisation the data goes to."),
                "transfer_destination_missing",
            )
        elif transfer.country in EEA_COUNTRIES:
            yield Problem(
                f"{path}.country",
                _(
                    "This country is in the EU/EEA: sending data there is not a transfer to a third "  # noqa: E501
                    "country; remove it."
                ),
                "transfer_in_eea",
            )
        if not transfer.basis:
            yield Problem(
                f"{path}.basis",
                _(
                    "Give the transfer's basis: an adequacy decision (Article 45 GDPR), safeguards "
                    "(Article 46 GDPR) or a derogation (Article 49 GDPR)."
                ),
                "transfer_basis_missing",
            )
        elif transfer.basis == COMPELLING_INTERESTS and not transfer.safeguards:
            yield Problem(
                f"{path}.safeguards",
                _(
                    "A transfer for compelling legitimate interests needs its suitable safeguards "
                    "documented (Article 30(1)(e) and Article 49(6) GDPR)."
                ),
                "transfer_safeguards_missing",
            )
        if transfer.basis in NOT_FOR_PUBLIC_POWERS and context.publisher_is_public_authority:
            yield Problem(
                f"{path}.basis",
                _(
                    "Public authorities cannot use this derogation in the exercise of their public "
                    "powers (Article 49(3) GDPR); check the basis."
                ),
                "transfer_derogation_for_authority",
                "warning",
            )


# Every rule, in the order their problems are listed.
RULES: tuple[Rule, ...] = (
    described_in_default_language,
    has_publisher_and_contact,
    has_theme,
    identifiers_are_declared,
    open_is_public,
    open_has_open_licence,
    open_can_be_accessed,
    open_holds_no_personal_data,
    closed_is_restricted,
    personal_is_restricted,
    personal_states_gdpr_facts,
    special_categories_need_article_9,
    no_legitimate_interest_for_authorities,
    attribute_categories_are_declared,
    transfers_are_identified,
    hvd_dataset_is_complete,
)
