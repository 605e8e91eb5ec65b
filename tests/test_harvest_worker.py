"""The harvest worker process: DCAT pages are parsed and mapped there, one page ahead of the
store; a worker killed with SIGKILL fails its job with a clear message and the next job gets
a new worker; an idle worker that died is replaced without failing anything."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from catalogue.datasets.tables import Dataset
from catalogue.harvest import worker
from catalogue.harvest.jobs import harvest
from catalogue.harvest.tables import HarvestJob, HarvestRecord
from tests.factories import make_organisation
from tests.harvest_server import serving
from tests.test_harvest_jobs import add_source, documents

PROJECT_ROOT = Path(__file__).resolve().parent.parent
READ_THEN_WAIT = """
import asyncio, sys
from catalogue.harvest import fetch, worker

async def main():
    body = b'<http://a.example/d> <http://purl.org/dc/terms/title> "x" .'
    await worker.read_in_worker(body, "nt", "http://a.example/", fetch.FetchLimits(), "", "en")
    print(list(worker._pool._processes)[0], flush=True)
    await asyncio.sleep(120)

asyncio.run(main())
"""


def killed_while_reading(*_: Any) -> Any:
    """Runs in the worker in place of ``read_page``: the worker is killed as it reads."""
    os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(30)  # never reached


def worker_pid() -> int:
    pool = worker._pool
    assert pool is not None
    processes = list(pool._processes)  # the one worker process
    assert len(processes) == 1
    return processes[0]


@pytest.fixture
async def organisation(db: None) -> None:
    await make_organisation()


async def test_pages_are_read_in_one_worker_that_later_jobs_reuse(organisation):
    with serving() as source:
        await add_source(source.pages(documents(9), per_page=2))
        _, first = await harvest("local")
        assert first.complete and first.pages == 5 and first.created == 9
        pid = worker_pid()
        assert pid != os.getpid()
        source.pages(documents(10), per_page=2)  # one more: every page's bytes change
        _, second = await harvest("local")
        assert second.complete and second.created == 1 and second.unchanged == 9
        assert worker_pid() == pid  # the same worker, not one per job


async def test_a_worker_killed_mid_job_fails_the_job_and_the_next_run_completes(
    organisation, monkeypatch
):
    with serving() as source:
        await add_source(source.pages(documents(6), per_page=2))
        monkeypatch.setattr(worker, "read_page", killed_while_reading)
        job_id, failed = await harvest("local")
        assert not failed.complete
        assert failed.error.endswith(
            "/feed/1 could not be read: the harvest worker process ended while reading it"
        )
        assert failed.archived == 0 and await Dataset.count() == 0
        job = await HarvestJob.select(HarvestJob.status).where(HarvestJob.id == job_id).first()
        assert job["status"] == "failed"

        monkeypatch.undo()
        _, report = await harvest("local")
        assert report.complete and report.created == 6 and report.failed == 0
        assert await Dataset.count() == 6 and await HarvestRecord.count() == 6


async def test_a_worker_that_died_between_jobs_is_replaced(organisation):
    with serving() as source:
        docs = documents(4)
        await add_source(source.pages(docs, per_page=2))
        _, first = await harvest("local")
        assert first.complete
        pid = worker_pid()
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while worker._pool is not None and not worker._pool._broken:  # the pool notices
            assert time.monotonic() < deadline
            time.sleep(0.05)
        source.pages([*docs, *documents(1, prefix="later")], per_page=2)
        _, second = await harvest("local")
        assert second.complete and second.created == 1, second.lines()
        assert worker_pid() != pid


async def test_the_worker_ends_with_the_app(organisation):
    with serving() as source:
        await add_source(source.pages(documents(2), per_page=2))
        _, report = await harvest("local")
        assert report.complete and worker._pool is not None
    async with worker.worker_lifespan():
        pass
    assert worker._pool is None


def test_a_worker_outlives_no_harvest_killed_with_sigkill():
    process = subprocess.Popen(
        [sys.executable, "-c", READ_THEN_WAIT],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        line = process.stdout.readline() if process.stdout else b""
        assert line.strip().isdigit(), process.communicate(timeout=30)
        pid = int(line)
        os.kill(pid, 0)  # the worker runs
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    deadline = time.monotonic() + 10 * worker.PARENT_POLL_SECONDS
    while _alive(pid):
        assert time.monotonic() < deadline, "the worker outlived its harvesting process"
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False
