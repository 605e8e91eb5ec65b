"""The application, assembled in one factory from the domains' controllers."""

from __future__ import annotations

import contextlib
import fcntl
import io
import logging
from collections.abc import AsyncIterator
from typing import Any

from litestar import Litestar, MediaType, Request, get
from litestar.config.compression import CompressionConfig
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig

from catalogue import __version__
from catalogue.accounts.controllers import TokenController, UserController
from catalogue.agreements.web import AGREEMENTS_ROUTER
from catalogue.audit.checkpoints import audit_lifespan
from catalogue.audit.controllers import AuditController
from catalogue.ckan.controllers import ckan_router
from catalogue.datasets.controllers import DatasetController
from catalogue.datasets.identifier_schemes import IdentifierSchemeController
from catalogue.db import analyse, prepare_engine, start_engine, stop_engine
from catalogue.dcat.controllers import CatalogController
from catalogue.harvest.controllers import HarvestController
from catalogue.harvest.pages import harvest_pages
from catalogue.harvest.schedule import harvest_lifespan
from catalogue.onceonly.web import ONCE_ONLY_ROUTER
from catalogue.organisations.controllers import OrganisationController
from catalogue.ropa.controllers import RopaController
from catalogue.search.controllers import SearchController, search_lifespan
from catalogue.settings import Settings, get_settings
from catalogue.ui.api_reference import api_reference_plugins
from catalogue.ui.csrf import ui_middleware
from catalogue.ui.errors import html_aware_handlers
from catalogue.ui.routes import template_config, ui_router
from catalogue.ui.steward_pages import steward_router
from catalogue.vocabularies.controllers import VocabularyController
from catalogue.warmup import warm_lifespan
from catalogue.web.auth import current_principal
from catalogue.web.errors import EXCEPTION_HANDLERS
from catalogue.web.guard import limits_middleware, slow_request_log
from catalogue.web.openapi import ShapePlugin

logger = logging.getLogger("catalogue")


async def migrate() -> None:
    """Apply every pending Piccolo migration (quietly: Piccolo prints a lot)."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    with contextlib.redirect_stdout(io.StringIO()) as output:
        result = await run_forwards(app_name="all")
    if not result.success:
        raise RuntimeError(f"migrations failed: {result.message}\n{output.getvalue()}")


@contextlib.contextmanager
def startup_lock(settings: Settings) -> Any:
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


@get("/", media_type=MediaType.JSON, include_in_schema=False)
async def index(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """Where to start: the API's main resources."""
    settings = get_settings()
    return {
        "catalogue": settings.catalogue_title,
        "version": __version__,
        "api": {
            "datasets": "/api/v1/datasets",
            "organisations": "/api/v1/organisations",
            "vocabularies": "/api/v1/vocabularies",
            "tokens": "/api/v1/tokens",
            "openapi": "/schema",
        },
    }


@get("/healthz", media_type=MediaType.JSON, include_in_schema=False)
async def health() -> dict[str, str]:
    return {"status": "ok"}


ROUTE_HANDLERS: list[Any] = [
    ui_router,  # the public pages; JSON clients of '/' still get `index` (the UI calls it)
    steward_router,  # sign-in/out, the dataset form, the dashboard
    health,
    DatasetController,
    IdentifierSchemeController,
    OrganisationController,
    TokenController,
    UserController,
    VocabularyController,
    AGREEMENTS_ROUTER,
    ONCE_ONLY_ROUTER,
    AuditController,
    RopaController,
    ckan_router,
    SearchController,
    CatalogController,
    HarvestController,
    harvest_pages,
]


def create_app(
    settings: Settings | None = None, prepare: bool = True, pool: bool = True
) -> Litestar:
    """The application; tests pass ``prepare=False, pool=False`` (they migrate once, and a
    PostgreSQL pool is bound to the event loop that opened it)."""
    settings = settings or get_settings()

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

    return Litestar(
        route_handlers=ROUTE_HANDLERS,
        dependencies={"principal": Provide(current_principal)},
        exception_handlers=html_aware_handlers(EXCEPTION_HANDLERS),
        template_config=template_config(),
        # The slow-request log and the limits come first: nothing reads a request before them.
        middleware=[slow_request_log, limits_middleware, *ui_middleware(settings)],
        lifespan=[
            lifespan, search_lifespan, audit_lifespan,
            *([warm_lifespan, harvest_lifespan] if prepare else []),
        ],
        # Feeds, CKAN pages of 1,000 packages and HTML shrink 5-10x; level 6 is cheap.
        compression_config=CompressionConfig(
            backend="gzip", minimum_size=1024, gzip_compress_level=6
        ),
        openapi_config=OpenAPIConfig(
            title=settings.catalogue_title,
            version=__version__,
            path="/schema",
            render_plugins=api_reference_plugins(),
        ),
        plugins=[ShapePlugin()],  # documents the shapes of dict bodies (catalogue.web.openapi)
        debug=settings.debug,
    )
