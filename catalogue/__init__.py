"""A strategic data management catalogue for public administrations."""

import os

# Piccolo finds its engine through this module; set it before any table is imported.
os.environ.setdefault("PICCOLO_CONF", "catalogue.piccolo_conf")

__version__ = "0.1.0"
