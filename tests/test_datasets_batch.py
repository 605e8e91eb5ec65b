"""Batch writes: every check of a single write, one outcome per item, good items never
blocked by bad ones; history, the audit chain, the change log and search follow."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from catalogue.accounts.principal import Principal
from catalogue.audit.service import verify_chain
from catalogue.audit.tables import AuditEvent
from catalogue.datasets.batch import write_batch
from catalogue.datasets.tables import Dataset, DatasetRevision, DatasetTheme
from catalogue.search import outbox
from catalogue.search.service import SearchQuery, search
from catalogue.search.tables import ChangeLog
from tests.factories import (
    PUBLISHER,
    changed,
    closed_dataset,
    make_organisation,
    make_user,
    open_dataset,
    personal_dataset,
)

ADMIN = Principal(user_id=None, name="admin", email="", global_role="admin")


def published(document: dict) -> dict:
    return changed(document, "status", "published")


@pytest.fixture
async def organisation(db) -> AsyncIterator[None]:
    await make_organisation()
    await make_organisation("other-ministry")
    yield
    await outbox.wait_for_pending_drains()  # no index drain may outlive the test's loop


async def test_good_items_are_written_and_each_bad_one_says_why(organisation):
    items = [
        published(open_dataset("open-one")),
        published(changed(open_dataset("no-licence"), "legal.licence", None)),  # a rule
        published(closed_dataset("closed-one")),
        changed(open_dataset("bad-theme"), "semantic.themes", ["NOPE"]),  # an unknown code
        published(personal_dataset("personal-one")),
        changed(open_dataset("nobody"), "organisational.publisher", "no-such-org"),
        "not a document",
        open_dataset("open-one"),  # the same slug twice in one batch
    ]
    outcomes = await write_batch(items, ADMIN)
    assert [(o.slug, o.status, o.outcome) for o in outcomes] == [
        ("open-one", 201, "created"),
        ("no-licence", 422, "failed"),
        ("closed-one", 201, "created"),
        ("bad-theme", 422, "failed"),
        ("personal-one", 201, "created"),
        ("nobody", 422, "failed"),
        (None, 422, "failed"),
        ("open-one", 409, "failed"),
    ]
    assert any(p.field == "legal.licence" for p in outcomes[1].problems)
    assert [p.code for p in outcomes[3].problems] == ["unknown_code"]
    assert [p.code for p in outcomes[5].problems] == ["unknown_publisher"]
    stored = {
        row["slug"]: row
        for row in await Dataset.select(Dataset.slug, Dataset.status, Dataset.revision)
    }
    assert set(stored) == {"open-one", "closed-one", "personal-one"}
    assert {row["status"] for row in stored.values()} == {"published"}
    assert outcomes[0].record is not None and outcomes[0].record.revision == 1
    assert await DatasetRevision.count() == 3
    assert await DatasetTheme.count() == 3


async def test_the_batch_keeps_history_audit_chain_and_change_log_like_single_writes(
    organisation,
):
    before = await AuditEvent.count()
    outcomes = await write_batch([open_dataset(f"set-{n}") for n in range(7)], ADMIN)
    assert {o.status for o in outcomes} == {201}
    events = await AuditEvent.select(AuditEvent.object_label, AuditEvent.action).where(
        AuditEvent.object_kind == "dataset"
    )
    assert sorted(e["object_label"] for e in events) == [f"set-{n}" for n in range(7)]
    assert {e["action"] for e in events} == {"create"}
    assert await AuditEvent.count() == before + 7
    assert (await verify_chain()).ok
    logged = await ChangeLog.select(ChangeLog.object_id).where(ChangeLog.kind == "dataset")
    ids = {str(row["id"]) for row in await Dataset.select(Dataset.id)}
    assert {row["object_id"] for row in logged} == ids
    await outbox.wait_for_pending_drains()
    result = await search(SearchQuery(q="example", size=20), ADMIN)
    assert sorted(hit.slug for hit in result.items) == [f"set-{n}" for n in range(7)]


async def test_upsert_replaces_keeps_unchanged_and_guards_revisions(organisation):
    await write_batch([open_dataset("river"), open_dataset("lake")], ADMIN)
    renamed = changed(open_dataset("river"), "title.en", "River gauges")
    outcomes = await write_batch(
        [renamed, open_dataset("lake"), changed(open_dataset("lake"), "title.en", "Lakes")],
        ADMIN,
        upsert=True,
        expected=[None, None, 7],
    )
    assert [(o.status, o.outcome) for o in outcomes] == [
        (200, "updated"),
        (200, "unchanged"),
        (412, "failed"),
    ]
    river = (
        await Dataset.select(Dataset.revision, Dataset.title).where(Dataset.slug == "river").first()
    )
    assert river == {"revision": 2, "title": "River gauges"}
    assert await DatasetRevision.count().where(DatasetRevision.action == "update") == 1
    again = await write_batch([open_dataset("lake")], ADMIN)  # create mode: a conflict
    assert (again[0].status, again[0].outcome) == (409, "failed")


async def test_permissions_are_checked_per_item(organisation):
    from catalogue.accounts.principal import STEWARD

    steward = Principal(user_id=None, name="s", email="", roles={PUBLISHER: STEWARD})
    outcomes = await write_batch(
        [open_dataset("mine"), open_dataset("theirs", publisher="other-ministry")], steward
    )
    assert [o.status for o in outcomes] == [201, 403]
    auditor = Principal(user_id=None, name="a", email="", global_role="auditor")
    assert [o.status for o in await write_batch([open_dataset("audited")], auditor)] == [403]


async def test_two_batches_racing_for_one_slug_create_it_once(organisation):
    first = [open_dataset(f"a-{n}") for n in range(5)] + [open_dataset("contested")]
    second = [open_dataset(f"b-{n}") for n in range(5)] + [open_dataset("contested")]
    results = await asyncio.gather(write_batch(first, ADMIN), write_batch(second, ADMIN))
    contested = [outcomes[-1].status for outcomes in results]
    assert sorted(contested) == [201, 409]
    assert all(o.status == 201 for outcomes in results for o in outcomes[:-1])
    assert await Dataset.count() == 11
    assert (await verify_chain()).ok


async def test_the_batch_endpoint_answers_207_with_a_result_per_item(client, organisation):
    steward = await make_user("steward@example.gov", roles={PUBLISHER: "steward"})
    body = {
        "items": [
            published(open_dataset("api-one")),
            published(changed(open_dataset("api-two"), "legal.access_rights", "NON_PUBLIC")),
            open_dataset("elsewhere", publisher="other-ministry"),
        ]
    }
    response = await client.post("/api/v1/datasets/batch", json=body, headers=steward)
    assert response.status_code == 207, response.text
    answer = response.json()
    assert answer["summary"] == {"created": 1, "updated": 0, "unchanged": 0, "failed": 2}
    first, second, third = answer["items"]
    assert (first["status"], first["revision"], first["etag"]) == (201, 1, '"1"')
    assert first["links"]["self"] == "/api/v1/datasets/api-one"
    assert second["status"] == 422
    assert "legal.access_rights" in {p["field"] for p in second["problems"]}
    assert third["status"] == 403 and "other-ministry" in third["detail"]
    read = await client.get("/api/v1/datasets/api-one", headers=steward)
    assert read.status_code == 200 and read.json()["status"] == "published"

    update = {
        "mode": "upsert",
        "items": [
            {"document": changed(open_dataset("api-one"), "title.en", "Renamed"), "if_match": '"1"'}
        ],
    }
    response = await client.post("/api/v1/datasets/batch", json=update, headers=steward)
    assert response.json()["items"][0]["status"] == 200
    assert response.json()["items"][0]["revision"] == 2


@pytest.mark.parametrize(
    "body, field",
    [
        ({"items": []}, "items"),
        ({"items": "x"}, "items"),
        ({"items": [{}], "mode": "merge"}, "mode"),
        ({"items": [{}], "extra": 1}, "extra"),
    ],
)
async def test_a_malformed_batch_request_is_a_400_naming_the_field(
    client, organisation, body, field
):
    admin = await make_user("admin@example.gov", global_role="admin")
    response = await client.post("/api/v1/datasets/batch", json=body, headers=admin)
    assert response.status_code == 400
    assert field in {p["field"] for p in response.json()["problems"]}


async def test_the_batch_endpoint_needs_a_signed_in_writer(client, organisation):
    response = await client.post("/api/v1/datasets/batch", json={"items": [open_dataset()]})
    assert response.status_code == 401
    assert await Dataset.count() == 0


async def test_the_batch_fills_every_column_a_single_write_fills(organisation):
    """The record of processing reads ``controller``: a batch insert must fill it too."""
    from catalogue.datasets.service import create_dataset

    stated = personal_dataset("by-batch")
    stated["legal"]["personal_data"]["controller"]["organisation"] = "other-ministry"
    await write_batch([stated, open_dataset("open-by-batch")], ADMIN)
    await create_dataset(personal_dataset("one-by-one"), ADMIN)
    rows = await Dataset.select(Dataset.slug, Dataset.controller).order_by(Dataset.slug)
    assert {row["slug"]: row["controller"] for row in rows} == {
        "by-batch": "other-ministry",  # as its legal level states
        "one-by-one": PUBLISHER,  # else its publisher
        "open-by-batch": PUBLISHER,
    }
