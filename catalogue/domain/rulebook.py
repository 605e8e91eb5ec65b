"""The rule book's machinery: the context the rules read and the list they register in.

Separate from :mod:`catalogue.domain.rules` so that rule modules (the classification rules,
the data-service and HVD rules in :mod:`catalogue.domain.services`) import it without
importing each other; :mod:`catalogue.domain.rules` lists them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol, cast

from catalogue.domain.dataset import Classification, DatasetDocument
from catalogue.domain.problems import Problem
from catalogue.vocabularies import Vocabularies

PUBLIC = "PUBLIC"
NOT_PUBLIC = ("RESTRICTED", "NON_PUBLIC")
LEGITIMATE_INTEREST = "A6-1-f"
PUBLIC_AUTHORITY_TYPES = frozenset(
    {"NationalAuthority", "RegionalAuthority", "LocalAuthority", "SupraNationalAuthority"}
)


@dataclass(frozen=True)
class RuleContext:
    """What the rules need besides the document, supplied by the caller (no I/O in here)."""

    vocabularies: Vocabularies
    default_language: str = "en"
    publisher_type: str | None = None

    @property
    def publisher_is_public_authority(self) -> bool:
        return self.publisher_type in PUBLIC_AUTHORITY_TYPES


class Rule(Protocol):
    """A rule: the problems one document has, for the classification it ``applies_to``."""

    applies_to: Classification | None

    def __call__(self, document: DatasetDocument, context: RuleContext) -> Iterator[Problem]: ...


RuleFunction = Callable[[DatasetDocument, RuleContext], Iterator[Problem]]


def rule(applies_to: Classification | None = None) -> Callable[[RuleFunction], Rule]:
    """Mark a function as a rule for one classification, or for every dataset when ``None``.

    Marking registers nothing: the rule book lists its rules explicitly
    (:data:`catalogue.domain.rules.RULES`), in the order their problems are shown.
    """

    def mark(function: RuleFunction) -> Rule:
        function.applies_to = applies_to  # type: ignore[attr-defined]
        return cast(Rule, function)

    return mark
