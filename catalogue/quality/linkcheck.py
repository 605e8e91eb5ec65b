"""The background link checker: asks each access and download address whether it answers.

Bounded (``link_check_concurrency`` requests at once, ``link_check_timeout`` seconds each
at most), ``HEAD`` first and ``GET`` when ``HEAD`` fails or is refused (the body is never
read), redirects followed. Each answer is stored with its time, status and method; an
address is asked again after ``link_recheck_seconds``. When an answer changes, the datasets
using the address are scored again. Nothing here runs on a request: the server runs
:func:`run_forever` in its lifespan, operators ``catalogue quality check-links``.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from catalogue.db import write_transaction
from catalogue.quality import aggregates, store
from catalogue.quality.tables import LinkCheck
from catalogue.running import in_background
from catalogue.settings import get_settings

log = logging.getLogger("catalogue.quality.links")
ROUND_SIZE = 500  # addresses one round takes on
MISSING_PER_ROUND = 2_000  # datasets without a score (an upgraded database) scored per round
LEASE = dt.timedelta(minutes=10)  # other nodes skip an address being checked
USER_AGENT = "strategic-data-catalogue link checker (+metadata quality)"


@dataclass(frozen=True)
class Answer:
    status: int | None
    error: str = ""
    method: str = ""
    elapsed_ms: int = 0


@dataclass
class Report:
    checked: int = 0
    answered: int = 0
    changed: int = 0
    rescored: int = 0
    statuses: dict[str, int] = field(default_factory=dict)


async def ask(client: httpx.AsyncClient, url: str, timeout: float) -> Answer:
    """``HEAD``, then ``GET`` if that fails; never longer than about twice ``timeout``."""
    started = time.monotonic()
    answer = await _one(client, "HEAD", url, timeout)
    if answer.status is None or answer.status >= 400:
        answer = await _one(client, "GET", url, timeout)
    return Answer(
        answer.status, answer.error, answer.method, int((time.monotonic() - started) * 1000)
    )


async def _one(client: httpx.AsyncClient, method: str, url: str, timeout: float) -> Answer:
    try:
        async with asyncio.timeout(timeout):
            async with client.stream(method, url) as response:
                return Answer(response.status_code, "", method)
    except TimeoutError:
        return Answer(None, f"no answer within {timeout:g} s", method)
    except httpx.HTTPError as error:
        return Answer(None, (type(error).__name__ + ": " + str(error))[:300], method)
    except Exception as error:  # a malformed address, an odd server: no answer
        return Answer(None, (type(error).__name__ + ": " + str(error))[:300], method)


def _client(timeout: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        follow_redirects=True,
        max_redirects=5,
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": USER_AGENT},
        trust_env=False,
    )


async def check_due(
    limit: int = ROUND_SIZE,
    rewrite: Callable[[str], str] | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """Check up to ``limit`` addresses that are due, store the answers, rescore what changed.

    ``rewrite`` maps an address to the one actually asked (tests point the seed's
    addresses at a local server); the answer is stored under the original address.
    """
    settings = get_settings()
    now = now or dt.datetime.now(dt.UTC)
    rows = (
        await LinkCheck.select(LinkCheck.id, LinkCheck.url, LinkCheck.status)
        .where(LinkCheck.due <= now)
        .order_by(LinkCheck.due)
        .limit(limit)
    )
    report = Report()
    if not rows:
        return report
    await LinkCheck.update({LinkCheck.due: now + LEASE}).where(
        LinkCheck.id.is_in([row["id"] for row in rows])
    )
    semaphore = asyncio.Semaphore(max(1, settings.link_check_concurrency))
    timeout = settings.link_check_timeout

    async with _client(timeout) as client:

        async def bounded(url: str) -> Answer:
            async with semaphore:
                return await ask(client, rewrite(url) if rewrite else url, timeout)

        answers = await asyncio.gather(*(bounded(row["url"]) for row in rows))
    checked_at = dt.datetime.now(dt.UTC)
    due = checked_at + dt.timedelta(seconds=settings.link_recheck_seconds)
    changed = []
    for row, answer in zip(rows, answers, strict=True):
        await LinkCheck.update(
            {
                LinkCheck.status: answer.status,
                LinkCheck.error: answer.error,
                LinkCheck.method: answer.method,
                LinkCheck.elapsed_ms: answer.elapsed_ms,
                LinkCheck.checked_at: checked_at,
                LinkCheck.due: due,
            }
        ).where(LinkCheck.id == row["id"])
        key = str(answer.status) if answer.status is not None else "no answer"
        report.statuses[key] = report.statuses.get(key, 0) + 1
        report.answered += answer.status is not None
        if answer.status != row["status"]:
            changed.append(row["url"])
    report.checked, report.changed = len(rows), len(changed)
    if changed:
        async with write_transaction():
            report.rescored = await store.rescore_urls(changed)
    return report


async def check_all(rewrite: Callable[[str], str] | None = None) -> Report:
    """Every address that is due, a round at a time (the CLI)."""
    total = Report()
    while True:
        report = await check_due(rewrite=rewrite)
        if not report.checked:
            return total
        total.checked += report.checked
        total.answered += report.answered
        total.changed += report.changed
        total.rescored += report.rescored
        for key, count in report.statuses.items():
            total.statuses[key] = total.statuses.get(key, 0) + count


async def run_forever() -> None:
    """Each ``link_check_seconds``: score datasets that have none yet, a round of due
    addresses, then today's snapshot."""
    seconds = get_settings().link_check_seconds
    while True:
        try:
            if scored := await store.score_missing(MISSING_PER_ROUND):
                log.info("scored %d datasets that had no quality score yet", scored)
            report = await check_due()
            if report.checked:
                log.info(
                    "checked %d addresses: %d answered, %d changed, %d datasets rescored",
                    report.checked,
                    report.answered,
                    report.changed,
                    report.rescored,
                )
            await aggregates.record_daily()
        except asyncio.CancelledError:
            raise
        except Exception:  # the next round tries again; never take the server down
            log.exception("a link-check round failed")
        await asyncio.sleep(seconds)


@contextlib.asynccontextmanager
async def quality_lifespan(_: Any = None) -> AsyncIterator[None]:
    """While the server runs, check links in the background (0 seconds: never)."""
    if get_settings().link_check_seconds <= 0:
        yield
        return
    async with in_background(run_forever):
        yield
