"""Webhooks: an administrator registers a receiver; changes reach it signed, retried with
backoff, logged with the answers, and never hold up the write. A real HTTP receiver runs in
the test."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from catalogue.webhooks import rules, worker
from tests.factories import make_organisation, make_user, open_dataset

STEWARD_ROLES = {"ministry-of-examples": "steward"}


class Receiver:
    """A local HTTP server that records every request and answers from a script."""

    def __init__(self, answers: list[tuple[int, float]]) -> None:
        self.answers = answers  # (status, seconds to wait first); the last one repeats
        self.requests: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                index = min(len(receiver.requests), len(receiver.answers) - 1)
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                status, wait = receiver.answers[index]
                time.sleep(wait)
                reply = json.dumps({"received": status < 300}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(reply)))
                    self.end_headers()
                    self.wfile.write(reply)
                except OSError:
                    pass  # the catalogue gave up waiting

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries after 0.2 s (not 10 s), a poll every 0.1 s, a 1 s timeout."""
    monkeypatch.setattr(rules, "FIRST_RETRY_SECONDS", 0.2)
    monkeypatch.setattr(worker, "POLL_SECONDS", 0.1)
    monkeypatch.setattr(worker, "TIMEOUT_SECONDS", 1.0)


@pytest.fixture
def receiver(request: pytest.FixtureRequest) -> Iterator[Receiver]:
    marker = request.node.get_closest_marker("answers")
    server = Receiver(marker.args[0] if marker else [(200, 0.0)])
    yield server
    server.close()


async def until(condition: Any, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.05)


async def deliveries(client: Any, admin: dict[str, str], hook: int) -> list[dict[str, Any]]:
    response = await client.get(f"/api/v1/webhooks/{hook}/deliveries", headers=admin)
    assert response.status_code == 200
    return response.json()["items"]


async def setup(
    client: Any, url: str, events: list[str]
) -> tuple[dict[str, str], dict[str, str], dict]:
    await make_organisation()
    admin = await make_user("admin@example.si", global_role="admin")
    steward = await make_user("steward@example.si", STEWARD_ROLES)
    hook = await client.post("/api/v1/webhooks", json={"url": url, "events": events}, headers=admin)
    assert hook.status_code == 201, hook.text
    return admin, steward, hook.json()


async def test_only_an_admin_registers_and_addresses_must_be_http(client: Any, db: None) -> None:
    await make_organisation()
    admin = await make_user("admin@example.si", global_role="admin")
    steward = await make_user("steward@example.si", STEWARD_ROLES)
    good = {"url": "https://receiver.example.org/in", "events": ["dataset.published"]}
    assert (await client.post("/api/v1/webhooks", json=good)).status_code == 401
    assert (await client.post("/api/v1/webhooks", json=good, headers=steward)).status_code == 403
    assert (await client.get("/api/v1/webhooks", headers=steward)).status_code == 403
    for url in ("ftp://receiver.example.org/in", "file:///etc/passwd", "receiver", ""):
        bad = await client.post("/api/v1/webhooks", json={**good, "url": url}, headers=admin)
        assert bad.status_code == 422, url
        assert [p["field"] for p in bad.json()["problems"]] == ["url"]
    unknown = await client.post(
        "/api/v1/webhooks", json={**good, "events": ["dataset.eaten"]}, headers=admin
    )
    assert unknown.status_code == 422 and unknown.json()["problems"][0]["field"] == "events[0]"
    empty = await client.post("/api/v1/webhooks", json={**good, "events": []}, headers=admin)
    assert empty.status_code == 422 and empty.json()["problems"][0]["field"] == "events"

    created = await client.post("/api/v1/webhooks", json=good, headers=admin)
    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith("whsec_") and len(body["secret"]) > 30
    listed = (await client.get("/api/v1/webhooks", headers=admin)).json()["items"]
    assert [item["url"] for item in listed] == [good["url"]]
    assert "secret" not in listed[0]  # shown once only
    one = await client.get(f"/api/v1/webhooks/{body['id']}", headers=admin)
    assert one.status_code == 200 and "secret" not in one.json()
    assert (await client.delete(f"/api/v1/webhooks/{body['id']}", headers=admin)).json() == {
        "id": body["id"],
        "deleted": True,
    }
    assert (await client.get(f"/api/v1/webhooks/{body['id']}", headers=admin)).status_code == 404


