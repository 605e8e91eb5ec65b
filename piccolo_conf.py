"""Lets the ``piccolo`` command line work from the project root (migrations, shell)."""

from catalogue.piccolo_conf import APP_REGISTRY, DB

__all__ = ["APP_REGISTRY", "DB"]
