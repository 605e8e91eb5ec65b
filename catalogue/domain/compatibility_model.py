"""What the purpose-compatibility check returns: outcomes, findings and their context.

Kept apart from the rules (:mod:`catalogue.domain.compatibility`) so each reads on its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Literal

from catalogue.domain.agreement import ASSESSMENT_FACTORS
from catalogue.domain.dataset import DatasetDocument
from catalogue.domain.problems import Problem
from catalogue.vocabularies import Vocabularies

LAW_REQUIRED_BASES = ("A6-1-c", "A6-1-e")
LEGITIMATE_INTERESTS = "A6-1-f"
CONSENT = "A6-1-a"


class Outcome(StrEnum):
    COMPATIBLE = "compatible"
    PRESUMED_COMPATIBLE = "presumed_compatible"
    NEEDS_ASSESSMENT = "needs_assessment"
    NOT_APPLICABLE = "not_applicable"


OUTCOME_EXPLANATIONS = {
    Outcome.COMPATIBLE: "The purpose of use is one of the purposes for which the data was "
    "collected (or a narrower kind of one), so the reuse is compatible.",
    Outcome.PRESUMED_COMPATIBLE: "The data is reused for archiving, research or statistics "
    "with safeguards in place, which GDPR Art. 89(1) presumes compatible.",
    Outcome.NEEDS_ASSESSMENT: "The purpose of use differs from the purposes of collection. "
    "Before approving, the reviewer must weigh the GDPR Art. 6(4) factors: "
    + "; ".join(ASSESSMENT_FACTORS.values())
    + ".",
    Outcome.NOT_APPLICABLE: "The dataset holds no personal data, so the GDPR purpose "
    "limitation does not apply; the provider decides on the terms of reuse.",
}


@dataclass(frozen=True)
class Finding:
    """One thing the check found, told in plain language (severity ``info`` explains a pass)."""

    rule: Literal["scope", "basis", "sensitive", "compatibility", "time"]
    field: str
    message: str
    code: str
    severity: Literal["error", "warning", "info"] = "error"

    def as_problem(self) -> Problem:
        severity: Literal["error", "warning"] = "error" if self.severity == "error" else "warning"
        return Problem(self.field, self.message, self.code, severity)


@dataclass(frozen=True)
class CheckContext:
    dataset: DatasetDocument
    consumer_type: str | None
    vocabularies: Vocabularies
    today: dt.date


@dataclass(frozen=True)
class CheckResult:
    outcome: Outcome
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def explanation(self) -> str:
        return OUTCOME_EXPLANATIONS[self.outcome]

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.value,
            "explanation": self.explanation,
            "findings": [asdict(f) for f in self.findings],
        }
