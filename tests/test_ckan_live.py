"""Real ``ckanapi`` clients against a real server: what CKAN portals and harvesters will do.

The server is ``uvicorn`` in a subprocess on a free 127.0.0.1 port, with its own data
directory and SQLite database, which it migrates and fills with the demo catalogue at
start-up. It always runs on SQLite (also under ``--db=postgres``): it is a separate process
and the PostgreSQL behaviour of the same actions is covered by ``test_ckan_api.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ckanapi = pytest.importorskip("ckanapi")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SEED_PUBLIC = 46
STARTUP_SECONDS = 300  # migrating and seeding hashes 18 passwords and validates SHACL


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(data_dir: Path, base_url: str) -> dict[str, str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("CATALOGUE_")
    }
    environment.update(
        {
            "CATALOGUE_DATA_DIR": str(data_dir),
            "CATALOGUE_DATABASE_URL": f"sqlite:///{data_dir / 'catalogue.sqlite'}",
            "CATALOGUE_BASE_URL": base_url,
            "CATALOGUE_AUTO_SEED": "true",
            "CATALOGUE_SECRET_KEY": "live-test-secret",
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        }
    )
    return environment


@pytest.fixture(scope="module")
def live_server() -> Iterator[tuple[str, dict[str, str]]]:
    """``(base URL, environment)`` of a running catalogue with the demo data."""
    data_dir = Path(tempfile.mkdtemp(prefix="catalogue-ckan-live-"))
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    environment = server_environment(data_dir, base_url)
    log = open(data_dir / "server.log", "wb")  # noqa: SIM115 - closed in the finally below
    process = subprocess.Popen(
        [str(BIN / "python"), "-m", "uvicorn", "--factory", "catalogue.app:create_app",
         "--host", "127.0.0.1", "--port", str(port)],
        cwd=PROJECT_ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError((data_dir / "server.log").read_text()[-3000:])
            try:
                with urllib.request.urlopen(f"{base_url}/api/3", timeout=2) as response:
                    if json.load(response) == {"version": 3}:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start in {STARTUP_SECONDS} s")
            time.sleep(0.5)
        yield base_url, environment
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def remote(live_server) -> Iterator[object]:
    with ckanapi.RemoteCKAN(live_server[0]) as ckan:
        yield ckan


def test_package_search_through_remote_ckan(remote):
    result = remote.action.package_search(
        fq="-classification:personal", rows=1000, sort="metadata_modified desc",
        **{"facet.field": ["organization", "res_format"]},
    )  # fmt: skip
    assert 0 < result["count"] < SEED_PUBLIC
    assert len(result["results"]) == result["count"]
    modified = [package["metadata_modified"] for package in result["results"]]
    assert modified == sorted(modified, reverse=True)
    assert result["search_facets"]["organization"]["items"]


def test_package_search_by_get_as_well(live_server):
    with ckanapi.RemoteCKAN(live_server[0], get_only=True) as ckan:
        result = ckan.action.package_search(q="air quality", rows=5)
    assert "air-quality-measurements" in [package["name"] for package in result["results"]]


def test_package_show_and_its_typed_errors(remote):
    package = remote.action.package_show(id="air-quality-measurements")
    assert package["license_id"] == "cc-by" and package["resources"]
    with pytest.raises(ckanapi.NotFound):
        remote.action.package_show(id="ljubljana-kindergarten-enrolment")  # a draft
    with pytest.raises(ckanapi.ValidationError):
        remote.action.package_search(rows="many")
    with pytest.raises(ckanapi.SearchQueryError):
        remote.action.package_search(fq="groups:(envi")


def test_organization_list_through_remote_ckan(remote):
    organisations = remote.action.organization_list(all_fields=True, limit=100)
    assert len(organisations) == 15
    assert sum(entry["package_count"] for entry in organisations) == SEED_PUBLIC


def test_an_api_key_shows_a_stewards_drafts(live_server):
    base_url, environment = live_server
    token = subprocess.run(
        [str(BIN / "catalogue"), "tokens", "create", "--email",
         "steward@city-of-ljubljana.example.si", "--name", "ckanapi"],
        env=environment, cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    with ckanapi.RemoteCKAN(base_url, apikey=token) as ckan:
        draft = ckan.action.package_show(id="ljubljana-kindergarten-enrolment")
    assert draft["private"] is True and draft["state"] == "draft"


def test_ckanapi_dump_datasets_all_writes_every_public_dataset(live_server):
    base_url, environment = live_server
    dumped = subprocess.run(
        [str(BIN / "ckanapi"), "dump", "datasets", "--all", "-q", "-r", base_url],
        env=environment, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert dumped.returncode == 0, dumped.stderr
    packages = [json.loads(line) for line in dumped.stdout.splitlines()]
    assert len(packages) == SEED_PUBLIC
    assert all(package["private"] is False for package in packages)
    assert {package["type"] for package in packages} == {"dataset"}
    air = next(package for package in packages if package["name"] == "air-quality-measurements")
    assert air["title"] == "Air quality measurements" and air["tags"] and air["resources"]


def test_ckanapi_dump_organizations_and_groups(live_server):
    base_url, environment = live_server
    for thing, expected in (("organizations", 15), ("groups", 14)):
        dumped = subprocess.run(
            [str(BIN / "ckanapi"), "dump", thing, "--all", "-q", "-r", base_url],
            env=environment, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert dumped.returncode == 0, dumped.stderr
        records = [json.loads(line) for line in dumped.stdout.splitlines()]
        assert len(records) == expected
        assert all(record["name"] and record["title"] for record in records)
