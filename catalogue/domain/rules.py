"""The classification rules: what an open, closed or personal dataset must state to be published.

One place that lists every rule (:data:`RULES`); those of closed and personal data are written
in :mod:`catalogue.domain.closed_and_personal_rules`. A draft may break them (it gets the list as
guidance); publishing is refused while any rule of severity ``error`` is broken. Messages speak
to a data steward.
"""

from __future__ import annotations

from collections.abc import Iterator

from catalogue.domain.closed_and_personal_rules import (
    attribute_categories_are_declared,
    closed_is_restricted,
    no_legitimate_interest_for_authorities,
    personal_is_restricted,
    personal_states_gdpr_facts,
    special_categories_need_article_9,
    transfers_are_identified,
)
from catalogue.domain.dataset import Classification, DatasetDocument
from catalogue.domain.problems import Problem
from catalogue.domain.rulebook import (
    PUBLIC,
    PUBLIC_AUTHORITY_TYPES,
    Rule,
    RuleContext,
    rule,
)
from catalogue.domain.services import hvd_dataset_is_complete
from catalogue.i18n import _

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
