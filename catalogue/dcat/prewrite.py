"""Writing the feed's dataset chunks before a harvester asks for them.

A feed page whose 100 chunks are kept on disk (:mod:`catalogue.dcat.chunk_store`) is read
in about 40 ms at 100,000 datasets; one whose chunks must be written first takes about
200 ms (the DCAT mapping and the Turtle writer cost ~1.7 ms a dataset). So the first
harvest of a freshly loaded catalogue, or of one whose mapping or vocabularies changed (a
new code fingerprint keys every chunk anew), read the whole feed at 100k in over three
minutes instead of 40 s. The server runs :func:`prewrite_feed` in a low-priority child
process after it starts and then every ``CATALOGUE_FEED_PREWRITE_SECONDS`` when the
catalogue changed, in one worker per data directory (the chunk store is the directory's);
operators run ``catalogue prewrite-feed``.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from catalogue.dcat import feed, rendered
from catalogue.running import in_background
from catalogue.settings import Settings, get_settings

log = logging.getLogger(__name__)
NICENESS = 15  # the child yields both cores to the workers answering requests
FORMATS = ("ttl",)  # what harvesters read (/catalog.ttl); other formats are written on demand


@dataclass
class PrewriteReport:
    datasets: int = 0  # public datasets walked
    written: int = 0  # chunks written now (the rest were kept)


async def prewrite_feed(
    settings: Settings | None = None, progress: Callable[[PrewriteReport], None] | None = None
) -> PrewriteReport:
    """Walk the anonymous feed as a harvester does and write every chunk not yet kept."""
    settings = settings or get_settings()
    report, query = PrewriteReport(), feed.FeedQuery()
    while True:
        page_of = await feed.feed_page(query)
        items = await rendered.describe_rows(page_of.rows, settings)
        report.datasets += len(items)
        for fmt in FORMATS:
            missing = rendered.unwritten(items, fmt)
            if missing:
                rendered.chunks(missing, fmt)
                report.written += len(missing)
        if progress is not None:
            progress(report)
        if page_of.next_after is None:
            return report
        query = feed.FeedQuery(after=feed.seek.Cursor.parse(page_of.next_after))
        await asyncio.sleep(0)


def child_environment(settings: Settings) -> dict[str, str]:
    """This process's environment with the settings every chunk's key depends on, as this
    process holds them (the child must write the very keys the workers will look up)."""
    return {
        **os.environ,
        "CATALOGUE_DATA_DIR": str(settings.data_dir),
        "CATALOGUE_DATABASE_URL": settings.database_url,
        "CATALOGUE_BASE_URL": settings.base_url,
        "CATALOGUE_LANGUAGES": ",".join(settings.languages),
        "CATALOGUE_DEFAULT_LANGUAGE": settings.default_language,
        "CATALOGUE_VOCABULARIES_DIR": str(settings.vocabularies_dir),
        "CATALOGUE_AUTO_SEED": "false",
    }


async def run_child(settings: Settings) -> int | None:
    """``catalogue prewrite-feed`` in a child process at low priority; its exit code, or
    None when another worker of this data directory is running one."""
    lock_path = settings.data_dir / "cache" / "feed-prewrite.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "catalogue",
            "prewrite-feed",
            "--quiet",
            stdin=asyncio.subprocess.DEVNULL,
            env=child_environment(settings),
            preexec_fn=lambda: os.nice(NICENESS),
        )
        try:
            return await process.wait()
        except asyncio.CancelledError:  # the server stops: so does the child
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
            await process.wait()
            raise


async def run_forever(settings: Settings) -> None:
    """After start, and again each interval when the catalogue changed since the last walk."""
    from catalogue.datasets.versions import current_version

    walked: object = None
    while True:
        try:
            version = await current_version()
            if version != walked:
                code = await run_child(settings)
                if code is not None:
                    walked = version
                    if code:
                        log.warning("writing the feed's chunks ended with exit code %s", code)
        except asyncio.CancelledError:
            raise
        except Exception:  # the next round tries again; the feed still answers meanwhile
            log.exception("writing the feed's chunks failed")
        await asyncio.sleep(settings.feed_prewrite_seconds)


@contextlib.asynccontextmanager
async def prewrite_lifespan(_: Any = None) -> AsyncIterator[None]:
    """While the server runs, keep the feed's chunks written (0 seconds: never)."""
    settings = get_settings()
    if settings.feed_prewrite_seconds <= 0:
        yield
        return
    async with in_background(lambda: run_forever(settings)):
        yield
