"""``python -m catalogue`` runs the ``catalogue`` command."""

from catalogue.cli import main

if __name__ == "__main__":  # not when a spawned reindex worker imports the parent's main
    main()