async def test_a_publication_reaches_the_receiver_signed(
    client: Any, db: None, fast: None, receiver: Receiver
) -> None:
    admin, steward, hook = await setup(
        client, receiver.url, ["dataset.published", "dataset.withdrawn"]
    )
    draft = {**open_dataset("a-draft"), "internal_note": "not for the receiver"}
    assert (
        await client.post("/api/v1/datasets", json=draft, headers=steward)
    ).status_code == 201  # a draft: no event
    published = {
        **open_dataset("now-public"),
        "status": "published",
        "internal_note": "not for the receiver",
    }
    assert (
        await client.post("/api/v1/datasets", json=published, headers=steward)
    ).status_code == 201
    await until(lambda: len(receiver.requests) >= 1)
    [request] = receiver.requests
    signature = request["headers"]["X-Catalogue-Signature"]
    assert signature.startswith("sha256=")
    assert rules.verify(hook["secret"], request["body"], signature)
    assert not rules.verify("another secret", request["body"], signature)
    body = json.loads(request["body"])
    assert body["event"] == "dataset.published" == request["headers"]["X-Catalogue-Event"]
    assert body["id"] == request["headers"]["X-Catalogue-Delivery"]
    assert body["dataset"]["slug"] == "now-public"
    assert body["dataset"]["links"]["api"].endswith("/api/v1/datasets/now-public")
    assert b"not for the receiver" not in request["body"]

    log = await deliveries(client, admin, hook["id"])
    for _ in range(100):
        if log[0]["state"] == "delivered":
            break
        await asyncio.sleep(0.05)
        log = await deliveries(client, admin, hook["id"])
    assert [(d["event"], d["state"]) for d in log] == [("dataset.published", "delivered")]
    [attempt] = log[0]["attempts"]
    assert attempt["status"] == 200 and attempt["response_excerpt"] == '{"received": true}'
    assert attempt["duration_ms"] >= 0 and attempt["at"]

    etag = (await client.get("/api/v1/datasets/now-public")).headers["etag"]
    withdrawn = await client.delete(
        "/api/v1/datasets/now-public", headers={**steward, "If-Match": etag}
    )
    assert withdrawn.status_code in (200, 204)
    await until(lambda: len(receiver.requests) >= 2)
    assert json.loads(receiver.requests[1]["body"])["event"] == "dataset.withdrawn"


@pytest.mark.answers([(500, 0.0), (200, 0.0)])
async def test_a_failed_delivery_is_retried_with_backoff(
    client: Any, db: None, fast: None, receiver: Receiver
) -> None:
    admin, steward, hook = await setup(client, receiver.url, ["dataset.published"])
    document = {**open_dataset("retried"), "status": "published"}
    assert (
        await client.post("/api/v1/datasets", json=document, headers=steward)
    ).status_code == 201
    await until(lambda: len(receiver.requests) >= 2)
    first, second = receiver.requests
    assert first["body"] == second["body"]  # the same delivery, the same id
    log = await deliveries(client, admin, hook["id"])
    for _ in range(100):
        if log[0]["state"] == "delivered":
            break
        await asyncio.sleep(0.05)
        log = await deliveries(client, admin, hook["id"])
    assert log[0]["state"] == "delivered"
    assert [a["status"] for a in log[0]["attempts"]] == [500, 200]
    first_at, second_at = (a["at"] for a in log[0]["attempts"])
    assert second_at > first_at


@pytest.mark.answers([(200, 5.0)])
async def test_a_hanging_receiver_times_out_and_never_holds_up_the_write(
    client: Any, db: None, fast: None, receiver: Receiver
) -> None:
    admin, steward, hook = await setup(
        client, receiver.url, ["dataset.published", "dataset.changed"]
    )
    started = time.monotonic()
    document = {**open_dataset("slow-receiver"), "status": "published"}
    response = await client.post("/api/v1/datasets", json=document, headers=steward)
    assert response.status_code == 201
    etag = response.headers["etag"]
    changed = await client.patch(
        "/api/v1/datasets/slow-receiver",
        json={"title": {"en": "Changed"}},
        headers={**steward, "If-Match": etag},
    )
    assert changed.status_code == 200
    assert time.monotonic() - started < 4.0  # the receiver would have held each for 5 s
    await until(lambda: len(receiver.requests) >= 2)
    log: list[dict[str, Any]] = []
    for _ in range(200):
        log = await deliveries(client, admin, hook["id"])
        if all(d["attempts"] for d in log):
            break
        await asyncio.sleep(0.05)
    assert sorted(d["event"] for d in log) == ["dataset.changed", "dataset.published"]
    for delivery in log:
        attempt = delivery["attempts"][0]
        assert attempt["status"] is None and attempt["error"] == "no answer within 1 s"
        assert 900 <= attempt["duration_ms"] < 4000
        assert delivery["state"] == "pending" or len(delivery["attempts"]) > 1


