"""Harvest jobs against a local HTTP source: paging, change detection, archiving and
restoring, local enrichment kept, failures that archive nothing, one job per source."""

from __future__ import annotations

import copy
import socket
from typing import Any

import pytest

from catalogue.datasets.tables import Dataset, DatasetRevision
from catalogue.errors import Conflict
from catalogue.harvest import service
from catalogue.harvest.jobs import claim, harvest
from catalogue.harvest.tables import HarvestJob, HarvestRecord, HarvestSource
from tests.factories import PUBLISHER, make_organisation, open_dataset
from tests.harvest_server import Route, page_turtle, serving


def documents(count: int, prefix: str = "harvested") -> list[dict[str, Any]]:
    out = []
    for number in range(1, count + 1):
        document = open_dataset(f"{prefix}-{number}")
        document["title"] = {"en": f"Harvested dataset number {number}"}
        out.append(document)
    return out


async def add_source(url: str, name: str = "local", **options: Any) -> None:
    await service.save_source(
        service.parse_source(
            {
                "name": name,
                "kind": "dcat",
                "url": url,
                "organisation": PUBLISHER,
                "options": {"archive_grace_days": 0, **options},
            }
        )
    )


async def statuses() -> dict[str, str]:
    rows = await Dataset.select(Dataset.slug, Dataset.status)
    return {row["slug"]: row["status"] for row in rows}


@pytest.fixture
async def organisation(db: None) -> None:
    await make_organisation()


async def test_a_paged_feed_is_harvested_then_changes_are_reported_exactly(organisation):
    with serving() as source:
        docs = documents(7)
        first = source.pages(docs, per_page=3)
        await add_source(first)
        _, report = await harvest("local")
        assert report.complete and report.pages == 3 and report.records == 7
        assert (report.created, report.updated, report.unchanged, report.failed) == (7, 0, 0, 0)
        assert set((await statuses()).values()) == {"published"}
        revisions = await DatasetRevision.count()

        _, again = await harvest("local")
        assert (again.created, again.updated, again.unchanged) == (0, 0, 7)
        assert await DatasetRevision.count() == revisions  # unchanged: no new revision

        changed = copy.deepcopy(docs)
        changed[1]["description"] = {"en": "A new description at the source."}
        del changed[4]
        changed.append(documents(8)[7])
        source.pages(changed, per_page=3)
        _, third = await harvest("local")
        assert (third.created, third.updated, third.unchanged, third.archived) == (1, 1, 5, 1)
        assert third.records_by_outcome["updated"] == ["harvested-2"]
        assert third.records_by_outcome["created"] == ["harvested-8"]
        assert third.records_by_outcome["archived"] == ["harvested-5"]
        assert (await statuses())["harvested-5"] == "withdrawn"  # archived, never deleted
        history = (
            await DatasetRevision.select(DatasetRevision.actor_name)
            .where(DatasetRevision.action == "update")
            .first()
        )
        assert history["actor_name"].startswith("harvest job ")

        source.pages([*docs, documents(8)[7]], per_page=3)
        _, fourth = await harvest("local")
        assert fourth.restored == 1 and fourth.records_by_outcome["restored"] == ["harvested-5"]
        assert (await statuses())["harvested-5"] == "published"


async def test_gone_datasets_wait_for_the_grace_period(organisation):
    with serving() as source:
        docs = documents(3)
        await add_source(source.pages(docs, per_page=10), archive_grace_days=7)
        await harvest("local")
        source.pages(docs[:2], per_page=10)
        _, report = await harvest("local")
        assert report.archived == 0 and report.missing == 1
        assert (await statuses())["harvested-3"] == "published"


async def test_local_enrichment_survives_and_harvested_fields_are_read_only(organisation, client):
    from tests.factories import make_user

    headers = await make_user("steward@example.gov", {PUBLISHER: "steward"})
    with serving() as source:
        docs = documents(2)
        del docs[0]["technical"]["attributes"]  # the source says nothing of the schema
        await add_source(source.pages(docs, per_page=10))
        await harvest("local")
        read = await client.get("/api/v1/datasets/harvested-1")
        etag = read.headers["etag"]
        refused = await client.patch(
            "/api/v1/datasets/harvested-1",
            headers={**headers, "If-Match": etag},
            json={"title": {"en": "My own title"}},
        )
        assert refused.status_code == 422
        problem = refused.json()["problems"][0]
        assert problem["field"] == "title" and "read-only" in problem["message"]
        enriched = await client.patch(
            "/api/v1/datasets/harvested-1",
            headers={**headers, "If-Match": etag},
            json={
                "technical": {"attributes": [{"name": "tax_number", "is_identifier": True}]},
                "organisational": {"is_base_register": True},
            },
        )
        assert enriched.status_code == 200, enriched.text

        docs[0]["description"] = {"en": "Changed at the source."}
        source.pages(docs, per_page=10)
        _, report = await harvest("local")
        assert report.updated == 1 and report.unchanged == 1
        body = (await client.get("/api/v1/datasets/harvested-1")).json()
        assert body["description"] == {"en": "Changed at the source."}
        assert body["technical"]["attributes"][0]["name"] == "tax_number"
        assert body["organisational"]["is_base_register"] is True

        page = await client.get("/dataset/harvested-1", headers=headers)
        assert "Harvested from local" in page.text and "read-only here" in page.text
        feed = (await client.get("/dataset/harvested-1.ttl")).text
        assert "adms:identifier" in feed and "http://source.example/dataset/harvested-1" in feed


