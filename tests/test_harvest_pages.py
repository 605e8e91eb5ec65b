"""The stewards' harvest pages: register a source in a form (problems beside the fields), run
it, and read the job's report, against a real local DCAT source."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from tests.factories import open_dataset
from tests.harvest_server import serving
from tests.test_admin_pages import error_beside, form_token, sign_in

STEWARD = "steward@statistical-office.example.si"
ORGANISATION = "statistical-office"


async def _register(client: Any, **fields: str) -> Any:
    token = await form_token(client, "/harvest/sources")
    return await client.post("/harvest/sources", data={"_csrf_token": token, **fields})


async def test_a_steward_registers_runs_and_reads_a_harvest(client: Any, seeded: None) -> None:
    with serving() as source:
        documents = [open_dataset(f"harvested-{n}", ORGANISATION) for n in range(3)]
        url = source.pages(documents, per_page=2)
        await sign_in(client, STEWARD)
        page = (await client.get("/harvest/sources")).text
        assert '<form method="post" action="/harvest/sources"' in page
        assert f'<option value="{ORGANISATION}" selected>' in page  # their only organisation

        refused = await _register(
            client, name="Not a slug", kind="dcat", url=url, organisation=ORGANISATION
        )
        assert refused.status_code == 422
        assert error_beside(refused.text, "name")
        assert f'value="{url}"' in refused.text  # what was typed is kept

        created = await _register(
            client,
            name="office-portal",
            kind="dcat",
            url=url,
            organisation=ORGANISATION,
            schedule="manual",
        )
        assert created.status_code == 303
        assert created.headers["location"] == "/harvest/sources/office-portal"
        again = await _register(
            client, name="office-portal", kind="dcat", url=url, organisation=ORGANISATION
        )
        assert again.status_code == 422 and error_beside(again.text, "name")

        source_page = (await client.get("/harvest/sources/office-portal")).text
        token = re.search(r'name="_csrf_token" value="([^"]+)"', source_page)
        assert token and "Harvest now" in source_page
        run = await client.post(
            "/harvest/sources/office-portal/run", data={"_csrf_token": token.group(1)}
        )
        assert run.status_code == 303
        job_url = run.headers["location"]
        for _ in range(200):
            job = (await client.get(job_url, headers={"Accept": "application/json"})).json()
            if job["status"] != "running":
                break
            await asyncio.sleep(0.1)
        assert job["status"] == "complete", job
        assert job["report"]["summary"]["created"] == 3
        report = (await client.get(job_url)).text
        assert "harvested-0" in report and "Refresh" not in report
        listed = (await client.get("/harvest/sources/office-portal")).text
        assert "3 created" in listed


async def test_a_user_without_a_steward_role_sees_no_form(client: Any, seeded: None) -> None:
    await sign_in(client, "auditor@information-commissioner.example.si")
    page = await client.get("/harvest/sources")
    assert page.status_code == 200 and 'action="/harvest/sources"' not in page.text


async def test_an_anonymous_browser_is_sent_to_sign_in_and_a_client_gets_401(
    client: Any, seeded: None
) -> None:
    page = await client.get("/harvest/sources/office-portal", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/signin?next=/harvest/sources/office-portal"
    twin = await client.get("/harvest/sources", headers={"Accept": "application/json"})
    assert twin.status_code == 401 and twin.json()["detail"]
