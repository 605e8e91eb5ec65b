"""What goes into an audit event, and who may read the log: plain Python rules.

Diffs are the changed leaves of the change's before/after (``changed_fields``), with anything
secret (password hashes, token secrets) replaced by a marker that says only *that* it changed.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from catalogue.accounts.principal import Principal
from catalogue.domain.patch import changed_fields
from catalogue.errors import Forbidden
from catalogue.events import Change

REDACTED = "[redacted]"
SECRET_KEYS = frozenset(
    {"password", "password_hash", "token", "token_hash", "secret", "secret_key", "api_key"}
)
"""Keys whose values never reach the log (compared case-insensitively, at any depth)."""

SYSTEM_ACTOR = "system"
LABEL_LENGTH = 500


@functools.lru_cache(maxsize=4096)  # the same few hundred keys, walked in every document
def is_secret(key: str) -> bool:
    lowered = key.lower()
    return lowered in SECRET_KEYS or "password" in lowered


def redact(value: Any) -> Any:
    """A copy of ``value`` with every secret-looking key's value replaced by a marker."""
    if isinstance(value, dict):
        return {
            key: REDACTED if is_secret(str(key)) else redact(item) for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


def as_json(value: Any) -> Any:
    """Plain JSON values only (dates become ISO strings), so the hash is reproducible."""
    return json.loads(json.dumps(value, default=str))


def diff_of(change: Change) -> dict[str, dict[str, Any]]:
    """``{path: {"from": old, "to": new}}`` for every changed leaf, secrets redacted."""
    before = as_json(redact(change.before or {}))
    after = as_json(redact(change.after or {}))
    return changed_fields(before, after)


def _candidate_organisations(change: Change) -> list[str]:
    """Organisations the changed object belongs to, the most specific first."""
    candidates: list[Any] = [change.extra.get("organisation")]
    if change.kind == "organisation":
        candidates.append(change.label)
    for state in (change.after, change.before):
        if state and change.kind == "dataset":
            candidates.append((state.get("organisational") or {}).get("publisher"))
    candidates += [change.extra.get("provider"), change.extra.get("consumer")]
    for state in (change.after, change.before):
        if state:
            candidates += [state.get(key) for key in ("organisation", "provider", "consumer")]
    return list(dict.fromkeys(item for item in candidates if isinstance(item, str) and item))


def object_organisation(change: Change) -> str:
    """The organisation a change concerns, so oversight can follow one organisation's data.

    When the object involves several (an agreement: consumer and provider), the one the
    actor acted for is chosen.
    """
    candidates = _candidate_organisations(change)
    actor = change.actor
    for candidate in candidates:
        if actor is not None and candidate in actor.roles:
            return candidate
    return candidates[0] if candidates else ""


def actor_role(actor: Principal | None, organisation: str) -> str:
    """The role the actor held for this change: a global role, else their roles there."""
    if actor is None:
        return SYSTEM_ACTOR
    if actor.global_role:
        return actor.global_role
    return ",".join(sorted(actor.roles.get(organisation, frozenset())))


def refuse_auditor_writes(change: Change) -> None:
    """Auditors read everything and change nothing, except their own API tokens.

    The services check this first; the audit listener repeats it inside the writing
    transaction, so a write path that forgot the check still cannot commit.
    """
    actor = change.actor
    if actor is not None and actor.is_auditor and change.kind != "token":
        raise Forbidden("an auditor reads everything and changes nothing")


def may_read_audit_log(principal: Principal | None) -> bool:
    return principal is not None and principal.reads_everything


def event_values(change: Change) -> dict[str, Any]:
    """The columns of the audit event for ``change`` (without sequence, time and hashes)."""
    organisation = object_organisation(change)
    actor = change.actor
    return {
        "actor_id": actor.user_id if actor else None,
        "actor": (actor.name if actor else change.extra.get("actor_name") or SYSTEM_ACTOR)[:300],
        "actor_email": (actor.email if actor else "")[:320],
        "role": actor_role(actor, organisation)[:100],
        "organisation": organisation[:100],
        "action": change.action[:50],
        "object_kind": change.kind[:50],
        "object_id": str(change.object_id)[:100],
        "object_label": (change.label or "")[:LABEL_LENGTH],
        "diff": diff_of(change),
        "details": as_json(redact(change.extra or {})),
        "reason": change.reason or "",
    }
