"""The small fixes of issue #15: an offline API reference, a favicon, a plain first-start log,
progress for the seed and reindex, old → new values in the history, and runtime-only `make run`."""

from __future__ import annotations

import io
import logging
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from catalogue.progress import counted_progress
from catalogue.search import index, index_consistency, index_files
from catalogue.ui.dataset_view import FieldChange, changed_fields
from tests.conftest import PROJECT_ROOT
from tests.factories import PUBLISHER, make_organisation, make_user, open_dataset
from tests.test_ui_pages import BROWSER

URL = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


# --- /schema works without internet -----------------------------------------------------------


@pytest.mark.parametrize("page", ["/schema", "/schema/swagger"])
async def test_the_api_reference_loads_only_local_files_and_they_answer(
    client: Any, page: str
) -> None:
    response = await client.get(page)
    assert response.status_code == 200
    urls = URL.findall(response.text)
    assert any(url.endswith("swagger-ui-bundle.js") for url in urls), urls
    for url in urls:
        assert url.startswith("/") and not url.startswith("//"), f"{url} is not on our server"
        assert (await client.get(url)).status_code == 200, url
    assert (await client.get("/schema/openapi.json")).status_code == 200


def test_the_vendored_viewer_keeps_its_licence_beside_it() -> None:
    vendor = PROJECT_ROOT / "ui" / "static" / "vendor" / "swagger-ui"
    assert "Apache License" in (vendor / "LICENSE").read_text(encoding="utf-8")
    assert "SmartBear" in (vendor / "NOTICE").read_text(encoding="utf-8")


# --- favicon ----------------------------------------------------------------------------------


async def test_every_page_links_a_favicon_that_exists(client: Any) -> None:
    page = (await client.get("/", headers=BROWSER)).text
    link = re.search(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)"', page)
    assert link, "the base template links the favicon"
    icon = await client.get(link.group(1))
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")


async def test_favicon_ico_leads_to_the_svg_instead_of_a_404(client: Any) -> None:
    client.follow_redirects = False
    response = await client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.headers["location"] == "/static/favicon.svg"


# --- the first start says plainly what it does -------------------------------------------------


async def test_a_first_start_says_it_builds_the_index_for_the_first_time(
    db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(index_files, "index_dir", lambda: tmp_path / "index")
    with caplog.at_level(logging.INFO, logger="catalogue"):
        problem = await index.ensure_index()
    assert problem == index_consistency.FIRST_BUILD
    messages = [(record.levelno, record.getMessage()) for record in caplog.records]
    assert (logging.INFO, "building the search index for the first time") in messages
    assert not [text for level, text in messages if level >= logging.WARNING]
    assert await index_consistency.consistency_problem() is None


# --- progress ---------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_line_counts_on_a_terminal_and_is_quiet_elsewhere() -> None:
    assert counted_progress("Loading", io.StringIO()) is None
    terminal = Terminal()
    show = counted_progress("Loading", terminal)
    assert show is not None
    for done in (1, 2, 3):
        show(done, 3)
    assert terminal.getvalue() == "\rLoading: 1/3\rLoading: 2/3\rLoading: 3/3\n"


def in_a_terminal(*args: str) -> tuple[int, str]:
    """Run ``python -m catalogue ARGS`` on a pseudo-terminal, as a user at a shell does."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "catalogue", *args],
        cwd=PROJECT_ROOT,
        env=os.environ.copy(),
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    output = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
        elif process.poll() is not None:
            break
    os.close(leader)
    return process.wait(timeout=10), output.decode(errors="replace")


@pytest.mark.slow
async def test_seeding_from_a_terminal_counts_the_datasets(db: None, tmp_path: Path) -> None:
    seed = PROJECT_ROOT / "seed"
    folder = tmp_path / "seed"
    (folder / "datasets").mkdir(parents=True)
    for name in ("organisations.json", "identifier-schemes.json"):
        shutil.copy(seed / name, folder)
    for name in ("air-quality-measurements.json", "annual-financial-statements.json"):
        shutil.copy(seed / "datasets" / name, folder / "datasets")
    code, output = in_a_terminal("seed", "--path", str(folder))
    assert code == 0, output
    assert "Loading datasets: 2/2" in output  # counted after each batch write


@pytest.mark.slow
async def test_the_reindex_bar_starts_at_the_real_total(client: Any) -> None:
    await make_organisation()
    steward = await make_user("steward@example.gov", {PUBLISHER: "steward"})
    for slug in ("first", "second", "third"):
        created = await client.post("/api/v1/datasets", json=open_dataset(slug), headers=steward)
        assert created.status_code == 201
    code, output = in_a_terminal("reindex")
    assert code == 0, output
    assert "3/3" in output and "/1 " not in output and "0/1" not in output, output


# --- the history says from what to what --------------------------------------------------------


def test_history_shows_old_and_new_values_of_plain_fields_only() -> None:
    fields = changed_fields(
        {
            "title.en": {"from": "Old title", "to": "New title"},
            "status": {"from": "draft", "to": "published"},
            "semantic.keywords": {"from": ["a"], "to": ["a", "b"]},
            "technical.byte_size": {"from": None, "to": 12},
            "description.en": {"from": "x" * 200, "to": ""},
        }
    )
    assert fields[0] == FieldChange("title › en", "Old title", "New title")
    assert fields[1] == FieldChange("status", "draft", "published")
    assert fields[2] == FieldChange("semantic › keywords")  # a list: the name only
    assert fields[3] == FieldChange("technical › byte size", "(empty)", "12")
    assert fields[4].before is not None and len(fields[4].before) == 80
    assert fields[4].after == "(empty)"


async def test_the_history_on_the_page_shows_from_what_to_what(client: Any) -> None:
    await make_organisation()
    steward = await make_user("steward@example.gov", {PUBLISHER: "steward"})
    assert (
        await client.post("/api/v1/datasets", json=open_dataset(), headers=steward)
    ).status_code == 201
    renamed = await client.patch(
        "/api/v1/datasets/open-example",
        json={"title": {"en": "Renamed dataset"}},
        headers={**steward, "If-Match": '"1"'},
    )
    assert renamed.status_code == 200
    page = (await client.get("/dataset/open-example", headers={**BROWSER, **steward})).text
    history = page.split('id="history"', 1)[1].split("</section>", 1)[0]
    assert re.search(
        r'title › en: <span class="history__from">Example open dataset</span>'
        r'.*?<span class="history__to">Renamed dataset</span>',
        history,
    ), history


# --- make run installs the runtime only --------------------------------------------------------


def make_commands(target: str) -> list[str]:
    """The pip commands ``make TARGET`` would run on a fresh checkout (``-n -B``: print all)."""
    result = subprocess.run(
        ["make", "-n", "-B", target], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if "pip install" in line]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_installs_the_runtime_only_and_make_test_the_test_extras() -> None:
    run = make_commands("run")
    assert any("-e ." in line for line in run), run
    assert not any("[test]" in line for line in run), run
    assert any("'.[test]'" in line for line in make_commands("test-sqlite"))
