"""The API's addresses, built at the edge (domain messages name no URL)."""

from __future__ import annotations

from typing import Any

from catalogue import __version__
from catalogue.settings import Settings

API = "/api/v1"
ORGANISATIONS = f"{API}/organisations"


def api_index(settings: Settings) -> dict[str, Any]:
    """Where to start: the API's main resources (JSON clients of ``/`` get this)."""
    return {
        "catalogue": settings.catalogue_title,
        "version": __version__,
        "api": {
            "datasets": f"{API}/datasets",
            "organisations": ORGANISATIONS,
            "vocabularies": f"{API}/vocabularies",
            "tokens": f"{API}/tokens",
            "openapi": "/schema",
        },
    }
