"""Sends queued webhook deliveries: in the background, never on a request's path.

The worker (started by :func:`webhook_lifespan` in every app process) takes due deliveries
with a lease: one ``UPDATE ... RETURNING`` that on PostgreSQL picks its rows ``FOR UPDATE
SKIP LOCKED`` (so workers of several processes or nodes never take the same one) and on
SQLite runs in an immediate transaction (one writer at a time). It sends at most
:data:`CONCURRENCY` at once, each bounded by :data:`TIMEOUT_SECONDS`, logs every attempt
(status, time, the first bytes of the answer or the error), and schedules a failed one again
after :func:`rules.backoff`. A crash mid-send leaves the lease to run out; the delivery is
then taken again (receivers de-duplicate by the ``X-Catalogue-Delivery`` id).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
import json
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx

from catalogue import __version__
from catalogue.db import write_transaction
from catalogue.search.changelog import is_postgres
from catalogue.webhooks import rules
from catalogue.webhooks.tables import Webhook, WebhookAttempt, WebhookDelivery

log = logging.getLogger("catalogue.webhooks")

CONCURRENCY = 4
TIMEOUT_SECONDS = 10.0
POLL_SECONDS = 5.0
EXCERPT_CHARS = 500
COMMIT_WAIT_SECONDS = 30.0
_wake: dict[int, asyncio.Event] = {}
_tasks: set[asyncio.Task[Any]] = set()

CLAIM = """
UPDATE webhook_delivery SET lease_until = {{}}, attempts = attempts + 1
WHERE id IN (
    SELECT id FROM webhook_delivery
    WHERE state = 'pending' AND next_attempt <= {{}}
      AND (lease_until IS NULL OR lease_until < {{}})
    ORDER BY next_attempt, id LIMIT {{}} {lock}
)
RETURNING id, webhook, event, body, attempts
"""


@dataclass(frozen=True)
class Claimed:
    id: int
    url: str
    secret: str
    event: str
    body: str
    attempts: int


def _event() -> asyncio.Event:
    loop = id(asyncio.get_running_loop())
    if loop not in _wake:
        _wake[loop] = asyncio.Event()
    return _wake[loop]


def wake_after_commit() -> None:
    """Wake this process's worker once the current transaction has committed."""
    transaction = WebhookDelivery._meta.db.current_transaction.get()
    task = asyncio.get_running_loop().create_task(
        _wake_after(transaction), context=contextvars.Context()
    )
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


async def _wake_after(transaction: Any) -> None:
    """Piccolo has no after-commit hook, so watch the transaction's own flags."""
    deadline = time.monotonic() + COMMIT_WAIT_SECONDS
    while transaction is not None and time.monotonic() < deadline:
        if getattr(transaction, "_rolled_back", False):
            return
        if getattr(transaction, "_committed", False):
            break
        await asyncio.sleep(0.001)
    _event().set()


async def claim(limit: int, now: dt.datetime | None = None) -> list[Claimed]:
    """Take up to ``limit`` due deliveries (a lease of twice the timeout) with their hooks."""
    now = now or dt.datetime.now(dt.UTC)
    lease = now + dt.timedelta(seconds=2 * TIMEOUT_SECONDS + 5)
    due = await WebhookDelivery.exists().where(
        (WebhookDelivery.state == "pending") & (WebhookDelivery.next_attempt <= now)
    )
    if not due:  # the common case: a cheap read, no write lock
        return []
    sql = CLAIM.format(lock="FOR UPDATE SKIP LOCKED" if is_postgres() else "")
    async with write_transaction():
        rows = await WebhookDelivery.raw(sql, lease, now, now, limit)
    if not rows:
        return []
    hooks = {
        row["id"]: row
        for row in await Webhook.select(Webhook.id, Webhook.url, Webhook.secret).where(
            Webhook.id.is_in(sorted({row["webhook"] for row in rows}))
        )
    }
    return [
        Claimed(
            row["id"],
            hooks[row["webhook"]]["url"],
            hooks[row["webhook"]]["secret"],
            row["event"],
            row["body"],
            row["attempts"],
        )
        for row in rows
        if row["webhook"] in hooks
    ]


async def send(client: httpx.AsyncClient, delivery: Claimed) -> None:
    """One attempt: POST the signed body, log the answer, settle or reschedule."""
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": f"strategic-data-catalogue/{__version__} (webhooks)",
        rules.EVENT_HEADER: delivery.event,
        rules.DELIVERY_HEADER: str(json.loads(delivery.body).get("id", delivery.id)),
        rules.SIGNATURE_HEADER: rules.signature(delivery.secret, body),
    }
    status, excerpt, error = None, "", ""
    started = time.monotonic()
    try:
        async with asyncio.timeout(TIMEOUT_SECONDS):
            response = await client.post(delivery.url, content=body, headers=headers)
            status, excerpt = response.status_code, response.text[:EXCERPT_CHARS]
    except TimeoutError:
        error = f"no answer within {TIMEOUT_SECONDS:g} s"
    except httpx.HTTPError as problem:
        error = f"{type(problem).__name__}: {problem}"[:EXCERPT_CHARS]
    duration = int((time.monotonic() - started) * 1000)
    await settle(delivery, status, duration, excerpt, error)


async def settle(
    delivery: Claimed, status: int | None, duration_ms: int, excerpt: str, error: str
) -> None:
    now = dt.datetime.now(dt.UTC)
    values: dict[Any, Any] = {WebhookDelivery.lease_until: None}
    if rules.succeeded(status):
        values.update({WebhookDelivery.state: "delivered", WebhookDelivery.finished: now})
    elif delivery.attempts >= rules.MAX_ATTEMPTS:
        values.update({WebhookDelivery.state: "failed", WebhookDelivery.finished: now})
    else:
        values[WebhookDelivery.next_attempt] = now + dt.timedelta(
            seconds=rules.backoff(delivery.attempts)
        )
    async with write_transaction():
        if not await WebhookDelivery.exists().where(WebhookDelivery.id == delivery.id):
            return  # its hook was removed while it was being sent
        await WebhookAttempt.insert(
            WebhookAttempt(
                delivery=delivery.id,
                at=now,
                status=status,
                duration_ms=duration_ms,
                response_excerpt=excerpt,
                error=error,
            )
        )
        await WebhookDelivery.update(values).where(WebhookDelivery.id == delivery.id)


async def run_once(client: httpx.AsyncClient) -> int:
    """Send what is due, :data:`CONCURRENCY` at a time; how many were sent."""
    claimed = await claim(CONCURRENCY)
    if claimed:
        await asyncio.gather(*(send(client, delivery) for delivery in claimed))
    return len(claimed)


async def _work() -> None:
    wake = _event()
    async with httpx.AsyncClient(follow_redirects=False) as client:
        while True:
            try:
                while await run_once(client):
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("sending webhook deliveries failed; trying again")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), timeout=POLL_SECONDS)
            wake.clear()


@contextlib.asynccontextmanager
async def webhook_lifespan(_: Any = None) -> AsyncIterator[None]:
    task = asyncio.get_running_loop().create_task(_work())
    try:
        yield
    finally:
        task.cancel()
        await asyncio.wait([task], timeout=5)
