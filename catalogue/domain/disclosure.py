"""What each reader may see: the one place for the catalogue's disclosure rules.

Plain Python (no HTTP, no SQL). The data-access modules turn these rules into SQL or index
filters, the controllers and pages call them on what they show; none of them restates a rule.

* Which dataset statuses are public (``PUBLIC_STATUSES``), and which agreement statuses.
* Who sees unpublished datasets and internal fields (``sees_unpublished``, ``redact``):
  members of the publishing organisation, administrators and auditors; nobody else.
* Which part of a dataset's history the public sees (``public_revisions``): from the first
  public revision on, only public revisions, each compared with the public one before it.
* In which language a text is shown (``text_in``): the reader's, then the configured
  languages in order, then any.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from catalogue.domain.agreement import AgreementStatus
from catalogue.domain.dataset import Status
from catalogue.domain.languages import text_in as text_in  # the language rule, re-exported

PUBLIC_STATUSES: tuple[str, ...] = (Status.PUBLISHED.value, Status.DEPRECATED.value)
"""Dataset statuses anyone may read; drafts and withdrawn datasets are for members only."""

NON_PUBLIC_STATUSES: tuple[str, ...] = tuple(
    status.value for status in Status if status.value not in PUBLIC_STATUSES
)

PUBLIC_AGREEMENT_STATUSES: tuple[str, ...] = (
    AgreementStatus.APPROVED.value,
    AgreementStatus.SUSPENDED.value,
    AgreementStatus.EXPIRED.value,
)
"""Agreements the public register shows (of public datasets only); proposals stay private."""

INTERNAL_FIELDS: tuple[str, ...] = ("internal_note",)
"""Top-level dataset fields for the publisher's members, administrators and auditors only."""


class Reader(Protocol):
    """Who is reading (an ``accounts.Principal``); ``None`` stands for an anonymous reader."""

    @property
    def reads_everything(self) -> bool: ...

    @property
    def organisations(self) -> frozenset[str]: ...


def is_public(status: str) -> bool:
    return str(status) in PUBLIC_STATUSES


def sees_unpublished(reader: Reader | None, publisher: str | None) -> bool:
    """Members of ``publisher``, administrators and auditors: drafts, withdrawn datasets,
    internal notes and the full history. Stewards of other organisations are the public."""
    if reader is None:
        return False
    return reader.reads_everything or (publisher is not None and publisher in reader.organisations)


def changes_public_view(before: str | None, after: str) -> bool:
    """Whether a write from status ``before`` (None: a new dataset) to ``after`` changes what
    the public sees: any write to a public dataset, and the one that takes it out of the
    public. Feeds date themselves by these writes only, so draft work never shows in them."""
    return is_public(after) or (before is not None and is_public(before))


def may_see(reader: Reader | None, status: str, publisher: str | None) -> bool:
    return is_public(status) or sees_unpublished(reader, publisher)


def redact(body: dict[str, Any], reader: Reader | None, publisher: str | None) -> dict[str, Any]:
    """``body`` (a dataset document as JSON) without the fields ``reader`` may not see."""
    if sees_unpublished(reader, publisher):
        return body
    return {key: value for key, value in body.items() if key not in INTERNAL_FIELDS}


def redact_changes(
    changes: Mapping[str, Any], reader: Reader | None, publisher: str | None
) -> dict[str, Any]:
    """A revision's ``{path: change}`` without the paths of internal fields."""
    if sees_unpublished(reader, publisher):
        return dict(changes)
    return {
        path: change
        for path, change in changes.items()
        if path.split(".", 1)[0].split("[", 1)[0] not in INTERNAL_FIELDS
    }


RELATED = "semantic.related"
"""Links to other datasets by slug: each one shown only to readers who may see that dataset."""
SERVED = "technical.data_services.[].serves"
"""The other datasets a data service serves: links by slug too, hidden the same way."""
REFERENCES = (RELATED, SERVED)


def _steps(path: str) -> list[str]:
    return path.split(".")


def visible_related(
    slugs: Iterable[str], visible: Callable[[str], bool] | Iterable[str]
) -> list[str]:
    """Related datasets the reader may see, in the steward's order (others are left out, so a
    draft's slug never shows through a public dataset)."""
    check = visible if callable(visible) else set(visible).__contains__
    return [slug for slug in slugs if check(slug)]


