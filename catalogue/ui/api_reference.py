"""The viewer of ``/schema``, served from our own static files so it works without internet.

Litestar's render plugins load their JS/CSS (and a favicon) from a CDN by default; on a network
without internet the API reference was a blank page. The files are swagger-ui-dist's, unmodified,
under ``ui/static/vendor/swagger-ui`` with their licence (see ``ui/static/vendor/README.md``).
"""

from __future__ import annotations

from litestar.openapi.plugins import OpenAPIRenderPlugin, SwaggerRenderPlugin

from catalogue.ui.rendering import STATIC_PATH

SWAGGER_UI = f"{STATIC_PATH}/vendor/swagger-ui"
"""Where the vendored swagger-ui-dist files are served (their version is in the README there)."""


def api_reference_plugins() -> list[OpenAPIRenderPlugin]:
    """Swagger UI at ``/schema`` (the first plugin is the default) and at ``/schema/swagger``."""
    return [
        SwaggerRenderPlugin(
            path=["/swagger"],
            js_url=f"{SWAGGER_UI}/swagger-ui-bundle.js",
            css_url=f"{SWAGGER_UI}/swagger-ui.css",
            standalone_preset_js_url=f"{SWAGGER_UI}/swagger-ui-standalone-preset.js",
            favicon=f"<link rel='icon' type='image/svg+xml' href='{STATIC_PATH}/favicon.svg'>",
        )
    ]
