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


def test_an_open_dataset_arrives_in_ckan_field_by_field(remote):
    """What a receiving CKAN copies: title, notes (every language), tags, a licence id its
    register knows, resources with formats, and the dataset's APIs as resources."""
    seed = json.loads(
        (PROJECT_ROOT / "seed" / "datasets" / "air-quality-measurements.json").read_text()
    )
    package = remote.action.package_show(id="air-quality-measurements")
    assert package["title"] == seed["title"]["en"]
    assert package["title_translated"] == {"en": seed["title"]["en"], "sl": seed["title"]["sl"]}
    assert package["notes"] == seed["description"]["en"]
    assert set(package["notes_translated"]) == {"en", "sl"}
    assert [tag["name"] for tag in package["tags"]] == seed["semantic"]["keywords"]
    assert package["license_id"] == "cc-by"
    assert package["license_title"] == "Creative Commons Attribution"
    assert package["license_url"] == "http://www.opendefinition.org/licenses/cc-by"
    assert package["isopen"] is True
    files = [r for r in package["resources"] if r["resource_type"] != "api"]
    apis = [r for r in package["resources"] if r["resource_type"] == "api"]
    distributions = seed["technical"]["distributions"]
    assert [r["format"] for r in files] == [d["format"] for d in distributions]
    assert [r["mimetype"] for r in files] == [d["media_type"] for d in distributions]
    assert all(
        r["license_id"] == "cc-by" and set(r["name_translated"]) == {"en", "sl"} for r in files
    )
    services = seed["technical"]["data_services"]
    assert services and [r["url"] for r in apis] == [s["endpoint_url"] for s in services]
    extras = {extra["key"]: extra["value"] for extra in package["extras"]}
    assert extras["spatial_bbox"].startswith("POLYGON((13.38 45.42")
    assert json.loads(extras["spatial"])["type"] == "Polygon"


def test_a_harvest_by_licence_uses_ckans_ids(remote):
    by_ckan_id = remote.action.package_search(
        fq="license_id:cc-by", rows=1000, **{"facet.field": ["license_id"]}
    )
    assert by_ckan_id["count"] > 20
    assert set(by_ckan_id["facets"]["license_id"]) <= {"cc-by", "cc-zero"}
    assert {package["license_id"] for package in by_ckan_id["results"]} == {"cc-by"}
    licences = {entry["id"] for entry in remote.action.license_list()}
    assert {"cc-by", "cc-zero", "odc-odbl"} <= licences


def test_head_before_harvest_as_udata_does(live_server):
    """uData sends HEAD to an extension-less address before harvesting it."""
    request = urllib.request.Request(
        f"{live_server[0]}/catalog", method="HEAD", headers={"Accept": "application/rdf+xml"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/rdf+xml; charset=utf-8"
        assert response.read() == b""
