"""The oversight pages: the auditor's audit log and records of processing, the DPO's inbox.

Runs on the demo catalogue. Each page has a JSON twin, sends an anonymous visitor to sign in
and refuses the wrong role with 403.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest

from catalogue.audit.tables import AuditEvent
from tests.test_agreements_api import proposal, token_for
from tests.test_agreements_pages import csrf, sign_in
from tests.test_audit_log import tamper

JSON = {"Accept": "application/json"}
AUDITOR = "auditor@information-commissioner.example.si"
DPO = "dpo@ministry-of-the-interior.example.si"
STEWARD = "steward@ministry-of-labour.example.si"


async def as_json(email: str) -> dict[str, str]:
    return {**JSON, **await token_for(email)}


@pytest.fixture
async def auditor(seeded, client) -> dict[str, str]:
    return await as_json(AUDITOR)


@pytest.fixture
async def steward(seeded, client) -> dict[str, str]:
    return await as_json(STEWARD)


async def every_sequence(**where: Any) -> list[int]:
    query = AuditEvent.select(AuditEvent.sequence).order_by(AuditEvent.sequence, ascending=False)
    if where:
        query = query.where(*(getattr(AuditEvent, k) == v for k, v in where.items()))
    return [row["sequence"] for row in await query]


@pytest.mark.parametrize("path", ["/audit", "/audit/export.csv", "/dpo", "/records-of-processing"])
async def test_an_anonymous_visitor_is_asked_to_sign_in(seeded, client, path):
    client.follow_redirects = False
    response = await client.get(path)
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"/signin?next={path}")
    assert (await client.get(path, headers=JSON)).status_code == 401


@pytest.mark.parametrize(
    "path", ["/audit", "/audit/export.csv", "/dpo", "/records-of-processing/police"]
)
async def test_a_steward_may_not_see_the_oversight_pages(client, steward, path):
    assert (await client.get(path, headers=steward)).status_code == 403
    html = {"Authorization": steward["Authorization"]}
    assert (await client.get(path, headers=html)).status_code == 403


async def test_the_audit_log_lists_the_newest_entries_first(client, auditor):
    response = await client.get("/audit", headers=auditor)
    assert response.status_code == 200
    body = response.json()
    sequences = [item["sequence"] for item in body["items"]]
    assert sequences == (await every_sequence())[:50]
    assert body["newer"] is None and body["older"] == f"/audit?before={sequences[-1]}"
    page = await client.get("/audit", headers={"Authorization": auditor["Authorization"]})
    assert "<h1>Audit log</h1>" in page.text and f'<th scope="row">{sequences[0]}</th>' in page.text


async def test_each_filter_narrows_the_log(client, auditor):
    agreements = await every_sequence(object_kind="agreement")
    assert 0 < len(agreements) < len(await every_sequence())
    body = (await client.get("/audit", params={"kind": "agreement"}, headers=auditor)).json()
    assert [item["sequence"] for item in body["items"]] == agreements[:50]
    interior = await every_sequence(organisation="ministry-of-the-interior")
    body = (
        await client.get(
            "/audit",
            params={"kind": "agreement", "organisation": "ministry-of-the-interior"},
            headers=auditor,
        )
    ).json()
    assert {item["sequence"] for item in body["items"]} == set(agreements) & set(interior)
    assert all(item["object"]["kind"] == "agreement" for item in body["items"])
    reference = body["items"][0]["object"]["label"]
    by_object = (await client.get("/audit", params={"object": reference}, headers=auditor)).json()
    assert by_object["items"] and all(
        reference in (item["object"]["id"], item["object"]["label"]) for item in by_object["items"]
    )
    utc_today = dt.datetime.now(dt.UTC).date()  # the log's days are UTC days
    tomorrow = (utc_today + dt.timedelta(days=1)).isoformat()
    later = (await client.get("/audit", params={"from": tomorrow}, headers=auditor)).json()
    assert later["items"] == []
    until_today = (
        await client.get("/audit", params={"to": utc_today.isoformat()}, headers=auditor)
    ).json()
    assert len(until_today["items"]) == 50  # the last day counts whole


async def test_an_actor_filter_finds_their_changes(client, auditor):
    await client.post("/api/v1/agreements", json=proposal(), headers=await token_for(STEWARD))
    body = (await client.get("/audit", params={"actor": STEWARD}, headers=auditor)).json()
    assert body["items"] and {item["actor"]["email"] for item in body["items"]} == {STEWARD}


async def test_a_bad_date_is_explained_beside_its_field_and_the_form_is_kept(client, auditor):
    html = {"Authorization": auditor["Authorization"]}
    page = await client.get(
        "/audit", params={"from": "31.1.2026", "kind": "agreement"}, headers=html
    )
    assert page.status_code == 422
    assert 'id="audit-from-error"' in page.text and "for example 2026-01-31" in page.text
    assert 'value="31.1.2026"' in page.text and 'value="agreement"' in page.text
    twin = await client.get(
        "/audit", params={"from": "2026-02-01", "to": "2026-01-01"}, headers=auditor
    )
    assert twin.status_code == 422 and twin.json()["problems"][0]["field"] == "to"


async def test_paging_visits_every_entry_once_both_ways(client, auditor):
    seen: list[int] = []
    link: str | None = "/audit"
    pages = []
    while link:
        body = (await client.get(link, headers=auditor)).json()
        seen += [item["sequence"] for item in body["items"]]
        pages.append(link)
        link = body["older"]
    assert len(pages) > 2
    assert seen == await every_sequence()  # each once, newest first
    back: list[int] = []
    link = pages[-1]
    while link:
        body = (await client.get(link, headers=auditor)).json()
        back = [item["sequence"] for item in body["items"]] + back
        link = body["newer"]
    assert back[: len(seen)] == seen[: len(back)] and set(back) == set(seen)


async def test_the_csv_holds_the_filtered_entries_under_a_header(client, auditor):
    response = await client.get(
        "/audit/export.csv", params={"kind": "agreement"}, headers=await token_for(AUDITOR)
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert response.text.startswith("sequence,at,actor_id,actor,")
    assert [int(row["sequence"]) for row in rows] == await every_sequence(object_kind="agreement")
    assert {row["object_kind"] for row in rows} == {"agreement"}


async def test_verifying_the_chain_shows_valid_then_broken_after_tampering(client, seeded):
    await sign_in(client, AUDITOR)
    page = await client.get("/audit")
    token = csrf(page.text)
    assert (await client.post("/audit/verify", data={})).status_code == 403  # no CSRF token
    result = await client.post("/audit/verify", data={"_csrf_token": token})
    assert result.status_code == 200
    head = await AuditEvent.select().order_by(AuditEvent.sequence, ascending=False).first()
    assert "The chain is valid" in result.text
    assert head["row_hash"] in result.text and f"<dd>{head['sequence']}</dd>" in result.text
    twin = await client.post("/audit/verify", data={"_csrf_token": token}, headers=JSON)
    assert twin.json()["ok"] is True and twin.json()["head_hash"] == head["row_hash"]

    await tamper("UPDATE audit_event SET reason = 'nothing happened' WHERE sequence = 3")
    broken = await client.post("/audit/verify", data={"_csrf_token": token})
    assert "The chain is broken" in broken.text
    assert "The first broken link is at entry 3." in broken.text


async def test_the_dpo_inbox_lists_what_awaits_and_what_ends_within_60_days(client, seeded):
    labour, dpo = await token_for(STEWARD), await token_for(DPO)
    today = dt.date.today()

    async def approved_until(days: int) -> str:
        ends = (today + dt.timedelta(days=days)).isoformat()
        made = await client.post(
            "/api/v1/agreements", json=proposal(valid_until=ends), headers=labour
        )
        assert made.status_code == 201, made.text
        decided = await client.post(
            f"/api/v1/agreements/{made.json()['id']}/approve", json={}, headers=dpo
        )
        assert decided.status_code == 200, decided.text
        return made.json()["reference"]

    soon, later = await approved_until(30), await approved_until(90)
    submitted = await client.post("/api/v1/agreements", json=proposal(), headers=labour)
    body = (await client.get("/dpo", headers={**JSON, **dpo})).json()
    assert body["organisations"] == ["ministry-of-the-interior"]
    awaiting = {item["reference"] for item in body["awaiting"]["items"]}
    assert submitted.json()["reference"] in awaiting
    assert "DUA-2026-015" in awaiting  # proposed in the demo catalogue, for the interior
    assert "DUA-2025-007" not in awaiting  # under review by another provider
    assert body["awaiting"]["total"] == len(awaiting)
    expiring = [item["reference"] for item in body["expiring"]["items"]]
    assert soon in expiring and later not in expiring
    assert body["expiring"]["total"] == len(expiring)

    page = await client.get("/dpo", headers=dpo)
    assert page.status_code == 200
    assert f'href="/agreements/{submitted.json()["id"]}"' in page.text
    assert f"{len(expiring)} approved agreement" in page.text
    assert 'href="/dpo?format=json"' in page.text  # "This page as JSON"
    twin = await client.get("/dpo", params={"format": "json"}, headers=dpo)
    assert twin.json() == body


async def test_a_dpo_finds_the_inbox_from_the_home_page_and_the_navigation(client, seeded):
    await sign_in(client, DPO)
    home = await client.get("/")
    assert 'href="/dpo"' in home.text and "Your oversight work" in home.text
    await sign_in(client, STEWARD)
    assert 'href="/dpo"' not in (await client.get("/")).text


async def test_the_records_of_processing_list_each_controller(client, auditor):
    body = (await client.get("/records-of-processing", headers=auditor)).json()
    slugs = {item["organisation"] for item in body["items"]}
    assert "ministry-of-the-interior" in slugs and body["total"] == len(slugs)
    page = await client.get(
        "/records-of-processing", headers={"Authorization": auditor["Authorization"]}
    )
    assert 'href="/records-of-processing/ministry-of-the-interior"' in page.text
    assert 'href="/api/v1/ropa?format=csv"' in page.text
    assert 'href="/records-of-processing?format=json"' in page.text


async def test_the_activity_counts_follow_an_agreement_at_once(client, auditor):
    """The counts are kept per catalogue version; an approved agreement moves it."""
    from catalogue.agreements.tables import Agreement

    def counts(body: dict) -> dict[str, int]:
        return {item["organisation"]: item["activities"] for item in body["items"]}

    before = counts((await client.get("/records-of-processing", headers=auditor)).json())
    rejected = await Agreement.select(Agreement.reference, Agreement.consumer.slug).where(
        Agreement.status == "approved", Agreement.dataset.classification == "personal"
    )
    reference, consumer = rejected[0]["reference"], rejected[0]["consumer.slug"]
    await Agreement.update({Agreement.status: "rejected"}).where(Agreement.reference == reference)
    after = counts((await client.get("/records-of-processing", headers=auditor)).json())
    assert after.get(consumer, 0) == before[consumer] - 1


async def test_a_controllers_record_reads_in_plain_language_with_downloads(client, auditor):
    html = {"Authorization": auditor["Authorization"]}
    page = await client.get("/records-of-processing/ministry-of-the-interior", headers=html)
    assert page.status_code == 200
    assert "Why the data is processed" in page.text and "Whose data" in page.text
    assert "Central population register" in page.text or "central-population-register" in page.text
    csv_link = "/api/v1/ropa?controller=ministry-of-the-interior&amp;format=csv"
    assert csv_link in page.text
    download = await client.get(csv_link.replace("&amp;", "&"), headers=html)
    assert download.status_code == 200 and download.text.startswith("controller,")
    twin = await client.get("/records-of-processing/ministry-of-the-interior", headers=auditor)
    [record] = twin.json()["controllers"]
    assert record["organisation"] == "ministry-of-the-interior" and record["activities"]
    missing = await client.get("/records-of-processing/no-such-body", headers=auditor)
    assert missing.status_code == 404


async def test_a_controllers_record_is_read_a_page_at_a_time(client, auditor, monkeypatch):
    """Registers by slug, then reuses by agreement: the pages together are the download."""
    from catalogue.ropa import queries, service

    path = "/records-of-processing/ministry-of-labour"
    whole = await client.get("/api/v1/ropa?controller=ministry-of-labour", headers=auditor)
    [expected] = whole.json()["controllers"]
    kinds = {activity["activity"] for activity in expected["activities"]}
    assert kinds == {"register", "reuse"}  # both phases are paged through
    monkeypatch.setattr(service, "PAGE_SIZE", 1)
    monkeypatch.setattr(queries, "RECIPIENTS_PER_DATASET", 1)
    seen: list[tuple[str, str]] = []
    url: str | None = path
    while url:
        body = (await client.get(url, headers=auditor)).json()
        [record] = body["controllers"]
        assert len(record["activities"]) == 1
        seen += [(a["activity"], a["dataset"]) for a in record["activities"]]
        url = body["next"]
    assert seen == [(a["activity"], a["dataset"]) for a in expected["activities"]]
    html = await client.get(path, headers={"Authorization": auditor["Authorization"]})
    assert 'rel="next"' in html.text


async def test_a_register_with_many_recipients_lists_the_first_and_their_total(
    client, auditor, monkeypatch
):
    from catalogue.ropa import queries

    monkeypatch.setattr(queries, "RECIPIENTS_PER_DATASET", 1)
    body = (
        await client.get("/records-of-processing/ministry-of-the-interior", headers=auditor)
    ).json()
    [register] = [
        a
        for a in body["controllers"][0]["activities"]
        if a["dataset"] == "central-population-register"
    ]
    assert len(register["recipients"]) == 1 and register["recipients_total"] == 3
    html = await client.get(
        "/records-of-processing/ministry-of-the-interior",
        headers={"Authorization": auditor["Authorization"]},
    )
    assert "the first 1 of 3 agreements" in html.text


async def test_a_steward_reads_only_their_own_organisations_record(client, steward):
    own = await client.get("/records-of-processing/ministry-of-labour", headers=steward)
    assert own.status_code == 200
    listed = (await client.get("/records-of-processing", headers=steward)).json()
    assert {item["organisation"] for item in listed["items"]} <= {"ministry-of-labour"}


async def test_the_pages_speak_slovenian(client, auditor):
    html = {"Authorization": auditor["Authorization"], "Accept-Language": "sl"}
    page = await client.get("/audit", headers=html)
    assert "Preveri verigo" in page.text
