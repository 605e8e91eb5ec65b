"""Proposing, changing, deciding and expiring data-use agreements.

Every write runs the purpose-compatibility check, stores its result with the agreement and
announces a ``Change("agreement", ...)`` inside its transaction, so the audit trail records it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from catalogue.accounts.principal import DPO, STEWARD, Principal
from catalogue.agreements.changes import announce_change, title_of
from catalogue.agreements.expiry import expire_due as expire_due  # re-exported for callers
from catalogue.agreements.expiry import get_fresh, today
from catalogue.agreements.records import AgreementRecord, find_record
from catalogue.agreements.tables import Agreement
from catalogue.datasets.queries import DatasetRecord
from catalogue.datasets.queries import find_record as find_dataset
from catalogue.db import write_transaction
from catalogue.domain import compatibility
from catalogue.domain.agreement import (
    EDITABLE_STATUSES,
    REASON_REQUIRED,
    AgreementDocument,
    AgreementStatus,
    Decision,
    next_status,
    parse_agreement,
    parse_assessment,
)
from catalogue.domain.dataset import Classification, Status
from catalogue.domain.patch import merge_patch
from catalogue.errors import (
    Forbidden,
    InvalidDocument,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    Problem,
    Unauthorised,
)
from catalogue.organisations.tables import Organisation
from catalogue.vocabularies import default_vocabularies


def _signed_in(principal: Principal | None) -> Principal:
    if principal is None:
        raise Unauthorised("sign in or send 'Authorization: Bearer <token>' to manage agreements")
    return principal


def may_propose(principal: Principal | None, consumer: str) -> bool:
    return principal is not None and (principal.is_admin or principal.has_role(consumer, STEWARD))


def may_decide(principal: Principal | None, provider: str) -> bool:
    return principal is not None and (
        principal.is_admin
        or principal.has_role(provider, STEWARD)
        or principal.has_role(provider, DPO)
    )


async def _organisation(slug: str) -> dict[str, Any] | None:
    return (
        await Organisation.select(Organisation.id, Organisation.type)
        .where(Organisation.slug == slug)
        .first()
    )


async def dataset_for(document: AgreementDocument) -> tuple[DatasetRecord, dict[str, Any]]:
    """The dataset and consumer the proposal names, or a 422 naming what is wrong with them."""
    problems: list[Problem] = []
    dataset = await find_dataset(document.dataset)
    consumer = await _organisation(document.consumer)
    if dataset is None or dataset.document.status != Status.PUBLISHED:
        problems.append(
            Problem(
                "dataset",
                f"There is no published dataset '{document.dataset}'; agreements cover "
                "published datasets only.",
                "unknown_dataset",
            )
        )
    elif dataset.document.classification == Classification.OPEN:
        problems.append(
            Problem(
                "dataset",
                f"'{document.dataset}' is open data: anyone may reuse it under its licence, so "
                "no agreement is needed.",
                "open_dataset",
            )
        )
    if consumer is None:
        problems.append(
            Problem(
                "consumer",
                f"There is no organisation '{document.consumer}'; the list of organisations names "
                "each one.",
                "unknown_organisation",
            )
        )
    if problems:
        raise InvalidDocument(problems)
    assert dataset is not None and consumer is not None
    return dataset, consumer


def run_check(
    document: AgreementDocument, dataset: DatasetRecord, consumer_type: str, on: dt.date
) -> compatibility.CheckResult:
    context = compatibility.CheckContext(
        dataset=dataset.document,
        consumer_type=consumer_type or None,
        vocabularies=default_vocabularies(),
        today=on,
    )
    return compatibility.check(document, context)


def _refuse_errors(result: compatibility.CheckResult) -> None:
    if result.errors:
        raise InvalidDocument([finding.as_problem() for finding in result.errors])


async def propose(
    raw: Any,
    principal: Principal | None,
    on: dt.date | None = None,
    reference: str | None = None,
    status: AgreementStatus = AgreementStatus.PROPOSED,
    decisions: list[dict[str, Any]] | None = None,
    as_system: bool = False,
) -> AgreementRecord:
    """Record a proposal by a steward of the consuming organisation.

    The seed loads agreements ``as_system`` with their recorded status and decisions; they
    still pass the check (on their own start date), so the demo register is lawful too.
    """
    on = on or today()
    if not as_system:
        principal = _signed_in(principal)
    document = parse_agreement(raw)
    if not as_system and not may_propose(principal, document.consumer):
        raise Forbidden(
            f"only stewards of '{document.consumer}' (or an administrator) may propose agreements "
            "on its behalf"
        )
    dataset, consumer = await dataset_for(document)
    result = run_check(document, dataset, consumer["type"], on)
    _refuse_errors(result)
    provider = await _organisation(dataset.publisher)
    assert provider is not None
    agreement_id = uuid.uuid4()
    now = dt.datetime.now(dt.UTC)
    async with write_transaction():
        await Agreement.insert(
            Agreement(
                id=agreement_id,
                reference=reference or f"DUA-{agreement_id.hex[:8].upper()}",
                dataset=dataset.id,
                consumer=consumer["id"],
                provider=provider["id"],
                status=status.value,
                outcome=result.outcome.value,
                revision=1,
                document=document.model_dump(mode="json"),
                check_result=result.as_dict(),
                decision=decisions or [],
                valid_from=document.valid_from,
                valid_until=document.valid_until,
                proposed_by=principal.user_id if principal else None,
                created=now,
                modified=now,
                title=title_of(document),
            )
        )
        record = await find_record(str(agreement_id))
        assert record is not None
        await announce_change("propose", record, None, principal)
    return record


def _expect_revision(record: AgreementRecord, expected: int | None, required: bool) -> None:
    """A change names the revision it was made on (``expected``): needed for edits, optional
    for decisions; when named, it must be the current one."""
    if expected is None:
        if required:
            raise PreconditionRequired(
                "send If-Match with the ETag you read (the agreement's revision), so that nobody "
                "overwrites a change they have not seen"
            )
        return
    if expected != record.revision:
        sent = f"you sent revision {expected}" if expected > 0 else "you named no revision"
        raise PreconditionFailed(
            f"the agreement changed since you read it: {sent}, it is now at "
            f"revision {record.revision}; read it again and reapply your change",
            record.revision,
        )


async def _save(
    record: AgreementRecord,
    values: dict[Any, Any],
    action: str,
    actor: Principal | None,
    reason: str = "",
) -> AgreementRecord:
    """Write ``values`` if nobody changed the agreement meanwhile; announce the change."""
    values = {**values, Agreement.revision: record.revision + 1}
    values[Agreement.modified] = dt.datetime.now(dt.UTC)
    async with write_transaction():
        updated = (
            await Agreement.update(values)
            .where((Agreement.id == record.id) & (Agreement.revision == record.revision))
            .returning(Agreement.id)
        )
        if not updated:
            raise PreconditionFailed(
                "the agreement changed while you were saving; read it again", record.revision + 1
            )
        saved = await find_record(str(record.id))
        assert saved is not None
        await announce_change(action, saved, record, actor, reason)
    return saved


async def update(
    agreement_id: str,
    raw: Any,
    expected: int | None,
    principal: Principal | None,
    merge: bool = False,
    on: dt.date | None = None,
) -> AgreementRecord:
    """Change a proposal (PUT replaces, PATCH merges) while the provider has not decided."""
    on = on or today()
    principal = _signed_in(principal)
    record = await get_fresh(agreement_id, principal, on)
    if not may_propose(principal, record.document.consumer):
        raise Forbidden(f"only stewards of '{record.document.consumer}' may change this proposal")
    _expect_revision(record, expected, required=True)
    if record.status not in EDITABLE_STATUSES:
        raise InvalidDocument(
            [
                Problem(
                    "status",
                    f"the agreement is {record.status.value}; only proposals that are proposed "
                    "or under review can be changed (propose a new agreement instead)",
                    "not_editable",
                )
            ]
        )
    current = record.document.model_dump(mode="json")
    if merge:
        if not isinstance(raw, dict):
            raise InvalidDocument([Problem("(document)", "must be a JSON object")])
        raw = merge_patch(current, raw)
    document = parse_agreement(raw)
    fixed = [
        Problem(
            name, f"cannot change; it is '{current[name]}' (propose a new agreement)", "immutable"
        )
        for name in ("dataset", "consumer")
        if getattr(document, name) != current[name]
    ]
    if fixed:
        raise InvalidDocument(fixed)
    dataset, consumer = await dataset_for(document)
    result = run_check(document, dataset, consumer["type"], on)
    _refuse_errors(result)
    values = {
        Agreement.document: document.model_dump(mode="json"),
        Agreement.check_result: result.as_dict(),
        Agreement.outcome: result.outcome.value,
        Agreement.valid_from: document.valid_from,
        Agreement.valid_until: document.valid_until,
        Agreement.title: title_of(document),
    }
    return await _save(record, values, "update", principal)


async def decide(
    agreement_id: str,
    decision: Decision,
    body: dict[str, Any] | None,
    principal: Principal | None,
    expected: int | None = None,
    on: dt.date | None = None,
) -> AgreementRecord:
    """Review, approve, reject or suspend: the provider's stewards or DPO decide."""
    on = on or today()
    principal = _signed_in(principal)
    body = body or {}
    record = await get_fresh(agreement_id, principal, on)
    if not may_decide(principal, record.provider):
        raise Forbidden(
            f"only stewards or the data protection officer of '{record.provider}' (the provider) "
            f"may {decision.value} this agreement"
        )
    _expect_revision(record, expected, required=False)
    reason = body.get("reason", "")
    problems: list[Problem] = []
    if not isinstance(reason, str):
        problems.append(Problem("reason", "must be text"))
        reason = ""
    reason = reason.strip()
    if decision in REASON_REQUIRED and not reason:
        problems.append(
            Problem("reason", f"say why you {decision.value} the agreement", "reason_required")
        )
    unknown = sorted(set(body) - {"reason", "assessment"})
    problems += [
        Problem(name, "is not a field we know; send reason (and assessment)", "extra")
        for name in unknown
    ]
    if problems:
        raise InvalidDocument(problems)
    target = next_status(record.status, decision)
    values: dict[Any, Any] = {Agreement.status: target.value}
    if decision == Decision.APPROVE:
        values.update(await _approval(record, body.get("assessment"), on))
    entry = {
        "action": decision.value,
        "status": target.value,
        "reason": reason,
        "by": principal.name,
        "by_user_id": principal.user_id,
        "at": dt.datetime.now(dt.UTC).isoformat(),
    }
    values[Agreement.decision] = [*record.decisions, entry]
    return await _save(record, values, decision.value, principal, reason)


async def _approval(record: AgreementRecord, raw_assessment: Any, on: dt.date) -> dict[Any, Any]:
    """Re-run the check (the dataset may have changed); demand the Art. 6(4) answers if needed."""
    document = record.document
    assessment = parse_assessment(raw_assessment)
    if assessment is not None:
        document = document.model_copy(update={"assessment": assessment})
    dataset, consumer = await dataset_for(document)
    result = run_check(document, dataset, consumer["type"], on)
    _refuse_errors(result)
    missing = compatibility.missing_assessment(result.outcome.value, document.assessment)
    if missing:
        raise InvalidDocument(missing)
    return {
        Agreement.document: document.model_dump(mode="json"),
        Agreement.check_result: result.as_dict(),
        Agreement.outcome: result.outcome.value,
    }


async def require_visible_dataset(slug: str, principal: Principal | None) -> DatasetRecord:
    from catalogue.datasets.queries import may_see

    dataset = await find_dataset(slug)
    if dataset is None or not may_see(dataset, principal):
        raise NotFound(f"no dataset '{slug}'")
    return dataset