def test_which_changes_make_which_events() -> None:
    published = {"slug": "s", "status": "published", "classification": "open"}
    draft = {**published, "status": "draft"}
    withdrawn = {**published, "status": "withdrawn"}
    deprecated = {**published, "status": "deprecated"}
    assert rules.dataset_event(None, published) == "dataset.published"
    assert rules.dataset_event(draft, published) == "dataset.published"
    assert rules.dataset_event(published, published) == "dataset.changed"
    assert rules.dataset_event(published, deprecated) == "dataset.changed"
    assert rules.dataset_event(published, withdrawn) == "dataset.withdrawn"
    assert rules.dataset_event(published, draft) == "dataset.withdrawn"
    assert rules.dataset_event(None, draft) is None
    assert rules.dataset_event(draft, draft) is None
    assert rules.dataset_event(withdrawn, draft) is None
    for action, expected in (
        ("approve", 1),
        ("reject", 1),
        ("suspend", 1),
        ("propose", 0),
        ("review", 0),
        ("expire", 0),
    ):
        events = rules.events_of(
            "agreement", action, "a1", None, {"status": "approved"}, {"dataset": "d"}, "http://x"
        )
        assert len(events) == expected, action
        assert all(e.name == "agreement.decided" for e in events)
    assert [rules.backoff(n) for n in (1, 2, 3)] == [10.0, 20.0, 40.0]
    assert rules.backoff(30) == rules.MAX_RETRY_SECONDS


async def test_the_admin_page_registers_shows_the_secret_once_and_lists_deliveries(
    client: Any, db: None
) -> None:
    import re

    client.follow_redirects = False
    await make_user("admin@example.si", global_role="admin")
    await make_user("steward@example.si")
    assert (await client.get("/admin/webhooks")).status_code == 303  # to the sign-in page

    async def sign_in(email: str) -> None:
        page = await client.get("/signin")
        token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
        response = await client.post(
            "/signin",
            data={
                "email": email,
                "password": "correct horse battery",
                "next": "/",
                "_csrf_token": token,
            },
        )
        assert response.status_code == 303

    await sign_in("steward@example.si")
    assert (await client.get("/admin/webhooks")).status_code == 403
    await client.get("/signout")
    client.cookies.clear()
    await sign_in("admin@example.si")
    page = await client.get("/admin/webhooks")
    assert page.status_code == 200 and "Register a webhook" in page.text
    assert 'href="/admin/webhooks"' in page.text  # in the admin's navigation
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    bad = await client.post(
        "/admin/webhooks",
        data={"url": "ftp://x.example.org", "events": "dataset.published", "_csrf_token": token},
    )
    assert bad.status_code == 422 and 'id="hook-url-error"' in bad.text
    assert 'value="ftp://x.example.org"' in bad.text  # what was typed is kept
    made = await client.post(
        "/admin/webhooks",
        data={
            "url": "https://receiver.example.org/in",
            "events": ["dataset.published", "agreement.decided"],
            "description": "Portal",
            "_csrf_token": token,
        },
    )
    assert made.status_code == 201
    secret = re.search(r"<code>(whsec_[^<]+)</code>", made.text).group(1)
    again = await client.get("/admin/webhooks")
    assert secret not in again.text and "https://receiver.example.org/in" in again.text
    hook_id = re.search(r'action="/admin/webhooks/(\d+)/delete"', again.text).group(1)
    removed = await client.post(f"/admin/webhooks/{hook_id}/delete", data={"_csrf_token": token})
    assert removed.status_code == 303
    assert "https://receiver.example.org/in" not in (await client.get("/admin/webhooks")).text
