"""Registering webhooks (administrators only) and queueing their deliveries.

:func:`enqueue` runs inside the writing transaction (the listener in :mod:`.listener` calls
it), so a delivery is queued exactly when the change commits and never holds up the write:
sending is the worker's job (:mod:`.worker`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import Field, StringConstraints, ValidationError

from catalogue.accounts.principal import Principal
from catalogue.db import write_transaction
from catalogue.domain.problems import problems_from_validation_error
from catalogue.domain.types import Model, ShortText, Url
from catalogue.errors import Forbidden, InvalidDocument, NotFound, Problem
from catalogue.events import Change, announce
from catalogue.settings import get_settings
from catalogue.webhooks import rules
from catalogue.webhooks.tables import Webhook, WebhookAttempt, WebhookDelivery

EventName = Annotated[str, StringConstraints(min_length=1, max_length=50)]
DELIVERY_PAGE = 50


class WebhookDocument(Model):
    """What an administrator registers: where to send, and which events."""

    url: Url
    events: list[EventName] = Field(min_length=1, max_length=len(rules.EVENTS))
    description: ShortText = ""
    active: bool = True


def _require_admin(principal: Principal | None) -> Principal:
    if principal is None or not principal.is_admin:
        raise Forbidden("only an administrator manages webhooks")
    return principal


def parse(raw: Any) -> WebhookDocument:
    """The document, or a 422 naming every bad field (``url`` that is not http(s), an
    unknown event ...)."""
    if not isinstance(raw, dict):
        raise InvalidDocument([Problem("", "must be a JSON object", "type")])
    try:
        document = WebhookDocument.model_validate(raw)
    except ValidationError as error:
        raise InvalidDocument(problems_from_validation_error(error)) from None
    problems = [
        Problem(
            f"events[{i}]",
            f"is not an event; use one of {', '.join(rules.EVENTS)}",
            "unknown_value",
        )
        for i, name in enumerate(document.events)
        if name not in rules.EVENTS
    ]
    if problems:
        raise InvalidDocument(problems)
    return document.model_copy(update={"events": list(dict.fromkeys(document.events))})


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "url": row["url"],
        "events": list(row["events"] or []),
        "description": row["description"],
        "active": row["active"],
        "created": row["created"].isoformat() if row["created"] else None,
        "created_by": row["created_by"],
    }


COLUMNS = (
    Webhook.id,
    Webhook.url,
    Webhook.events,
    Webhook.description,
    Webhook.active,
    Webhook.created,
    Webhook.created_by,
)


async def register(raw: Any, principal: Principal | None) -> dict[str, Any]:
    """A new hook, with its secret (the only time it is shown)."""
    actor = _require_admin(principal)
    document = parse(raw)
    secret = rules.new_secret()
    async with write_transaction():
        rows = await Webhook.insert(
            Webhook(
                url=document.url,
                events=document.events,
                description=document.description,
                secret=secret,
                active=document.active,
                created_by=actor.email,
            )
        ).returning(Webhook.id)
        hook_id = rows[0]["id"]
        await announce(
            Change(
                "webhook",
                "create",
                str(hook_id),
                document.url,
                actor,
                after={"url": document.url, "events": document.events},
            )
        )
    return {**await get_hook(hook_id, actor), "secret": secret}


async def list_hooks(principal: Principal | None) -> list[dict[str, Any]]:
    _require_admin(principal)
    rows = await Webhook.select(*COLUMNS).order_by(Webhook.id).output(load_json=True)
    return [_public(row) for row in rows]


async def get_hook(hook_id: int, principal: Principal | None) -> dict[str, Any]:
    _require_admin(principal)
    row = await Webhook.select(*COLUMNS).where(Webhook.id == hook_id).output(load_json=True).first()
    if row is None:
        raise NotFound(f"no webhook {hook_id}")
    return _public(row)


async def delete_hook(hook_id: int, principal: Principal | None) -> None:
    actor = _require_admin(principal)
    hook = await get_hook(hook_id, actor)
    async with write_transaction():
        await Webhook.delete().where(Webhook.id == hook_id)
        await announce(
            Change(
                "webhook",
                "delete",
                str(hook_id),
                hook["url"],
                actor,
                before={"url": hook["url"], "events": hook["events"]},
            )
        )


async def deliveries(hook_id: int, principal: Principal | None) -> list[dict[str, Any]]:
    """The newest deliveries of a hook, each with its attempts (status, time, answer)."""
    await get_hook(hook_id, principal)
    rows = await (
        WebhookDelivery.select(
            WebhookDelivery.id,
            WebhookDelivery.event,
            WebhookDelivery.state,
            WebhookDelivery.attempts,
            WebhookDelivery.next_attempt,
            WebhookDelivery.created,
            WebhookDelivery.finished,
            WebhookDelivery.body,
        )
        .where(WebhookDelivery.webhook == hook_id)
        .order_by(WebhookDelivery.id, ascending=False)
        .limit(DELIVERY_PAGE)
    )
    ids = [row["id"] for row in rows]
    attempts: dict[int, list[dict[str, Any]]] = {key: [] for key in ids}
    if ids:
        for attempt in await (
            WebhookAttempt.select(
                WebhookAttempt.delivery,
                WebhookAttempt.at,
                WebhookAttempt.status,
                WebhookAttempt.duration_ms,
                WebhookAttempt.response_excerpt,
                WebhookAttempt.error,
            )
            .where(WebhookAttempt.delivery.is_in(ids))
            .order_by(WebhookAttempt.id)
        ):
            attempts[attempt.pop("delivery")].append({**attempt, "at": attempt["at"].isoformat()})
    return [
        {
            "id": row["id"],
            "event": row["event"],
            "state": row["state"],
            "attempts": attempts[row["id"]],
            "next_attempt": row["next_attempt"].isoformat() if row["state"] == "pending" else None,
            "created": row["created"].isoformat(),
            "finished": row["finished"].isoformat() if row["finished"] else None,
            "body": row["body"],
        }
        for row in rows
    ]


async def enqueue(changes: Sequence[Change]) -> int:
    """Queue a delivery for every (event, hook that wants it); run inside the transaction."""
    base = get_settings().base_url
    events = [
        event
        for change in changes
        for event in rules.events_of(
            change.kind,
            change.action,
            change.object_id,
            change.before,
            change.after,
            change.extra,
            base,
        )
    ]
    if not events:
        return 0
    hooks = await (
        Webhook.select(Webhook.id, Webhook.events)
        .where(Webhook.active.eq(True))
        .output(load_json=True)
    )
    now = dt.datetime.now(dt.UTC)
    rows = [
        WebhookDelivery(
            webhook=hook["id"],
            event=event.name,
            next_attempt=now,
            created=now,
            body=rules.payload(event, rules.new_delivery_id(), now),
        )
        for event in events
        for hook in hooks
        if event.name in (hook["events"] or [])
    ]
    for start in range(0, len(rows), 500):
        await WebhookDelivery.insert(*rows[start : start + 500])
    return len(rows)
