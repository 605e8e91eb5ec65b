"""What the application holds for its handlers: the settings ``create_app`` was given.

Handlers read ``settings_of(request)`` rather than the process-wide settings, so an app made
with its own settings (a custom title, other languages) shows them on every page.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar, Request

from catalogue.settings import Settings, get_settings

SETTINGS_KEY = "settings"


def keep_settings(app: Litestar, settings: Settings) -> None:
    app.state[SETTINGS_KEY] = settings


def settings_of(request: Request[Any, Any, Any]) -> Settings:
    """The settings of the app serving ``request`` (the process's, for a bare test app)."""
    settings = request.app.state.get(SETTINGS_KEY)
    return settings if isinstance(settings, Settings) else get_settings()