async def test_dry_run_stores_nothing(organisation):
    with serving() as source:
        await add_source(source.pages(documents(4), per_page=2))
        _, report = await harvest("local", dry_run=True)
        assert report.complete and report.created == 4
        assert await Dataset.count() == 0 and await HarvestRecord.count() == 0


@pytest.mark.parametrize("failure", ["500", "loop", "oversized", "slow", "invalid"])
async def test_a_harvest_that_fails_part_way_archives_nothing(organisation, failure):
    with serving() as source:
        docs = documents(6)
        await add_source(source.pages(docs, per_page=2), timeout_seconds=1, max_page_bytes=200_000)
        _, first = await harvest("local")
        assert first.complete and first.created == 6
        source.pages(docs[:3], per_page=2)  # three datasets gone, then a failure on page 2
        if failure == "500":
            source.routes["/feed/2"].status = 500
        elif failure == "loop":  # page 2 leads back to page 1
            source.routes["/feed/2"] = Route(
                page_turtle(docs[2:4], source.url("/feed/2"), source.url("/feed/1"))
            )
        elif failure == "oversized":
            source.routes["/feed/2"] = Route(b"# " + b"x" * 300_000)
        elif failure == "slow":
            source.routes["/feed/2"].delay = 3
        else:
            source.routes["/feed/2"] = Route(b'<http://a> <http://b> "unterminated .')
        job_id, report = await harvest("local")
        assert not report.complete
        expected = {
            "500": "HTTP 500",
            "loop": "paging loop",
            "oversized": "larger than",
            "slow": "did not answer",
            "invalid": "not valid RDF",
        }[failure]
        assert expected in report.error
        assert report.archived == 0 and report.missing == 0
        assert set((await statuses()).values()) == {"published"}
        assert await HarvestRecord.count().where(HarvestRecord.missing_since.is_not_null()) == 0
        job = await HarvestJob.select(HarvestJob.status).where(HarvestJob.id == job_id).first()
        assert job["status"] == "failed"
        source_row = await HarvestSource.select(HarvestSource.running_job).first()
        assert source_row["running_job"] is None  # the source is free again


async def test_one_job_per_source_and_a_dead_holder_is_taken_over(organisation):
    with serving() as source:
        await add_source(source.pages(documents(1), per_page=1))
        row = await HarvestSource.select(HarvestSource.id).first()
        job_id = await claim(row["id"], dry_run=False)
        with pytest.raises(Conflict):
            await claim(row["id"], dry_run=False)
        # The holder's process died (kill -9): its job names a process that no longer exists.
        dead = f"{socket.gethostname()}:999999999"
        await HarvestJob.update({HarvestJob.node: dead}).where(HarvestJob.id == job_id)
        next_job, report = await harvest("local")
        assert report.complete and next_job != job_id
        old = await HarvestJob.select(HarvestJob.status).where(HarvestJob.id == job_id).first()
        assert old["status"] == "interrupted"


async def test_a_scheduled_source_is_started_when_it_is_due(organisation):
    import asyncio
    import datetime as dt

    from catalogue.harvest.jobs import run_due

    with serving() as source:
        await service.save_source(
            service.parse_source(
                {
                    "name": "nightly",
                    "kind": "dcat",
                    "url": source.pages(documents(2), per_page=5),
                    "organisation": PUBLISHER,
                    "schedule": "P1D",
                }
            )
        )
        started = await run_due()
        assert len(started) == 1
        assert await run_due() == []  # running (and next due tomorrow): not started twice
        for _ in range(300):
            job = (
                await HarvestJob.select(HarvestJob.status)
                .where(HarvestJob.id == started[0])
                .first()
            )
            if job["status"] != "running":
                break
            await asyncio.sleep(0.1)
        assert job["status"] == "complete" and await Dataset.count() == 2
        row = await HarvestSource.select(HarvestSource.next_run).first()
        assert row["next_run"] > dt.datetime.now(dt.UTC) + dt.timedelta(hours=23)
        assert await run_due() == []


async def test_an_incremental_ckan_source_asks_for_what_changed_and_archives_nothing(organisation):
    import json

    def answer(names: list[str]) -> Route:
        packages = [
            {
                "id": name,
                "name": name,
                "title": name.title(),
                "notes": "Text.",
                "license_id": "CC_BY_4_0",
                "organization": {"name": PUBLISHER},
                "groups": [{"name": "gove"}],
                "tags": [{"name": "example"}],
                "resources": [{"url": f"https://data.example.gov/{name}.csv", "format": "CSV"}],
                "extras": [
                    {"key": "contact_email", "value": "data@example.gov"},
                    {"key": "access_rights", "value": "PUBLIC"},
                ],
                "metadata_modified": "2026-01-01T00:00:00",
            }
            for name in names
        ]
        body = {"success": True, "result": {"count": len(packages), "results": packages}}
        return Route(json.dumps(body).encode(), media_type="application/json")

    with serving() as source:
        source.routes["/api/3/action/package_search"] = answer(["alpha", "beta"])
        await service.save_source(
            service.parse_source(
                {
                    "name": "ckan-site",
                    "kind": "ckan",
                    "url": source.url("/"),
                    "organisation": PUBLISHER,
                    "options": {"incremental": True, "archive_grace_days": 0},
                }
            )
        )
        _, first = await harvest("ckan-site")
        assert first.complete and first.created == 2
        assert "sort=id+asc" in source.requests[0] and "fq=" not in source.requests[0]
        source.routes["/api/3/action/package_search"] = answer(["beta"])
        _, second = await harvest("ckan-site")
        assert second.complete and second.unchanged == 1 and second.archived == 0
        assert "fq=metadata_modified" in source.requests[-1]