def related_in(body: Mapping[str, Any]) -> list[str]:
    """The slugs of other datasets a stored document (or a revision's snapshot) names."""
    return [slug for path in REFERENCES for slug in _slugs(body, _steps(path))]


def _related_parts(path: str) -> list[list[str]]:
    """For a change at ``path``, where inside its value each list of slugs sits: ``[]`` when
    the value is the list itself, ``["related"]`` for ``semantic``; none when elsewhere."""
    parts = path.split(".")
    return [
        target[len(parts) :]
        for reference in REFERENCES
        if (target := _steps(reference))[: len(parts)] == parts
    ]


def _filtered(value: Any, rest: list[str], allowed: set[str]) -> Any:
    if not rest:
        return visible_related(value, allowed) if isinstance(value, list) else value
    if rest[0] == "[]":
        if isinstance(value, list):
            return [_filtered(item, rest[1:], allowed) for item in value]
        return value
    if isinstance(value, Mapping) and rest[0] in value:
        return {**value, rest[0]: _filtered(value[rest[0]], rest[1:], allowed)}
    return value


def _slugs(value: Any, rest: list[str]) -> list[str]:
    if not rest:
        return [str(slug) for slug in value] if isinstance(value, list) else []
    if rest[0] == "[]":
        items = value if isinstance(value, list) else []
        return [slug for item in items for slug in _slugs(item, rest[1:])]
    return _slugs(value.get(rest[0]) if isinstance(value, Mapping) else None, rest[1:])


def related_in_changes(changes: Mapping[str, Any]) -> list[str]:
    """Every slug of another dataset a revision's changes name, on either side."""
    slugs = []
    for path, change in changes.items():
        for rest in _related_parts(path):
            if isinstance(change, Mapping):
                slugs += [s for side in ("from", "to") for s in _slugs(change.get(side), rest)]
    return slugs


def hide_related(body: dict[str, Any], visible: Iterable[str]) -> dict[str, Any]:
    """A document that names only the other datasets in ``visible``."""
    allowed = set(visible)
    for path in REFERENCES:
        body = dict(_filtered(body, _steps(path), allowed))
    return body


def hide_related_changes(changes: Mapping[str, Any], visible: Iterable[str]) -> dict[str, Any]:
    """Changes that name only related datasets in ``visible`` (a change that then changes
    nothing is left out)."""
    allowed, result = set(visible), {}
    for path, change in changes.items():
        parts = _related_parts(path)
        if parts and isinstance(change, Mapping):
            for rest in parts:
                change = {side: _filtered(value, rest, allowed) for side, value in change.items()}
            if change.get("from") == change.get("to"):
                continue
        result[path] = change
    return result


# --- history -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RevisionStep:
    """One stored revision as the history rule needs it: its number, status and changes."""

    revision: int
    status: str
    changes: Mapping[str, Any]


def statuses_of(revisions: Sequence[tuple[int, Mapping[str, Any]]]) -> list[RevisionStep]:
    """The status after each revision (oldest first), read from the changes alone: every
    revision that changes the status records it as ``status: {from, to}``."""
    steps, status = [], Status.DRAFT.value
    for revision, changes in revisions:
        change = changes.get("status")
        if isinstance(change, Mapping) and change.get("to"):
            status = str(change["to"])
        steps.append(RevisionStep(revision, status, changes))
    return steps


@dataclass(frozen=True)
class PublicRevision:
    """A revision the public sees; ``compare_with`` is set when its changes must be computed
    anew against an earlier public revision (``0``: against nothing, as for a creation)."""

    revision: int
    changes: Mapping[str, Any] | None
    compare_with: int | None = None


def public_revisions(steps: Sequence[RevisionStep]) -> list[PublicRevision]:
    """The history the public sees: public revisions only, starting at the first one.

    A revision that follows a public one keeps its stored changes (both sides were public).
    A (re)publication follows a draft, so its stored changes would show draft text: it is
    compared with the previous public revision instead, or with nothing for the first.
    """
    public: list[PublicRevision] = []
    previous_public: int | None = None
    previous_was_public = False
    for step in steps:
        if is_public(step.status):
            if previous_was_public:
                public.append(PublicRevision(step.revision, step.changes))
            else:
                public.append(PublicRevision(step.revision, None, previous_public or 0))
            previous_public = step.revision
        previous_was_public = is_public(step.status)
    return public
