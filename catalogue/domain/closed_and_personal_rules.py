"""The rules of data that may not be public: closed data, and personal data with the facts
the GDPR asks a controller to state (Article 30) and its transfers outside the EU/EEA.

Apart from :mod:`catalogue.domain.rules` (the rules of every dataset and of open data), which
lists these in :data:`~catalogue.domain.rules.RULES`.
"""

from __future__ import annotations

from collections.abc import Iterator

from catalogue.domain.dataset import Classification, DatasetDocument
from catalogue.domain.problems import Problem
from catalogue.domain.rulebook import LEGITIMATE_INTEREST, NOT_PUBLIC, RuleContext, rule
from catalogue.i18n import N_, _

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
