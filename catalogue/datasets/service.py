"""Registering and changing datasets: validation, rules, permissions, revisions, history.

Every write runs in one transaction that also records the history row and announces the
change (so the search outbox and the audit log commit with it, or not at all).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable, Collection, Sequence
from typing import Any

from pydantic import ValidationError

from catalogue.accounts.principal import Principal
from catalogue.datasets.queries import (
    DatasetRecord,
    find_record,
    identifier_scheme_codes,
    may_see,
    publisher_row,
)
from catalogue.datasets.rows import row_values
from catalogue.datasets.tables import Dataset, DatasetRevision, DatasetTheme
from catalogue.db import is_unique_violation, write_transaction
from catalogue.domain import disclosure, rules
from catalogue.domain.codes import normalise_codes
from catalogue.domain.dataset import DatasetDocument, Status
from catalogue.domain.patch import changed_fields, merge_patch
from catalogue.domain.problems import problems_from_validation_error
from catalogue.domain.services import link_problems
from catalogue.errors import (
    Conflict,
    Forbidden,
    InvalidDocument,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    Problem,
    Unauthorised,
)
from catalogue.events import Change, announce
from catalogue.plugs import Registry
from catalogue.settings import get_settings
from catalogue.vocabularies import default_vocabularies

PublishCheck = Callable[[DatasetDocument], Awaitable[list[Problem]]]
_publish_checks: Registry[PublishCheck] = Registry("publish checks")
WriteGuard = Callable[[DatasetRecord, DatasetDocument], Awaitable[list[Problem]]]
_write_guards: Registry[WriteGuard] = Registry("write guards")


async def _guard_edit(record: DatasetRecord, document: DatasetDocument) -> None:
    """Every installed guard's objections to a steward's edit of a stored dataset (harvested
    fields are read-only, catalogue.harvest.guard)."""
    problems = [
        problem for guard in _write_guards.required() for problem in await guard(record, document)
    ]
    if problems:
        raise InvalidDocument(problems)


def install_publish_checks(checks: Sequence[PublishCheck]) -> None:
    """Called by :func:`catalogue.wiring.wire`: the checks that must pass before publishing
    (the SHACL validation is one)."""
    _publish_checks.install(checks)


def install_write_guards(guards: Sequence[WriteGuard]) -> None:
    """Called by :func:`catalogue.wiring.wire`: the checks of every edit of a stored dataset."""
    _write_guards.install(guards)


def parse_document(raw: Any) -> DatasetDocument:
    if not isinstance(raw, dict):
        raise InvalidDocument([Problem("(document)", "must be a JSON object")])
    try:
        return DatasetDocument.model_validate(raw)
    except ValidationError as error:
        raise InvalidDocument(problems_from_validation_error(error)) from None


async def validate(raw: Any) -> DatasetDocument:
    """Structure, then every controlled code, then the publisher; all problems at once."""
    document = parse_document(raw)
    publisher = document.organisational.publisher
    row = await publisher_row(publisher) if publisher else None
    return checked_document(document, await identifier_scheme_codes(), row)


def checked_document(
    document: DatasetDocument, schemes: Collection[str], publisher: dict[str, Any] | None
) -> DatasetDocument:
    """The codes and the publisher (``publisher``: its row, or None when there is none)."""
    document, problems = normalise_codes(document, default_vocabularies(), schemes)
    problems.extend(link_problems(document))
    slug = document.organisational.publisher
    if slug is None:
        problems.append(
            Problem(
                "organisational.publisher",
                "Name the publishing organisation (its slug); it decides who may edit the dataset.",
                "publisher_missing",
            )
        )
    elif publisher is None:
        problems.append(
            Problem(
                "organisational.publisher",
                f"There is no organisation '{slug}'; the list of organisations names each one.",
                "unknown_publisher",
            )
        )
    if problems:
        raise InvalidDocument(problems)
    return document.with_generated_ids()


def context_for(publisher: dict[str, Any] | None) -> rules.RuleContext:
    return rules.RuleContext(
        vocabularies=default_vocabularies(),
        default_language=get_settings().default_language,
        publisher_type=publisher["type"] if publisher else None,
    )


async def rule_context(document: DatasetDocument) -> rules.RuleContext:
    publisher = document.organisational.publisher
    return context_for(await publisher_row(publisher) if publisher else None)


async def problems_for(
    document: DatasetDocument, context: rules.RuleContext | None = None
) -> list[Problem]:
    """What stands between ``document`` and publication (and warnings): rules + publish checks."""
    checks = _publish_checks.required()  # never publish unchecked because nobody wired
    problems = rules.check(document, context or await rule_context(document))
    for check in checks:
        problems.extend(await check(document))
    return problems


async def refuse_unpublishable(
    document: DatasetDocument, context: rules.RuleContext | None = None
) -> None:
    """Publishing (or keeping published) needs every rule and publish check to pass."""
    if disclosure.is_public(document.status.value):
        blocking = rules.blocking(await problems_for(document, context))
        if blocking:
            raise InvalidDocument(blocking)


def _authorise(principal: Principal | None, *publishers: str | None) -> None:
    if principal is None:
        raise Unauthorised("sign in or send 'Authorization: Bearer <token>' to change datasets")
    for publisher in publishers:
        if not principal.can_edit_datasets_of(publisher):
            raise Forbidden(
                f"only stewards of '{publisher}' or an administrator may change its datasets"
            )


def _expect_revision(record: DatasetRecord, expected: int | None) -> None:
    """A change names the revision it was made on (``expected``), and it must be the current."""
    if expected is None:
        raise PreconditionRequired(
            "send If-Match with the ETag you read (the dataset's revision), so that nobody "
            "overwrites a change they have not seen"
        )
    if expected != record.revision:
        sent = f"you sent revision {expected}" if expected > 0 else "you named no revision"
        raise PreconditionFailed(
            f"the dataset changed since you read it: {sent}, it is now at "
            f"revision {record.revision}; read it again and reapply your change",
            record.revision,
        )


def _action(before: DatasetDocument | None, after: DatasetDocument) -> str:
    if before is None:
        return "create"
    if before.status != after.status:
        return {
            Status.PUBLISHED: "publish",
            Status.WITHDRAWN: "withdraw",
            Status.DEPRECATED: "deprecate",
            Status.DRAFT: "unpublish",
        }[after.status]
    return "update"


async def _write(
    document: DatasetDocument,
    principal: Principal | None,
    existing: DatasetRecord | None,
    reason: str = "",
) -> DatasetRecord:
    """Check publishability, then store the document, its themes, history and change event."""
    await refuse_unpublishable(document)
    now = dt.datetime.now(dt.UTC)
    publisher = await publisher_row(document.organisational.publisher or "")
    assert publisher is not None  # validate() checked it
    values = row_values(document, publisher["id"], existing, now)
    try:
        return await _store(document, principal, existing, values, now, reason)
    except Exception as error:
        if is_unique_violation(error):
            raise Conflict(f"a dataset with the slug '{document.slug}' already exists") from None
        raise


async def _store(
    document: DatasetDocument,
    principal: Principal | None,
    existing: DatasetRecord | None,
    values: dict[Any, Any],
    now: dt.datetime,
    reason: str,
) -> DatasetRecord:
    """The transaction proper: row, themes, history, change event."""
    stored = values[Dataset.document]
    async with write_transaction():
        if existing is None:
            if await Dataset.exists().where(Dataset.slug == document.slug):
                raise Conflict(f"a dataset with the slug '{document.slug}' already exists")
            dataset_id = uuid.uuid4()
            revision = 1
            await Dataset.insert(
                Dataset(
                    id=dataset_id,
                    revision=revision,
                    created=now,
                    **{column._meta.name: value for column, value in values.items()},
                )
            )
        else:
            dataset_id = existing.id
            revision = existing.revision + 1
            updated = (
                await Dataset.update({**values, Dataset.revision: revision})
                .where((Dataset.id == existing.id) & (Dataset.revision == existing.revision))
                .returning(Dataset.id)
            )
            if not updated:
                raise PreconditionFailed(
                    "the dataset changed while you were saving; read it "
                    "again and reapply your change",
                    existing.revision + 1,
                )
            await DatasetTheme.delete().where(DatasetTheme.dataset == dataset_id)
        for theme in dict.fromkeys(document.semantic.themes):
            await DatasetTheme.insert(DatasetTheme(dataset=dataset_id, theme=theme))
        before = existing.document.model_dump(mode="json") if existing else {}
        action = _action(existing.document if existing else None, document)
        await DatasetRevision.insert(
            DatasetRevision(
                dataset=dataset_id,
                revision=revision,
                action=action,
                actor=principal.user_id if principal else None,
                actor_name=principal.name if principal else "system",
                at=now,
                changes=changed_fields(before, stored),
                snapshot=stored,
            )
        )
        await announce(
            Change(
                "dataset",
                action,
                str(dataset_id),
                document.slug,
                principal,
                before=before or None,
                after=stored,
                reason=reason,
                extra={"revision": revision},
            )
        )
    record = await find_record(document.slug)
    assert record is not None
    return record


async def create_dataset(raw: Any, principal: Principal | None) -> DatasetRecord:
    """Register a dataset. A slug taken by a dataset the steward may see is a 409; one taken
    by a dataset hidden from them (another organisation's draft or withdrawn dataset) is not
    disclosed: the new dataset gets the first free variant (``slug-2``, ...) instead."""
    _authorise(principal)
    document = await validate(raw)
    _authorise(principal, document.organisational.publisher)
    slug = await _free_slug(document.slug, principal)
    if slug != document.slug:  # validated again, so generated ids follow the new slug
        document = await validate({**raw, "slug": slug})
    return await _write(document, principal, None)


async def _free_slug(slug: str, principal: Principal | None) -> str:
    existing = await find_record(slug)
    if existing is None:
        return slug
    if may_see(existing, principal):
        raise Conflict(f"a dataset with the slug '{slug}' already exists")
    stem = slug[:94].rstrip("-")
    taken = {
        row["slug"]
        for row in await Dataset.select(Dataset.slug).where(Dataset.slug.like(f"{stem}-%"))
    }
    return next(
        candidate
        for number in range(2, len(taken) + 3)
        if (candidate := f"{stem}-{number}") not in taken
    )


async def _existing(slug: str, principal: Principal | None, expected: int | None) -> DatasetRecord:
    _authorise(principal)
    record = await find_record(slug)
    if record is None or not may_see(record, principal):
        raise NotFound(f"no dataset '{slug}'")
    _authorise(principal, record.publisher)
    _expect_revision(record, expected)
    return record


def _keep_identity(raw: Any, slug: str) -> Any:
    if isinstance(raw, dict):
        raw.setdefault("slug", slug)
        if raw["slug"] != slug:
            raise InvalidDocument(
                [
                    Problem(
                        "slug",
                        f"cannot change the slug of '{slug}' by "
                        "editing it; create a new dataset instead",
                        "slug_changed",
                    )
                ]
            )
    return raw


async def replace_dataset(
    slug: str, raw: Any, expected: int | None, principal: Principal | None
) -> DatasetRecord:
    record = await _existing(slug, principal, expected)
    document = await validate(_keep_identity(raw, slug))
    _authorise(principal, document.organisational.publisher)
    await _guard_edit(record, document)
    return await _write(document, principal, record)


async def patch_dataset(
    slug: str, patch: Any, expected: int | None, principal: Principal | None
) -> DatasetRecord:
    """Apply a JSON Merge Patch (RFC 7396) to the stored document."""
    record = await _existing(slug, principal, expected)
    if not isinstance(patch, dict):
        raise InvalidDocument([Problem("(document)", "a merge patch must be a JSON object")])
    raw = merge_patch(record.document.model_dump(mode="json"), patch)
    document = await validate(_keep_identity(raw, slug))
    _authorise(principal, document.organisational.publisher)
    await _guard_edit(record, document)
    return await _write(document, principal, record)


async def withdraw_dataset(
    slug: str, expected: int | None, principal: Principal | None, reason: str = ""
) -> DatasetRecord:
    """Delete is soft: the dataset leaves feeds and search but keeps its history."""
    record = await _existing(slug, principal, expected)
    if record.document.status == Status.WITHDRAWN:
        return record
    document = record.document.model_copy(update={"status": Status.WITHDRAWN})
    return await _write(document, principal, record, reason=reason)


async def import_document(document: DatasetDocument, principal: Principal | None) -> DatasetRecord:
    """Store an already validated document as new, or as the next revision (seed, imports)."""
    existing = await find_record(document.slug)
    if existing is not None and existing.document == document:
        return existing
    return await _write(document, principal, existing)
