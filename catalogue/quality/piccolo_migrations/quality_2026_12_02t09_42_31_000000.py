"""Composite indexes the dashboard sorts and groups inside, then score existing datasets.

Piccolo declares single-column indexes only; these are plain SQL both SQLite and PostgreSQL
accept. A database with up to ``SCORE_NOW`` datasets is scored here; a bigger one in the
background, a batch per link-check round (``store.score_missing``), so a start-up after
the upgrade is not held for minutes.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-02T09:42:31:000000"
VERSION = "1.38.0"
DESCRIPTION = "composite indexes of the quality tables; score existing datasets"
SCORE_NOW = 5_000

INDEXES = (
    "CREATE INDEX IF NOT EXISTS quality_score_worst"
    " ON quality_score (public, points, slug)",
    "CREATE INDEX IF NOT EXISTS quality_score_publisher"
    " ON quality_score (publisher, public, points, slug)",
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="quality", description=DESCRIPTION)

    async def create_indexes_and_fill() -> None:
        from catalogue.datasets.tables import Dataset
        from catalogue.quality.store import rescore_all
        from catalogue.quality.tables import QualityScore

        for statement in INDEXES:
            await QualityScore.raw(statement)
        if await Dataset.count() <= SCORE_NOW:
            await rescore_all()

    manager.add_raw(create_indexes_and_fill)
    return manager
