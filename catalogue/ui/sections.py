"""Parts of the dataset and organisation pages that other domains provide.

The register of data use shows who uses a dataset, and which agreements an organisation is
party to; the pages here do not import it (it imports the UI's rendering). Each part is a
``(name, section)`` pair installed by :mod:`catalogue.wiring`: ``await section(slug,
principal, lang)`` gives the value the template reads under ``name``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from catalogue.accounts.principal import Principal
from catalogue.plugs import Registry

Section = Callable[[str, Principal | None, str], Awaitable[Any]]

DATASET_SECTIONS: Registry[tuple[str, Section]] = Registry("dataset page sections")
ORGANISATION_SECTIONS: Registry[tuple[str, Section]] = Registry("organisation page sections")


async def fill(
    registry: Registry[tuple[str, Section]], slug: str, principal: Principal | None, lang: str
) -> dict[str, Any]:
    """Every section's value for the page of ``slug``, by name."""
    return {name: await section(slug, principal, lang) for name, section in registry.required()}


def empty(registry: Registry[tuple[str, Section]]) -> dict[str, Any]:
    """Every section left empty (the page does not show them for this item)."""
    return {name: [] for name, _ in registry.required()}
