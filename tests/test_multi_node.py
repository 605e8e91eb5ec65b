"""Two catalogue nodes on one PostgreSQL database, each with its own data directory.

Real ``catalogue serve`` processes on free 127.0.0.1 ports. Each node follows the change log
with its own search index: a write on one is found by a search on the other within a second,
neither rebuilds because the other wrote, a node that was down catches up from the log when
it comes back, and only a node that fell behind the log's retention window rebuilds (once).
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

from catalogue.settings import get_settings
from tests.factories import PUBLISHER, changed, make_organisation, make_user, open_dataset
from tests.test_ckan_live import free_port

pytestmark = pytest.mark.skipif(
    not get_settings().is_postgres,
    reason="several nodes share one PostgreSQL database; run with --db=postgres",
)
PROJECT_ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 120


class Node:
    """One ``catalogue serve`` process with its own data directory (kept across restarts)."""

    def __init__(self, name: str, root: Path) -> None:
        self.name, self.data_dir, self.port = name, root / name, free_port()
        self.data_dir.mkdir()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("CATALOGUE_")}
        environment.update(
            {
                "CATALOGUE_DATA_DIR": str(self.data_dir),
                "CATALOGUE_DATABASE_URL": get_settings().database_url,
                "CATALOGUE_BASE_URL": "http://catalogue.example",
                "CATALOGUE_AUTO_SEED": "false",
                "CATALOGUE_SECRET_KEY": "shared-by-every-node",
            }
        )
        log = open(self.data_dir / "server.log", "ab")  # noqa: SIM115 - the child keeps it
        self.process = subprocess.Popen(
            [sys.executable, "-m", "catalogue", "serve", "--port", str(self.port)],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(self.log()[-3000:])
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{self.name} did not start: {self.log()[-3000:]}") from None
                time.sleep(0.2)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)
        self.process = None

    def log(self) -> str:
        return (self.data_dir / "server.log").read_text(errors="replace")

    def built_at(self) -> float:
        """When this node's index was last rebuilt (from its state file)."""
        state = json.loads((self.data_dir / "index" / "state.json").read_text())
        return float(state["built_at"])

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=data,
            method=method,
            headers={"content-type": "application/json", **(headers or {})},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    def found(self, word: str) -> list[str]:
        result = self.request("GET", f"/api/v1/search?q={word}&size=100")
        return [item["slug"] for item in result["items"]]


@pytest.fixture
async def nodes(db) -> Iterator[tuple[Node, Node, dict[str, str]]]:
    await make_organisation()
    admin = await make_user("admin@example.gov", global_role="admin")
    root = Path(tempfile.mkdtemp(prefix="catalogue-nodes-"))
    a, b = Node("a", root), Node("b", root)
    try:
        a.start()
        b.start()
        yield a, b, admin
    finally:
        a.kill()
        b.kill()
        shutil.rmtree(root, ignore_errors=True)


def published(slug: str, word: str) -> dict[str, Any]:
    document = changed(open_dataset(slug, PUBLISHER), "status", "published")
    return changed(document, "title.en", f"Gauges of the {word} river")


def wait_until_found(node: Node, word: str, slug: str, seconds: float) -> float:
    started = time.monotonic()
    while slug not in node.found(word):
        if time.monotonic() - started > seconds:
            raise AssertionError(f"{slug} not found on {node.name} within {seconds} s")
        time.sleep(0.02)
    return time.monotonic() - started


async def test_a_write_on_one_node_is_found_on_the_other_without_rebuilds(nodes):
    a, b, admin = nodes
    built = (a.built_at(), b.built_at())
    for number, word in enumerate(("danube", "sava", "drava")):
        a.request("POST", "/api/v1/datasets", published(f"river-{number}", word), admin)
        assert wait_until_found(b, word, f"river-{number}", 1.0) < 1.0
        # ... and the other way round
        b.request("POST", "/api/v1/datasets", published(f"lake-{number}", f"{word}lake"), admin)
        assert wait_until_found(a, f"{word}lake", f"lake-{number}", 1.0) < 1.0
    assert (a.built_at(), b.built_at()) == built
    for node in (a, b):  # each built its index once, at its first start, and never again
        log = node.log()
        assert log.count("building the search index for the first time") == 1
        assert "rebuilding the search index" not in log


async def test_a_node_that_was_down_catches_up_from_the_log(nodes):
    from catalogue.search import changelog

    a, b, admin = nodes
    built_b = b.built_at()
    b.kill()
    items = [published(f"while-down-{n}", f"offline{n}") for n in range(190)]
    result = a.request("POST", "/api/v1/datasets/batch", {"items": items}, admin)
    assert result["summary"]["created"] == 190
    for number in range(10):
        a.request("POST", "/api/v1/datasets", published(f"single-{number}", "alone"), admin)
    b.start()
    assert b.built_at() == built_b  # no rebuild: it applied the 200 changes from the log
    assert "offline189" not in b.log()
    assert b.found("offline189") == ["while-down-189"]
    assert len(b.found("alone")) == 10
    assert b.request("GET", "/api/v1/search?q=river&size=1")["total"] == 200

    # The log is pruned past B's position while B is down: B rebuilds once, A does not.
    b.kill()
    a.request("POST", "/api/v1/datasets", published("after-prune", "pruned"), admin)
    a.request("POST", "/api/v1/datasets", published("before-prune", "prunedtoo"), admin)
    assert await changelog.prune(0) > 0  # every row but the newest: B missed two
    a.request("POST", "/api/v1/datasets", published("after-prune-2", "prunedtwo"), admin)
    built_a = a.built_at()
    b.start()
    assert b.built_at() > built_b
    rebuilt = b.built_at()
    assert b.found("pruned") == ["after-prune"]
    assert b.found("prunedtoo") == ["before-prune"]
    assert b.found("prunedtwo") == ["after-prune-2"]
    assert wait_until_found(a, "prunedtwo", "after-prune-2", 1.0) < 1.0
    assert (a.built_at(), b.built_at()) == (built_a, rebuilt)
