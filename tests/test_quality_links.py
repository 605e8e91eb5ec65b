"""The link checker against a real local HTTP server that answers 200, 404, 500, refuses
HEAD, redirects, and hangs: bounded, HEAD then GET, answers stored with time and status,
datasets rescored when an answer changes; and the open seed datasets reach Excellent when a
local server stands in for their addresses."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

HANG_SECONDS = 10.0
_seen: list[tuple[str, str]] = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def _answer(self, body: bool) -> None:
        _seen.append((self.command, self.path))
        path = self.path
        if path.startswith("/hang"):
            time.sleep(HANG_SECONDS)
            status = 200
        elif path.startswith("/missing"):
            status = 404
        elif path.startswith("/broken"):
            status = 500
        elif path.startswith("/no-head") and self.command == "HEAD":
            status = 405
        elif path.startswith("/moved"):
            self.send_response(301)
            self.send_header("Location", "/ok/after-redirect")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        else:
            status = 200
        payload = b"x" * 10_000
        self.send_response(status)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if body:
            with contextlib.suppress(OSError):
                self.wfile.write(payload)

    def do_HEAD(self) -> None:
        self._answer(False)

    def do_GET(self) -> None:
        self._answer(True)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def fast_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from catalogue import settings as settings_module

    current = settings_module.get_settings()
    monkeypatch.setattr(
        settings_module,
        "_settings",
        dataclasses.replace(current, link_check_timeout=1.0, link_check_concurrency=4),
    )


async def _queue(*urls: str) -> None:
    from catalogue.quality.tables import LinkCheck

    await LinkCheck.insert(*[LinkCheck(url=url, due=dt.datetime.now(dt.UTC)) for url in urls])


async def test_each_answer_is_stored_with_its_status_method_and_time(db, server, fast_settings):
    from catalogue.quality import linkcheck
    from catalogue.quality.tables import LinkCheck

    urls = {
        name: f"{server}/{name}/file.csv"
        for name in ("ok", "missing", "broken", "no-head", "moved", "hang")
    }
    await _queue(*urls.values())
    before = dt.datetime.now(dt.UTC)
    started = time.monotonic()
    report = await linkcheck.check_due()
    elapsed = time.monotonic() - started
    assert report.checked == 6
    rows = {row["url"]: row for row in await LinkCheck.select()}
    answers = {name: rows[url]["status"] for name, url in urls.items()}
    assert answers == {
        "ok": 200,
        "missing": 404,
        "broken": 500,
        "no-head": 200,
        "moved": 200,
        "hang": None,
    }
    assert rows[urls["no-head"]]["method"] == "GET"  # HEAD refused: asked again with GET
    assert rows[urls["ok"]]["method"] == "HEAD"
    assert rows[urls["missing"]]["method"] == "GET"  # a failed HEAD is tried with GET too
    assert "no answer within" in rows[urls["hang"]]["error"]
    for row in rows.values():
        assert row["checked_at"] >= before.replace(microsecond=0) - dt.timedelta(seconds=1)
        assert row["due"] > dt.datetime.now(dt.UTC) + dt.timedelta(days=6)  # asked next week
    # The hanging address held nobody up for longer than its timeouts (HEAD, then GET).
    assert elapsed < 7.0  # without the timeout: 10 s for HEAD, 10 more for GET
    assert (await linkcheck.check_due()).checked == 0  # nothing is due any more


async def test_concurrency_is_bounded(db, server, fast_settings, monkeypatch):
    import dataclasses

    from catalogue import settings as settings_module
    from catalogue.quality import linkcheck

    monkeypatch.setattr(
        settings_module,
        "_settings",
        dataclasses.replace(
            settings_module.get_settings(), link_check_concurrency=2, link_check_timeout=0.5
        ),
    )
    await _queue(*[f"{server}/hang/{n}" for n in range(4)])
    started = time.monotonic()
    report = await linkcheck.check_due()
    # 4 hanging addresses, 2 at a time, HEAD and GET each 0.5 s: two waves of about 1 s.
    assert report.checked == 4 and report.answered == 0
    assert time.monotonic() - started >= 1.9


async def test_a_changed_answer_rescores_the_datasets_using_the_address(db, server):
    from catalogue.datasets.tables import Dataset
    from catalogue.quality import linkcheck, store
    from catalogue.quality.tables import LinkCheck
    from catalogue.seed import load_seed
    from tests.conftest import PROJECT_ROOT

    await load_seed(PROJECT_ROOT / "seed")
    dataset = (
        await Dataset.select(Dataset.id).where(Dataset.slug == "air-quality-measurements").first()
    )
    before = await store.stored(dataset["id"])
    assert before["accessibility"] == 20  # a download address, but no answer yet

    def local(url: str) -> str:
        return server + "/ok" + urlsplit(url).path

    await LinkCheck.update({LinkCheck.due: dt.datetime.now(dt.UTC)}, force=True)
    report = await linkcheck.check_all(rewrite=local)
    assert report.rescored >= 24
    after = await store.stored(dataset["id"])
    assert after["accessibility"] == 100
    assert after["points"] == before["points"] + 80


async def test_the_open_seed_datasets_reach_excellent_when_their_addresses_answer(db, server):
    from catalogue.quality import linkcheck
    from catalogue.quality.tables import QualityScore
    from catalogue.seed import load_seed
    from tests.conftest import PROJECT_ROOT

    await load_seed(PROJECT_ROOT / "seed")
    await linkcheck.check_all(rewrite=lambda url: server + "/ok" + urlsplit(url).path)
    rows = await QualityScore.raw(
        "SELECT q.slug, q.points, q.rating FROM quality_score q JOIN dataset d"
        " ON d.id = q.dataset_id WHERE d.classification = 'open' AND q.public = {}",
        True,
    )
    assert len(rows) >= 20
    assert {row["slug"]: row["rating"] for row in rows} == {
        row["slug"]: "excellent" for row in rows
    }


async def test_an_unanswered_address_scores_no_accessibility_points(db):
    """Offline (tests, a closed network), nothing answers: the score says so, never fails."""
    from catalogue.quality import linkcheck
    from catalogue.quality.tables import LinkCheck

    await _queue("http://127.0.0.1:9/nothing-listens-here.csv")
    report = await linkcheck.check_due()
    assert report.checked == 1 and report.answered == 0
    row = await LinkCheck.select().first()
    assert row["status"] is None and row["error"]


async def test_the_server_loop_never_blocks_a_request(db, server, fast_settings, monkeypatch):
    """The lifespan task runs rounds in the background while requests are answered."""
    import dataclasses

    from litestar.testing import AsyncTestClient

    from catalogue import settings as settings_module
    from catalogue.app import create_app
    from catalogue.quality import linkcheck

    monkeypatch.setattr(
        settings_module,
        "_settings",
        dataclasses.replace(
            settings_module.get_settings(), link_check_seconds=0.2, link_check_timeout=5.0
        ),
    )
    await _queue(*[f"{server}/hang/loop-{n}" for n in range(3)])
    task = asyncio.get_running_loop().create_task(linkcheck.run_forever())
    try:
        await asyncio.sleep(0.1)
        async with AsyncTestClient(app=create_app(prepare=False, pool=False)) as client:
            started = time.monotonic()
            response = await client.get("/api/v1/quality")
            assert response.status_code == 200
            # A blocked loop would hold the request for the checks' 5 s timeouts; a loaded
            # CI machine may take a second or two to answer a cold first request.
            assert time.monotonic() - started < 4.0
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_the_command_line_checks_the_due_addresses_and_rescores(db, server):
    from catalogue.quality.tables import LinkCheck, QualityDaily
    from tests.test_cli import catalogue

    await _queue(f"{server}/ok/a.csv", f"{server}/missing/b.csv")
    result = catalogue("quality", "check-links")
    assert result.returncode == 0, result.stderr
    assert "Checked 2 addresses (200: 1, 404: 1)" in result.stdout
    statuses = {row["url"].rsplit("/", 2)[1]: row["status"] for row in await LinkCheck.select()}
    assert statuses == {"ok": 200, "missing": 404}
    assert await QualityDaily.count() == 1  # today's figures, for the trend
    again = catalogue("quality", "check-links", "--all")
    assert "Checked 2 addresses" in again.stdout
    rescored = catalogue("quality", "rescore")
    assert rescored.returncode == 0 and "Scored 0 datasets." in rescored.stdout


async def test_datasets_without_a_score_are_scored_in_the_background(db):
    """A database older than the quality tables (or loaded around the services)."""
    from catalogue.datasets.tables import Dataset
    from catalogue.quality import store
    from catalogue.quality.tables import QualityScore
    from catalogue.seed import load_seed
    from tests.conftest import PROJECT_ROOT

    await load_seed(PROJECT_ROOT / "seed")
    await QualityScore.delete(force=True)
    assert await store.score_missing(10) == 10
    assert await QualityScore.count() == 10
    assert await store.score_missing(1000) == await Dataset.count() - 10
    assert await store.score_missing(1000) == 0
