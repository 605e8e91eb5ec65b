"""Identifier schemes move the catalogue read version.

A dataset page names the schemes its identifiers follow; pages are kept per catalogue
version for anonymous visitors (``catalogue.ui.page_cache``), so renaming a scheme must move
the version like any change to a dataset.
"""

from catalogue.datasets.read_version import trigger_migration

ID = "2026-12-07T01:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "identifier schemes move the catalogue read version"

forwards = trigger_migration(ID, "datasets", DESCRIPTION, [("identifier_scheme", ())])
