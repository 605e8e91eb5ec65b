"""Webhooks: who is told of which events, and every delivery with each attempt's answer."""

from piccolo.columns import (
    JSON,
    BigSerial,
    Boolean,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Webhook(Table):
    """A receiver an administrator registered. ``secret`` keys the HMAC signature of every
    delivery; it is shown once, when the hook is made, and never again."""

    id = Serial(primary_key=True)
    url = Varchar(length=2000)
    events = JSON(default=[])
    description = Varchar(length=500, default="")
    secret = Varchar(length=128, secret=True)
    active = Boolean(default=True)
    created = Timestamptz(default=TimestamptzNow())
    created_by = Varchar(length=320, default="")


class WebhookDelivery(Table, tablename="webhook_delivery"):
    """One event for one hook: queued in the writing transaction, sent by the worker.

    ``state`` is ``pending`` (due at ``next_attempt``), ``delivered`` or ``failed`` (gave up
    after the last attempt). ``lease_until`` is set while a worker is sending it, so another
    worker (or node) does not send it too; a lease that runs out is taken again."""

    id = BigSerial(primary_key=True)
    webhook = ForeignKey(Webhook, null=False, index=True, on_delete=OnDelete.cascade)
    event = Varchar(length=50)
    body = Text()
    state = Varchar(length=20, default="pending", index=True)
    attempts = Integer(default=0)
    next_attempt = Timestamptz(default=TimestamptzNow(), index=True)
    lease_until = Timestamptz(null=True, default=None)
    created = Timestamptz(default=TimestamptzNow())
    finished = Timestamptz(null=True, default=None)


class WebhookAttempt(Table, tablename="webhook_attempt"):
    """What one attempt got back: the status (none when it failed to connect or timed out),
    how long it took, the first bytes of the answer, or the error."""

    id = BigSerial(primary_key=True)
    delivery = ForeignKey(WebhookDelivery, null=False, index=True, on_delete=OnDelete.cascade)
    at = Timestamptz(default=TimestamptzNow())
    status = Integer(null=True, default=None)
    duration_ms = Integer(default=0)
    response_excerpt = Varchar(length=500, default="")
    error = Varchar(length=500, default="")
