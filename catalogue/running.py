"""What every ``catalogue`` command shares: run a coroutine on a ready database, fail plainly;
and the servers' background loops.

Kept apart from :mod:`catalogue.cli` so that the domains' command modules need not import the
command line that lists them (``catalogue.wiring`` assembles both).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any, NoReturn, TypeVar

import click

T = TypeVar("T")


def run(make: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine with the database migrated (and the PostgreSQL pool open)."""

    async def wrapped() -> T:
        from catalogue.db import migrate, prepare_engine, start_engine, stop_engine
        from catalogue.organisations.tables import Organisation

        engine = Organisation._meta.db
        await prepare_engine(engine)
        await migrate()
        await start_engine(engine)
        try:
            return await make()
        finally:
            await stop_engine(engine)

    return asyncio.run(wrapped())


@contextlib.asynccontextmanager
async def in_background(make: Callable[[], Coroutine[Any, Any, None]]) -> AsyncIterator[None]:
    """``make()`` as a task while the block runs (a server's lifespan), cancelled and awaited
    when it ends."""
    task = asyncio.get_running_loop().create_task(make())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def fail(message: str) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)
