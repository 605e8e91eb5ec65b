"""Explicit parameter markers (Litestar 3 drops the inferred style); every controller uses them."""

from __future__ import annotations

from typing import Any

from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody, QueryParameter

from catalogue.accounts.principal import Principal

CurrentPrincipal = NamedDependency[Principal | None]
"""Inject as ``principal: CurrentPrincipal`` (``None`` when anonymous)."""

JsonObject = JSONBody[dict[str, Any]]
"""A JSON object body, validated by the domain (so every problem is reported, not the first)."""

__all__ = [
    "CurrentPrincipal",
    "FromPath",
    "FromQuery",
    "HeaderParameter",
    "JsonObject",
    "QueryParameter",
]
