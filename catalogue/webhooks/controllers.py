"""``/api/v1/webhooks``: administrators register receivers and read their delivery log."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, post
from litestar.params import PathParameter

from catalogue.web.auth import require_principal
from catalogue.web.openapi import errors
from catalogue.web.params import CurrentPrincipal, JSONBody
from catalogue.webhooks import service
from catalogue.webhooks.schemas import (
    DeletedWebhookOut,
    DeliveryListOut,
    RegisteredWebhookOut,
    WebhookBody,
    WebhookListOut,
    WebhookOut,
)

HookId = Annotated[int, PathParameter(ge=1, le=2_147_483_647, description="A webhook's id")]


class WebhookController(Controller):
    path = "/api/v1/webhooks"
    tags = ["webhooks"]

    @get("/", summary="Every webhook (admin)", responses=errors(401, 403))
    async def list_webhooks(self, principal: CurrentPrincipal) -> WebhookListOut:
        return {"items": await service.list_hooks(require_principal(principal))}

    @post(
        "/",
        summary="Register a webhook (admin); the answer holds its secret, shown once",
        responses=errors(401, 403, 413, 422),
    )
    async def register_webhook(
        self, data: JSONBody[WebhookBody], principal: CurrentPrincipal
    ) -> RegisteredWebhookOut:
        return await service.register(data, require_principal(principal))

    @get("/{hook_id:int}", summary="One webhook (admin)", responses=errors(401, 403, 404))
    async def get_webhook(self, hook_id: HookId, principal: CurrentPrincipal) -> WebhookOut:
        return await service.get_hook(hook_id, require_principal(principal))

    @delete(
        "/{hook_id:int}",
        status_code=200,
        summary="Remove a webhook and its log (admin)",
        responses=errors(401, 403, 404),
    )
    async def delete_webhook(
        self, hook_id: HookId, principal: CurrentPrincipal
    ) -> DeletedWebhookOut:
        await service.delete_hook(hook_id, require_principal(principal))
        return {"id": hook_id, "deleted": True}

    @get(
        "/{hook_id:int}/deliveries",
        summary="A webhook's newest 50 deliveries, each attempt with its answer (admin)",
        responses=errors(401, 403, 404),
    )
    async def list_deliveries(
        self, hook_id: HookId, principal: CurrentPrincipal
    ) -> DeliveryListOut:
        return {"items": await service.deliveries(hook_id, require_principal(principal))}
