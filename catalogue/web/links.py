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


def dataset_links(slug: str) -> dict[str, str]:
    """Where a dataset's JSON twin points: itself, its page, its history, its problems."""
    return {
        "self": f"{API}/datasets/{slug}",
        "html": f"/dataset/{slug}",
        "history": f"{API}/datasets/{slug}/history",
        "problems": f"{API}/datasets/{slug}/problems",
    }


def with_dataset_links(body: dict[str, Any]) -> dict[str, Any]:
    """A dataset's JSON twin (from ``datasets.representation.represent``) with its links."""
    return {**body, "links": dataset_links(body["slug"])}


def agreement_links(agreement_id: object, dataset: str) -> dict[str, str]:
    return {
        "self": f"{API}/agreements/{agreement_id}",
        "page": f"/agreements/{agreement_id}",
        "dataset": f"{API}/datasets/{dataset}",
    }


def with_agreement_links(body: dict[str, Any]) -> dict[str, Any]:
    """An agreement's JSON twin (from ``agreements.records.represent``) with its links."""
    return {**body, "links": agreement_links(body["id"], body["dataset"])}
