"""The audit key as bytes (it lives outside the database: ``CATALOGUE_AUDIT_KEY`` or a 0600
file in the data folder, see :mod:`catalogue.settings`)."""

from __future__ import annotations

from catalogue.settings import get_settings


def audit_key() -> bytes:
    return get_settings().audit_key.encode("utf-8")
