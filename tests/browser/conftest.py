"""Browser-test fixtures: a live catalogue server and Debian's Chromium driven by Playwright.

``live_server`` starts uvicorn once per session on a free 127.0.0.1 port with its own data
directory (SQLite, the demo catalogue seeded at start-up). ``browser`` launches Chromium once;
``page`` gives each test a fresh context (no cookies) at 1280 px wide. ``axe_violations(page)``
runs axe-core; ``save_screenshot(page, name)`` writes ``tests/artefacts/<name>.png``.
Every test here is marked ``browser`` and skips, saying why, when Chromium is absent.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PROJECT = Path(__file__).resolve().parents[2]
ARTEFACTS = PROJECT / "tests" / "artefacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
START_TIMEOUT = 120


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/browser is a browser test."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """Base URL of a catalogue served by uvicorn on a fresh, seeded SQLite database."""
    _require_chromium()
    port = _free_port()
    data_dir = Path(tempfile.mkdtemp(prefix="catalogue-browser-"))
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "CATALOGUE_DATA_DIR": str(data_dir),
        "CATALOGUE_DATABASE_URL": f"sqlite:///{data_dir / 'catalogue.sqlite'}",
        "CATALOGUE_AUTO_SEED": "true",
        "CATALOGUE_BASE_URL": base,
        "CATALOGUE_INDEX_DIR": str(data_dir / "index"),
        "CATALOGUE_SECRET_KEY": "browser-test-secret",
    }
    log = (data_dir / "server.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "catalogue.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=PROJECT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(
                    "the catalogue server did not start:\n"
                    + (data_dir / "server.log").read_text()[-3000:]
                )
            time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless (Playwright's own browser download does not work here)."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    """A fresh page (own cookies) at desktop width; ``page.goto("/search")`` is relative."""
    context = browser.new_context(base_url=live_server, viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(20_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def phone_page(browser: Any, live_server: str) -> Iterator[Any]:
    """A fresh page 360 px wide, as on a small phone."""
    context = browser.new_context(
        base_url=live_server, viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True
    )
    context.set_default_timeout(20_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Every axe-core violation on the current page (all rules: WCAG 2.1 A/AA and best
    practice), summarised as id, help text and the first few offending elements."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return [
        {
            "id": violation["id"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in results.response["violations"]
    ]


def save_screenshot(page: Any, name: str) -> Path:
    """A full-page screenshot in tests/artefacts (git-ignored), to look at the design."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
