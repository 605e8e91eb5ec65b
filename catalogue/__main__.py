"""``python -m catalogue`` runs the ``catalogue`` command."""

from catalogue.cli import main

main()
