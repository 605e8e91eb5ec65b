"""Harvesting a real second catalogue over HTTP, as a DCAT source and as a CKAN source,
and a harvest killed with SIGKILL that the next run completes.

The source is ``catalogue serve`` in a subprocess on a free port with its own data directory
and the demo catalogue (always SQLite: it is another catalogue); the harvesting side is the
test database (SQLite or PostgreSQL). Between harvests a dataset is changed, one withdrawn
and one added at the source, through its API, and the re-harvest must report exactly that.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalogue.datasets.tables import Dataset
from catalogue.harvest import service
from catalogue.harvest.jobs import harvest
from catalogue.harvest.tables import HarvestJob, HarvestRecord
from tests.factories import PUBLISHER, make_organisation, open_dataset
from tests.harvest_server import serving
from tests.test_ckan_live import free_port, server_environment
from tests.test_harvest_jobs import documents

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 300
SEED_PUBLIC = 46
pytestmark = pytest.mark.slow


class SourceCatalogue:
    def __init__(self, url: str) -> None:
        self.url = url
        self.token = self.call(
            "POST",
            "/api/v1/tokens",
            {"email": "admin@demo.example.si", "password": "demo-password"},
        )["token"]

    def call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        if getattr(self, "token", None):
            request.add_header("Authorization", f"Bearer {self.token}")
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read() or b"null")

    def etag(self, slug: str) -> str:
        request = urllib.request.Request(
            f"{self.url}/api/v1/datasets/{slug}", headers={"Authorization": f"Bearer {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.headers["ETag"]

    def change(self, slug: str, patch: dict[str, Any]) -> None:
        self.call("PATCH", f"/api/v1/datasets/{slug}", patch, {"If-Match": self.etag(slug)})

    def withdraw(self, slug: str) -> None:
        self.call("DELETE", f"/api/v1/datasets/{slug}", None, {"If-Match": self.etag(slug)})

    def add(self, slug: str) -> None:
        document = open_dataset(slug, publisher="statistical-office")
        document["status"] = "published"
        self.call("POST", "/api/v1/datasets", document)


@pytest.fixture(scope="module")
def source_catalogue() -> Iterator[SourceCatalogue]:
    data_dir = Path(tempfile.mkdtemp(prefix="catalogue-harvest-source-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(data_dir / "server.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "catalogue", "serve", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=server_environment(data_dir, url),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError((data_dir / "server.log").read_text()[-3000:])
            try:
                with urllib.request.urlopen(f"{url}/api/v1/datasets?size=1", timeout=2) as r:
                    if json.load(r)["total"] >= SEED_PUBLIC:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the source catalogue did not start")
            time.sleep(0.5)
        yield SourceCatalogue(url)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        shutil.rmtree(data_dir, ignore_errors=True)


async def add_source(name: str, kind: str, url: str) -> None:
    await make_organisation("harvesters")
    await service.save_source(
        service.parse_source(
            {
                "name": name,
                "kind": kind,
                "url": url,
                "organisation": "harvesters",
                "options": {"create_publishers": True, "archive_grace_days": 0},
            }
        )
    )


async def test_another_catalogue_harvested_as_dcat(db, source_catalogue):
    await add_source("peer", "dcat", f"{source_catalogue.url}/catalog.ttl")
    _, first = await harvest("peer")
    assert first.complete and first.failed == 0, first.lines()
    assert first.created == SEED_PUBLIC
    # Publishers of the source became organisations here.
    row = (
        await Dataset.select(Dataset.publisher.slug)
        .where(Dataset.slug == "consumer-price-index")
        .first()
    )
    assert row["publisher.slug"] == "statistical-office"

    source_catalogue.change(
        "consumer-price-index", {"description": {"en": "Changed at the source."}}
    )
    source_catalogue.withdraw("public-transport-timetables")  # related to by none
    source_catalogue.add("harvest-newcomer")
    _, second = await harvest("peer")
    assert second.complete and second.failed == 0, second.lines()
    assert (second.created, second.updated, second.archived, second.unchanged) == (
        1,
        1,
        1,
        SEED_PUBLIC - 2,
    )
    assert second.records_by_outcome["created"] == ["harvest-newcomer"]
    assert second.records_by_outcome["updated"] == ["consumer-price-index"]
    assert second.records_by_outcome["archived"] == ["public-transport-timetables"]
    document = (
        await Dataset.select(Dataset.document)
        .where(Dataset.slug == "consumer-price-index")
        .output(load_json=True)
        .first()
    )["document"]
    assert document["description"]["en"] == "Changed at the source."


async def test_another_catalogue_harvested_as_ckan(db, source_catalogue):
    await add_source("peer-ckan", "ckan", source_catalogue.url)
    _, first = await harvest("peer-ckan")
    assert first.complete and first.failed == 0, first.lines()
    total = first.created
    assert total == len(first.records_by_outcome["created"]) and total >= SEED_PUBLIC - 1

    source_catalogue.change("gdp-quarterly", {"title": {"en": "GDP, quarterly (changed)"}})
    source_catalogue.withdraw("vehicle-register")  # related to by none
    source_catalogue.add("ckan-newcomer")
    _, second = await harvest("peer-ckan")
    assert second.complete and second.failed == 0, second.lines()
    assert (second.created, second.updated, second.archived, second.unchanged) == (
        1,
        1,
        1,
        total - 2,
    )
    assert second.records_by_outcome["created"] == ["ckan-newcomer"]
    assert second.records_by_outcome["updated"] == ["gdp-quarterly"]
    assert second.records_by_outcome["archived"] == ["vehicle-register"]


async def test_a_harvest_killed_with_sigkill_is_completed_by_the_next_run(db):
    await make_organisation()
    with serving() as source:
        docs = documents(40, prefix="killed")
        first = source.pages(docs, per_page=4)
        for number in range(3, 11):
            source.routes[f"/feed/{number}"].delay = 0.7
        await service.save_source(
            service.parse_source(
                {"name": "slow", "kind": "dcat", "url": first, "organisation": PUBLISHER}
            )
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "catalogue", "harvest", "run", "slow"],
            cwd=PROJECT_ROOT,
            env=os.environ.copy(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 120
        while True:
            job = await HarvestJob.select(HarvestJob.pages).first()
            if job and job["pages"] >= 3:
                break
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the harvest did not get going"
            time.sleep(0.1)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        stored = await Dataset.count()
        assert 0 < stored < 40
        assert stored % 4 == 0  # whole pages only
        assert await HarvestRecord.count() == stored  # every stored dataset with its record

        for number in range(3, 11):
            source.routes[f"/feed/{number}"].delay = 0
        _, report = await harvest("slow")
        assert report.complete and report.failed == 0
        assert report.created == 40 - stored and report.unchanged == stored
        assert await Dataset.count() == 40 and await HarvestRecord.count() == 40
        statuses = [
            row["status"]
            for row in await HarvestJob.select(HarvestJob.status).order_by(HarvestJob.id)
        ]
        assert statuses == ["interrupted", "complete"]
