"""Piccolo's configuration: the engine from settings and one app per domain."""

from piccolo.conf.apps import AppRegistry

from catalogue.db import engine_for
from catalogue.settings import get_settings

DB = engine_for(get_settings().database_url)

APP_REGISTRY = AppRegistry(
    apps=[
        "catalogue.organisations.piccolo_app",
        "catalogue.accounts.piccolo_app",
        "catalogue.datasets.piccolo_app",
        "catalogue.agreements.piccolo_app",
        "catalogue.search.piccolo_app",
        "catalogue.audit.piccolo_app",
        "catalogue.onceonly.piccolo_app",
        "catalogue.quality.piccolo_app",
        "catalogue.webhooks.piccolo_app",
        "catalogue.harvest.piccolo_app",
    ]
)
