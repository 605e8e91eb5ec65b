"""The one logging configuration: ``catalogue.*`` loggers to standard error, one line each.

Every module logs through ``logging.getLogger(__name__)`` (so a line names its module: a
``catalogue.search.outbox`` line comes from that file); the one named channel is
``catalogue.web.slow``, the slow-request log operators filter on. ``serve`` and the other
commands apply this through :func:`catalogue.wiring.wire`; a program that configured logging
itself (pytest, an embedding application) keeps its own.
"""

from __future__ import annotations

import logging
import sys

from catalogue.settings import Settings

ROOT = "catalogue"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_HANDLER_NAME = "catalogue-stderr"


def configure_logging(settings: Settings) -> None:
    """INFO and up (DEBUG with ``CATALOGUE_DEBUG``) from every ``catalogue.*`` logger."""
    logger = logging.getLogger(ROOT)
    logger.setLevel(logging.DEBUG if settings.debug else logging.INFO)
    if logging.getLogger().handlers:
        return  # the program routes log records itself; ours propagate to it
    if any(handler.get_name() == _HANDLER_NAME for handler in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter(FORMAT))
    logger.addHandler(handler)
    logger.propagate = False  # a root handler added later (Litestar's) would print it twice
