"""Test set-up: a real database (never mocked), fresh for every session.

``pytest --db=sqlite`` (default) uses a file in a temporary folder; ``pytest --db=postgres``
creates a new database next to ``CATALOGUE_TEST_POSTGRES`` and drops it afterwards, so runs
never disturb each other or the data behind that URL.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED = PROJECT_ROOT.parent / "shared"
_state: dict[str, Any] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="database engine to run the suite on (postgres needs CATALOGUE_TEST_POSTGRES)",
    )


async def _postgres_admin(url: str, statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def _cheap_password_hashing() -> None:
    """Argon2 at production cost takes ~1 s a password on a busy machine; tests hash dozens.

    The same algorithm with the smallest cost keeps every password code path real.
    """
    from argon2 import PasswordHasher

    from catalogue.accounts import security

    security._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def pytest_configure(config: pytest.Config) -> None:
    """Point the catalogue at a throw-away database before any of it is imported."""
    data_dir = Path(tempfile.mkdtemp(prefix="catalogue-test-"))
    _state["data_dir"] = data_dir
    os.environ["CATALOGUE_DATA_DIR"] = str(data_dir)
    os.environ["CATALOGUE_AUTO_SEED"] = "false"
    os.environ["CATALOGUE_SECRET_KEY"] = "test-secret-key"
    # Tests empty the database between them; checkpoints the app wrote would then not hold.
    os.environ["CATALOGUE_AUDIT_CHECKPOINT_SECONDS"] = "0"
    # No server a test starts asks the seed's (made-up) addresses on the internet.
    os.environ["CATALOGUE_LINK_CHECK_SECONDS"] = "0"
    # Servers a test starts write no feed chunks in the background (a test asks for it).
    os.environ["CATALOGUE_FEED_PREWRITE_SECONDS"] = "0"
    _cheap_password_hashing()
    if config.getoption("--db") == "postgres":
        base = os.environ.get("CATALOGUE_TEST_POSTGRES")
        if not base:
            raise pytest.UsageError("--db=postgres needs CATALOGUE_TEST_POSTGRES (a URL)")
        name = f"catalogue_test_{uuid.uuid4().hex[:12]}"
        asyncio.run(_postgres_admin(base, f'CREATE DATABASE "{name}"'))
        parts = urlsplit(base)
        os.environ["CATALOGUE_DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
        _state["postgres"] = (base, name)
    else:
        os.environ["CATALOGUE_DATABASE_URL"] = f"sqlite:///{data_dir / 'test.sqlite'}"


def pytest_unconfigure(config: pytest.Config) -> None:
    if "postgres" in _state:
        base, name = _state.pop("postgres")
        asyncio.run(_postgres_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    shutil.rmtree(_state.get("data_dir", ""), ignore_errors=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run last, whatever their folder's name sorts as.

    Playwright's sync API keeps an event loop of its own in the main thread for the rest of
    the session, which the async database tests cannot share.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def pytest_report_header(config: pytest.Config) -> str:
    return f"catalogue database: {config.getoption('--db')}"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.skip(f"reference material {SHARED} is absent (it sits beside the project in CI)")
    return SHARED


def _empty_copy() -> Path:
    from catalogue.settings import get_settings

    return get_settings().data_dir / "empty.sqlite"


@pytest.fixture(scope="session", autouse=True)
async def migrated() -> None:
    from catalogue.db import migrate
    from catalogue.settings import get_settings
    from catalogue.wiring import wire
    from tests import seed_snapshot

    wire(get_settings())  # what the app and the CLI do first (tests call the services directly)
    await migrate()
    if path := seed_snapshot.sqlite_path():
        await seed_snapshot.copy_sqlite(path, str(_empty_copy()))


async def truncate_all() -> None:
    """Empty every table. PostgreSQL: TRUNCATE. SQLite has no TRUNCATE and its audit log
    refuses DELETE, so the empty database kept right after migrating is copied back."""
    from piccolo.conf.apps import Finder
    from piccolo.table import sort_table_classes

    from catalogue.discovery import sitemap
    from tests import seed_snapshot

    sitemap.forget()  # its plan is keyed by the catalogue's version, which starts again
    if path := seed_snapshot.sqlite_path():
        await seed_snapshot.copy_sqlite(str(_empty_copy()), path)
        return
    tables = sort_table_classes(Finder().get_table_classes())
    names = ", ".join(f'"{table._meta.tablename}"' for table in tables)
    # The audit log refuses TRUNCATE; a test database is the one place to lift that briefly.
    guard = "ALTER TABLE audit_event {} TRIGGER audit_event_no_truncate"
    await tables[0]._meta.db.run_ddl(
        f"DO $$ BEGIN {guard.format('DISABLE')}; TRUNCATE {names} RESTART IDENTITY CASCADE; "
        f"{guard.format('ENABLE')}; END $$"
    )


@pytest.fixture
async def db() -> None:
    """An empty catalogue (tables truncated) for tests that build their own data."""
    await truncate_all()


async def load_demo_catalogue() -> None:
    """An empty database, then the demo catalogue from ``seed/``: loaded for real once a
    session, and restored exactly from a copy after that (see ``tests/seed_snapshot.py``)."""
    from catalogue.seed import load_seed
    from catalogue.settings import get_settings
    from tests import seed_snapshot

    await settle_search_drains()
    await truncate_all()
    folder = get_settings().data_dir / "seed-snapshot"  # this session's throw-away folder
    if folder.exists():
        await seed_snapshot.restore(folder)
        return
    await load_seed(PROJECT_ROOT / "seed")
    await settle_search_drains()
    folder.mkdir()
    await seed_snapshot.save(folder)


@pytest.fixture
async def seeded(db: None) -> None:
    """The demo catalogue from ``seed/``."""
    await load_demo_catalogue()


async def settle_search_drains() -> None:
    """Let after-commit index drains finish before a test client starts the app.

    The client runs the app's start-up on another event loop while it blocks this one, so a
    drain left pending here would hold the index's writer lock the start-up may need.
    """
    from catalogue.search.outbox import wait_for_pending_drains

    await wait_for_pending_drains()


@pytest.fixture
async def client(db: None) -> AsyncIterator[Any]:
    from litestar.testing import AsyncTestClient

    from catalogue.app import create_app

    await settle_search_drains()

    async with AsyncTestClient(app=create_app(prepare=False, pool=False)) as test_client:
        yield test_client


@pytest.fixture
def vocabularies() -> Iterator[Any]:
    from catalogue.vocabularies import default_vocabularies

    yield default_vocabularies()
