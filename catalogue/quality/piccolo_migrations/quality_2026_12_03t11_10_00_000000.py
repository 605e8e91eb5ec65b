"""A covering index of the dashboard's figures: its scan reads the index, not the rows.

Every figure of the dashboard (counts, means, ratings, histogram; for the catalogue or one
publisher) groups the public scores. Without this index each one read every row with its
JSON assessment: 0.5 s at 100,000 datasets; with it about 60 ms, and a tenth of that for
one publisher.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-03T11:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "covering index of the quality dashboard's figures"

FORWARDS = (
    "CREATE INDEX IF NOT EXISTS quality_score_figures ON quality_score"
    " (public, publisher, rating, points, findability, accessibility, interoperability,"
    " reusability, contextuality)",
)
BACKWARDS = ("DROP INDEX IF EXISTS quality_score_figures",)


async def _run(statements: tuple[str, ...]) -> None:
    engine = engine_finder()
    assert engine is not None
    for statement in statements:
        await engine.run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="quality", description=DESCRIPTION)

    async def forward() -> None:
        await _run(FORWARDS)

    async def backward() -> None:
        await _run(BACKWARDS)

    manager.add_raw(forward)
    manager.add_raw_backwards(backward)
    return manager
