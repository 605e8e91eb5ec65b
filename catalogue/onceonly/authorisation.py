"""May this service fetch these attributes of this dataset now? Plain Python rules.

The data exchange layer asks before it passes data on; the answer names the agreement that
covers the request, or the reason none does, in words a person can act on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from catalogue.domain.problems import InvalidDocument, Problem

FIELDS = ("service", "dataset", "attributes", "at")


@dataclass(frozen=True)
class Request:
    service: str
    dataset: str
    attributes: tuple[str, ...]
    on: dt.date


@dataclass(frozen=True)
class Answer:
    allowed: bool
    reason: str
    code: str
    agreement: Mapping[str, Any] | None = None
    missing: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"allowed": self.allowed, "code": self.code, "reason": self.reason}
        if self.agreement is not None:
            body["agreement"] = dict(self.agreement)
        if self.missing:
            body["missing_attributes"] = list(self.missing)
        return body


def parse(raw: Any, today: dt.date) -> Request:
    """The request, or a 422 naming each field that is missing or wrong."""
    if not isinstance(raw, dict):
        raise InvalidDocument([Problem("(body)", "must be a JSON object")])
    problems = [
        Problem(name, "is not a field we know", "extra") for name in raw if name not in FIELDS
    ]
    texts = {}
    for name in ("service", "dataset"):
        value = raw.get(name)
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(name, "give the slug as text", "required"))
        texts[name] = value.strip() if isinstance(value, str) else ""
    attributes = raw.get("attributes")
    if (
        not isinstance(attributes, list)
        or not attributes
        or not all(isinstance(item, str) and item for item in attributes)
    ):
        problems.append(
            Problem("attributes", "give a non-empty list of attribute names", "required")
        )
        attributes = []
    on = today
    if raw.get("at") is not None:
        try:
            on = _moment(raw["at"])
        except (TypeError, ValueError):
            problems.append(
                Problem(
                    "at",
                    "give a date (2026-05-01) or a date and time (2026-05-01T10:00:00Z)",
                    "invalid_date",
                )
            )
    if problems:
        raise InvalidDocument(problems)
    return Request(texts["service"], texts["dataset"], tuple(dict.fromkeys(attributes)), on)


def _moment(value: Any) -> dt.date:
    if not isinstance(value, str):
        raise TypeError(value)
    if "T" in value or " " in value:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(dt.UTC).date()
    return dt.date.fromisoformat(value)


def _summary(use: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": str(use["agreement_id"]),
        "reference": use["reference"],
        "valid_from": use["valid_from"].isoformat(),
        "valid_until": use["valid_until"].isoformat(),
        "status": use["status"],
    }


def decide(request: Request, uses: Sequence[Mapping[str, Any]]) -> Answer:
    """Allowed when one approved agreement in force on the day covers every attribute."""
    if not uses:
        return Answer(
            False,
            f"No agreement lets the service '{request.service}' use the dataset "
            f"'{request.dataset}'.",
            "no_agreement",
        )
    wanted = set(request.attributes)
    in_force = [
        use
        for use in uses
        if use["status"] == "approved" and use["valid_from"] <= request.on <= use["valid_until"]
    ]
    for use in in_force:
        if wanted <= set(use["attributes"]):
            return Answer(
                True, f"Agreement {use['reference']} covers this request.", "covered", _summary(use)
            )
    if in_force:
        best = max(in_force, key=lambda use: len(wanted & set(use["attributes"])))
        missing = tuple(sorted(wanted - set(best["attributes"])))
        return Answer(
            False,
            f"Agreement {best['reference']} does not cover "
            f"{', '.join(missing)}; propose a change to it first.",
            "attributes_not_covered",
            _summary(best),
            missing,
        )
    latest = max(uses, key=lambda use: use["valid_until"])
    if latest["status"] == "approved" and request.on < latest["valid_from"]:
        reason, code = (
            f"Agreement {latest['reference']} applies only from "
            f"{latest['valid_from'].isoformat()}.",
            "not_yet_valid",
        )
    elif latest["status"] in ("approved", "expired") and request.on > latest["valid_until"]:
        reason, code = (
            f"Agreement {latest['reference']} ended on {latest['valid_until'].isoformat()}.",
            "expired",
        )
    elif latest["status"] == "suspended":
        reason, code = (
            f"Agreement {latest['reference']} is suspended by the provider.",
            "suspended",
        )
    else:
        reason, code = (
            f"Agreement {latest['reference']} is {latest['status'].replace('_', ' ')}"
            ", not approved.",
            "not_approved",
        )
    return Answer(False, reason, code, _summary(latest))
