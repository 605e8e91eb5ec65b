"""Every route of the once-only map and the service notices, as one router for the app."""

from __future__ import annotations

from litestar import Router

from catalogue.onceonly.api import OnceOnlyApi
from catalogue.onceonly.pages import (
    identifier_page,
    map_page,
    notice,
    register_page,
    registers_page,
    service_page,
)

ONCE_ONLY_ROUTER = Router(
    path="/",
    route_handlers=[
        OnceOnlyApi,
        map_page,
        registers_page,
        identifier_page,
        register_page,
        service_page,
        notice,
    ],
)
