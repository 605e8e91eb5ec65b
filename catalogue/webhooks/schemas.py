"""The shapes of ``/api/v1/webhooks`` bodies, as OpenAPI documents them."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from catalogue.web.openapi import Body, Shape
from catalogue.webhooks.rules import EVENTS
from catalogue.webhooks.service import WebhookDocument

EXAMPLE = {
    "url": "https://receiver.example.org/catalogue-events",
    "events": ["dataset.published", "dataset.withdrawn"],
    "description": "Our portal's harvester",
}


class WebhookInfo(Body):
    id: int
    url: str
    events: list[str] = Field(description=f"Any of: {', '.join(EVENTS)}")
    description: str
    active: bool
    created: str | None
    created_by: str


class RegisteredWebhook(WebhookInfo):
    secret: str = Field(description="Keys the X-Catalogue-Signature HMAC: shown only this once")


class WebhookList(Body):
    items: list[WebhookInfo]


class Attempt(Body):
    at: str
    status: int | None = Field(description="The receiver's HTTP status; none on a timeout")
    duration_ms: int
    response_excerpt: str
    error: str


class Delivery(Body):
    id: int
    event: str
    state: str = Field(description="pending, delivered or failed")
    attempts: list[Attempt]
    next_attempt: str | None
    created: str
    finished: str | None
    body: str = Field(description="The JSON sent, exactly as signed")


class DeliveryList(Body):
    items: list[Delivery]


class DeletedWebhook(Body):
    id: int
    deleted: bool


WebhookBody = Annotated[dict[str, Any], Shape(WebhookDocument, EXAMPLE)]
WebhookOut = Annotated[dict[str, Any], Shape(WebhookInfo)]
RegisteredWebhookOut = Annotated[dict[str, Any], Shape(RegisteredWebhook)]
WebhookListOut = Annotated[dict[str, Any], Shape(WebhookList)]
DeliveryListOut = Annotated[dict[str, Any], Shape(DeliveryList)]
DeletedWebhookOut = Annotated[dict[str, Any], Shape(DeletedWebhook)]
