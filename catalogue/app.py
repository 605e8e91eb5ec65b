"""The application factory: the wired routes, middleware and lifespans, with the settings.

What the app is made of is listed in :mod:`catalogue.wiring`; this module builds the Litestar
application from it and prepares the database at start-up.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
from collections.abc import AsyncIterator, Iterator

from litestar import Litestar
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig

from catalogue import __version__, wiring
from catalogue.db import analyse, migrate, prepare_engine, start_engine, stop_engine
from catalogue.i18n.middleware import language_middleware
from catalogue.settings import Settings, get_settings
from catalogue.ui.api_reference import api_reference_plugins
from catalogue.ui.csrf import ui_middleware
from catalogue.ui.errors import html_aware_handlers
from catalogue.ui.routes import template_config
from catalogue.web.auth import current_principal
from catalogue.web.errors import EXCEPTION_HANDLERS
from catalogue.web.guard import limits_middleware, slow_request_log
from catalogue.web.gzip import gzip_answers
from catalogue.web.head import answer_head
from catalogue.web.openapi import ShapePlugin
from catalogue.web.reads import one_version_per_read
from catalogue.web.state import keep_settings

__all__ = ["create_app", "migrate", "prepare_database"]  # migrate: catalogue.db's, kept here too

logger = logging.getLogger(__name__)


@contextlib.contextmanager
def startup_lock(settings: Settings) -> Iterator[None]:
    """Several workers start at once; one migrates and seeds while the others wait."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.data_dir / "startup.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


async def prepare_database(settings: Settings) -> None:
    """Migrate, and load the demo catalogue into an empty database when configured to."""
    from catalogue.organisations.tables import Organisation
    from catalogue.progress import counted_progress
    from catalogue.seed import is_empty, load_seed

    await prepare_engine(Organisation._meta.db)
    await migrate()
    await analyse(Organisation._meta.db)
    if settings.auto_seed and settings.seed_dir.exists() and await is_empty():
        report = await load_seed(settings.seed_dir, counted_progress("Loading the demo catalogue"))
        logger.info("loaded the demo catalogue: %s", report.summary())


def create_app(
    settings: Settings | None = None, prepare: bool = True, pool: bool = True
) -> Litestar:
    """The application; tests pass ``prepare=False, pool=False`` (they migrate once, and a
    PostgreSQL pool is bound to the event loop that opened it)."""
    settings = settings or get_settings()
    wiring.wire(settings)

    @contextlib.asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        from catalogue.organisations.tables import Organisation

        engine = Organisation._meta.db
        if prepare:
            with startup_lock(settings):
                await prepare_database(settings)
        if pool:
            await start_engine(engine)
        try:
            yield
        finally:
            if pool:
                await stop_engine(engine)

    app = Litestar(
        route_handlers=list(wiring.ROUTE_HANDLERS),
        dependencies={"principal": Provide(current_principal)},
        exception_handlers=html_aware_handlers(EXCEPTION_HANDLERS),
        template_config=template_config(),
        # The slow-request log and the limits come first: nothing reads a request before them.
        middleware=[
            slow_request_log,
            gzip_answers,  # feeds, CKAN pages and HTML shrink 5-10x (catalogue.web.gzip)
            limits_middleware,
            one_version_per_read,
            language_middleware,
            *ui_middleware(settings),
        ],
        lifespan=[
            lifespan,
            *wiring.LIFESPANS,
            *(wiring.SERVER_LIFESPANS if prepare else ()),
        ],
        openapi_config=OpenAPIConfig(
            title=settings.catalogue_title,
            version=__version__,
            path="/schema",
            render_plugins=api_reference_plugins(),
        ),
        plugins=[ShapePlugin()],  # documents the shapes of dict bodies (catalogue.web.openapi)
        debug=settings.debug,
    )
    keep_settings(app, settings)
    app.asgi_handler = answer_head(app.asgi_handler)  # every GET route answers HEAD
    return app
