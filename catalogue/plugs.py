"""The registries that :mod:`catalogue.wiring` fills, and the error for using one unfilled.

A registry is a plain list with a ``wired`` flag. Nothing adds to one when a module is
imported: :func:`catalogue.wiring.wire` installs every listener, publish check, seed step and
page part from its explicit lists, and a registry read before that raises :class:`NotWired`
(a script that forgot to wire would otherwise publish without the SHACL check, or seed
without the agreements).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")


class NotWired(RuntimeError):
    """A registry was used before :func:`catalogue.wiring.wire` filled it."""

    def __init__(self, registry: str) -> None:
        super().__init__(
            f"the {registry} are not wired: call catalogue.wiring.wire(settings) first "
            "(create_app and the catalogue command do)"
        )
        self.registry = registry


class Registry(list[T]):
    """The items of one kind of plug, in the order the wiring lists them."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.wired = False

    def install(self, items: Iterable[T]) -> None:
        """Replace the items with ``items`` (wiring twice installs the same lists again)."""
        self[:] = list(items)
        self.wired = True

    def required(self) -> list[T]:
        """The items; :class:`NotWired` when nothing has installed them yet."""
        if not self.wired:
            raise NotWired(self.name)
        return list(self)
