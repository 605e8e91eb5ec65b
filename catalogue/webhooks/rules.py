"""What a webhook is told, and how: plain Python, no HTTP or SQL.

* Which events a change makes (:func:`events_of`): a dataset is *published* when the public
  starts to see it, *changed* when a dataset the public sees is written again, *withdrawn*
  when the public stops seeing it (``disclosure.is_public`` decides); an agreement is
  *decided* when its provider approves, rejects or suspends it. Drafts make no event.
* What a delivery says (:func:`payload`): identifiers, status and links only: what any
  reader of the public catalogue may learn, never a document's text or internal note.
* How a receiver checks it came from us (:func:`signature`): HMAC-SHA256 over the exact
  body with the hook's secret, ``sha256=<hex>`` as GitHub and others do.
* When to try again (:func:`backoff`): exponential, capped, for :data:`MAX_ATTEMPTS`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from catalogue.domain import disclosure

DATASET_PUBLISHED = "dataset.published"
DATASET_CHANGED = "dataset.changed"
DATASET_WITHDRAWN = "dataset.withdrawn"
AGREEMENT_DECIDED = "agreement.decided"
EVENTS = (DATASET_PUBLISHED, DATASET_CHANGED, DATASET_WITHDRAWN, AGREEMENT_DECIDED)
DECISIONS = ("approve", "reject", "suspend")

SIGNATURE_HEADER = "X-Catalogue-Signature"
EVENT_HEADER = "X-Catalogue-Event"
DELIVERY_HEADER = "X-Catalogue-Delivery"
MAX_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 10.0
MAX_RETRY_SECONDS = 6 * 3600.0


@dataclass(frozen=True)
class Event:
    name: str
    data: dict[str, Any]


def _status(document: Mapping[str, Any] | None) -> str | None:
    return str(document.get("status")) if document else None


def dataset_event(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> str | None:
    """The event a dataset write makes, or None when the public sees no difference."""
    was, now = _status(before), _status(after)
    was_public = was is not None and disclosure.is_public(was)
    is_public = now is not None and disclosure.is_public(now)
    if is_public and not was_public:
        return DATASET_PUBLISHED
    if is_public:
        return DATASET_CHANGED
    if was_public:
        return DATASET_WITHDRAWN
    return None


def events_of(
    kind: str,
    action: str,
    object_id: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    extra: Mapping[str, Any],
    base_url: str,
) -> list[Event]:
    """The events one announced change makes (none, or one)."""
    if kind == "dataset":
        name = dataset_event(before, after)
        if name is None:
            return []
        document = after or before or {}
        slug = str(document.get("slug", ""))
        organisational = document.get("organisational") or {}
        return [
            Event(
                name,
                {
                    "dataset": {
                        "id": object_id,
                        "slug": slug,
                        "status": _status(after) or _status(before),
                        "classification": document.get("classification"),
                        "publisher": organisational.get("publisher"),
                        "revision": extra.get("revision"),
                        "links": {
                            "html": f"{base_url}/dataset/{slug}",
                            "api": f"{base_url}/api/v1/datasets/{slug}",
                            "rdf": f"{base_url}/dataset/{slug}.ttl",
                        },
                    },
                },
            )
        ]
    if kind == "agreement" and action in DECISIONS:
        return [
            Event(
                AGREEMENT_DECIDED,
                {
                    "agreement": {
                        "id": object_id,
                        "decision": action,
                        "status": _status(after),
                        "dataset": extra.get("dataset"),
                        "consumer": extra.get("consumer"),
                        "provider": extra.get("provider"),
                        "links": {
                            "api": f"{base_url}/api/v1/agreements/{object_id}",
                            "html": f"{base_url}/agreements/{object_id}",
                        },
                    },
                },
            )
        ]
    return []


def payload(event: Event, delivery_id: str, at: dt.datetime) -> str:
    """The body sent, exactly as signed."""
    return json.dumps(
        {"id": delivery_id, "event": event.name, "occurred_at": at.isoformat(), **event.data},
        separators=(",", ":"),
        sort_keys=True,
    )


def new_delivery_id() -> str:
    return str(uuid.uuid4())


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does (and the tests): compare in constant time."""
    return hmac.compare_digest(signature(secret, body), header)


def backoff(attempts: int) -> float:
    """Seconds to wait after the ``attempts``-th failed attempt: 10 s, 20 s, 40 s ... 6 h."""
    return min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS)


def succeeded(status: int | None) -> bool:
    return status is not None and 200 <= status < 300
