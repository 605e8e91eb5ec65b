"""``/api/v1/harvest/sources``, the harvest pages and ``catalogue harvest``: who may do what,
bad input named field by field, a run followed to its report."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from catalogue.datasets.tables import Dataset
from tests.conftest import PROJECT_ROOT
from tests.factories import PUBLISHER, make_organisation, make_user
from tests.harvest_server import page_turtle, serving
from tests.test_harvest_jobs import documents


@pytest.fixture
async def steward(db: None) -> dict[str, str]:
    await make_organisation()
    await make_organisation("other-office")
    return await make_user("steward@example.gov", {PUBLISHER: "steward"})


def source(url: str, name: str = "portal", **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "kind": "dcat",
        "url": url,
        "organisation": PUBLISHER,
        "schedule": "P1D",
        **extra,
    }


async def wait_for(client: Any, location: str, headers: dict[str, str]) -> dict[str, Any]:
    for _ in range(300):
        job = (await client.get(location, headers=headers)).json()
        if job["status"] != "running":
            return job
        await asyncio.sleep(0.1)
    raise AssertionError("the job did not end")


async def test_sources_are_managed_and_run_through_the_api(client, steward):
    other = await make_user("other@example.gov", {"other-office": "steward"})
    with serving() as feed:
        url = feed.pages(documents(5), per_page=2)
        assert (await client.get("/api/v1/harvest/sources")).status_code == 401
        created = await client.post("/api/v1/harvest/sources", json=source(url), headers=steward)
        assert created.status_code == 201, created.text
        body = created.json()
        assert body["schedule"] == "P1D" and body["next_run"] and body["organisation"] == PUBLISHER
        again = await client.post("/api/v1/harvest/sources", json=source(url), headers=steward)
        assert again.status_code == 409
        refused = await client.post(
            "/api/v1/harvest/sources", json=source(url, "theirs"), headers=other
        )
        assert refused.status_code == 403
        bad = await client.post(
            "/api/v1/harvest/sources",
            headers=steward,
            json={
                "name": "Not a slug",
                "kind": "ftp",
                "organisation": PUBLISHER,
                "schedule": "sometimes",
                "options": {"archive_grace_days": -1},
            },
        )
        assert bad.status_code == 422
        fields = {problem["field"] for problem in bad.json()["problems"]}
        assert {"name", "kind", "options.archive_grace_days"} <= fields

        listed = (await client.get("/api/v1/harvest/sources", headers=steward)).json()
        assert [item["name"] for item in listed["items"]] == ["portal"]
        assert (await client.get("/api/v1/harvest/sources", headers=other)).json()["total"] == 0
        changed = await client.put(
            "/api/v1/harvest/sources/portal", headers=steward, json=source(url, schedule="manual")
        )
        assert changed.status_code == 200 and changed.json()["schedule"] == "manual"

        run = await client.post("/api/v1/harvest/sources/portal/run", headers=steward)
        assert run.status_code == 202, run.text
        job = await wait_for(client, run.headers["location"], steward)
        assert job["status"] == "complete" and job["pages"] == 3 and job["records"] == 5
        assert job["report"]["summary"]["created"] == 5
        jobs = (await client.get("/api/v1/harvest/sources/portal/jobs", headers=steward)).json()
        assert [item["id"] for item in jobs["items"]] == [job["id"]]

        page = await client.get(
            "/harvest/sources/portal", headers={**steward, "Accept": "text/html"}
        )
        assert page.status_code == 200 and "Harvest now" in page.text
        report = await client.get(job["links"]["html"], headers={**steward, "Accept": "text/html"})
        assert "Complete. Pages read: 3; records: 5" in report.text
        twin = await client.get(
            job["links"]["html"], headers={**steward, "Accept": "application/json"}
        )
        assert twin.json()["report"]["summary"]["created"] == 5
        assert (
            await client.get("/harvest/sources", headers={**steward, "Accept": "application/json"})
        ).json()["total"] == 1
        from_form = await client.post(
            "/harvest/sources/portal/run",
            headers=steward,
            data={"dry_run": "1"},
            follow_redirects=False,
        )
        assert from_form.status_code == 303
        dry = await wait_for(client, "/api/v1" + from_form.headers["location"], steward)
        assert dry["dry_run"] and dry["report"]["summary"]["unchanged"] == 5

        assert (
            await client.get("/api/v1/harvest/sources/portal/jobs/999999", headers=steward)
        ).status_code == 404
        gone = await client.delete("/api/v1/harvest/sources/portal", headers=steward)
        assert gone.status_code == 200
        assert await Dataset.count() == 5  # the datasets stay, as local ones
        assert (
            await client.get("/api/v1/harvest/sources/portal", headers=steward)
        ).status_code == 404


def catalogue(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "catalogue", *args],
        cwd=PROJECT_ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
async def test_the_harvest_commands(db, tmp_path: Path):
    await make_organisation()
    with serving() as feed:
        url = feed.pages(documents(3), per_page=2)
        added = catalogue(
            "harvest",
            "add",
            "--name",
            "cli-source",
            "--kind",
            "dcat",
            "--url",
            url,
            "--organisation",
            PUBLISHER,
        )
        assert added.returncode == 0, added.stderr
        assert "cli-source" in catalogue("harvest", "list").stdout
        dry = catalogue("harvest", "run", "cli-source", "--dry-run")
        assert dry.returncode == 0 and "3 created" in dry.stdout and await Dataset.count() == 0
        ran = catalogue("harvest", "run", "cli-source")
        assert ran.returncode == 0, ran.stdout + ran.stderr
        assert "Harvest complete: 2 page(s), 3 record(s)." in ran.stdout
        assert "job 2 complete" in catalogue("harvest", "jobs", "cli-source").stdout

        feed.routes["/feed/2"].status = 500
        failed = catalogue("harvest", "run", "cli-source")
        assert failed.returncode == 1 and "HTTP 500" in failed.stdout

    turtle = tmp_path / "datasets.ttl"
    turtle.write_bytes(page_turtle(documents(2, prefix="from-file"), "http://x/", None))
    imported = catalogue("harvest", "import", str(turtle), "--organisation", PUBLISHER)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "2 created" in imported.stdout
    assert (
        "2 unchanged"
        in catalogue("harvest", "import", str(turtle), "--organisation", PUBLISHER).stdout
    )
    broken = tmp_path / "broken.ttl"
    broken.write_text('<http://a> <http://b> "unterminated .')
    assert catalogue("harvest", "import", str(broken), "--organisation", PUBLISHER).returncode == 1
