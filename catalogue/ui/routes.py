"""Everything the app factory needs from the UI: its routes, templates and static files."""

from __future__ import annotations

from typing import Any

from litestar import Router, get
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotFoundException
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Redirect
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from catalogue.ui.dataset_page import dataset_page
from catalogue.ui.errors import html_aware_handlers
from catalogue.ui.pages import home_page, organisation_page, organisations_page
from catalogue.ui.rendering import STATIC_DIR, STATIC_PATH, template_environment
from catalogue.ui.search_page import search_page
from catalogue.web.errors import static_not_found

static_files: Any = create_static_files_router(
    path=STATIC_PATH,
    directories=[STATIC_DIR],
    name="static",
    include_in_schema=False,
    cache_control=CacheControlHeader(max_age=86_400, public=True),
    # Litestar's own 404 names the resolved directory on the server.
    exception_handlers=html_aware_handlers({NotFoundException: static_not_found}),
)
"""``/static/...`` from ``ui/static``; URLs carry a version, so a day's caching is safe."""


@get("/favicon.ico", include_in_schema=False, cache_control=CacheControlHeader(max_age=86_400))
async def favicon() -> Redirect:
    """Browsers and feed readers ask for ``/favicon.ico`` whatever the page links; send the SVG."""
    return Redirect(path=f"{STATIC_PATH}/favicon.svg", status_code=301)


ui_router = Router(
    path="/",
    route_handlers=[
        home_page,
        search_page,
        dataset_page,
        organisations_page,
        organisation_page,
        static_files,
        favicon,
    ],
    include_in_schema=False,
)
"""The public pages (add this one router to ``ROUTE_HANDLERS``)."""


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    """Litestar's ``Template`` responses use the same environment as ``render``."""
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(template_environment()))
