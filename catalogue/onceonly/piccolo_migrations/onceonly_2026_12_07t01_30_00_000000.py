"""Services' uses of datasets move the catalogue read version.

The transparency pages list which services use each personal dataset, read from
``service_use``; they are kept per catalogue version for anonymous visitors
(``catalogue.ui.page_cache``), so a use recorded or withdrawn must move the version even when
it is written apart from its agreement.
"""

from catalogue.datasets.read_version import trigger_migration

ID = "2026-12-07T01:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "service uses move the catalogue read version"

forwards = trigger_migration(ID, "onceonly", DESCRIPTION, [("service_use", ())])
