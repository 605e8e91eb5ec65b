"""The wiring: nothing plugs itself in on import; ``wire(settings)`` installs every list, and
a program that forgot to wire is told so instead of publishing unchecked or seeding half."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from catalogue import events, seed, wiring
from catalogue.datasets import service
from catalogue.dcat import validation
from catalogue.settings import get_settings
from catalogue.ui import rendering, sections
from tests.conftest import PROJECT_ROOT
from tests.factories import make_organisation, open_dataset


def script(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` as a separate program on the test database (a script an operator writes)."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=PROJECT_ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_script_that_imports_only_the_dataset_service_is_told_to_wire() -> None:
    result = script("""
        import asyncio, pathlib
        from catalogue import events, seed
        from catalogue.datasets import service
        from catalogue.plugs import NotWired
        from tests.factories import open_dataset

        document = service.parse_document({**open_dataset(), "status": "published"})
        for name, call in [
            ("publish", lambda: service.problems_for(document)),
            ("announce", lambda: events.announce(events.Change("dataset", "update", "x"))),
            ("seed", lambda: seed.load_seed(pathlib.Path("seed"))),
        ]:
            try:
                asyncio.run(call())
                print(name, "ran unwired")
            except NotWired as error:
                print(name, "NotWired:", error)
    """)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["publish", "announce", "seed"]
    assert all("NotWired: the " in line and "wire(settings)" in line for line in lines), lines


def test_importing_every_module_plugs_nothing_in() -> None:
    result = script("""
        import importlib, pkgutil
        import catalogue
        for module in pkgutil.walk_packages(catalogue.__path__, "catalogue."):
            if ".piccolo_migrations" not in module.name and module.name != "catalogue.__main__":
                importlib.import_module(module.name)
        from catalogue import events, seed
        from catalogue.datasets import service
        from catalogue.ui import rendering, sections
        registries = [events._listeners, service._publish_checks, seed._extra_steps,
                      sections.DATASET_SECTIONS, sections.ORGANISATION_SECTIONS]
        print([(r.name, r.wired, len(r)) for r in registries])
        print(len(rendering._NAV_ITEMS) == len(rendering.BASE_NAV_ITEMS))
    """)
    assert result.returncode == 0, result.stderr
    registries, navigation = result.stdout.splitlines()
    assert "True" not in registries and ", 0)" in registries
    assert all(f"{n})" not in registries for n in range(1, 9))
    assert navigation == "True"


def test_wire_installs_the_listed_plugs() -> None:
    wiring.wire(get_settings())
    assert events._listeners.required() == list(wiring.LISTENERS)
    assert service._publish_checks.required() == [validation.publish_check]
    assert seed._extra_steps.required() == list(wiring.SEED_STEPS)
    hrefs = [item.href for item in rendering._NAV_ITEMS]
    assert {"/agreements", "/transparency", "/dashboard", "/once-only"} <= set(hrefs)
    assert [name for name, _ in sections.DATASET_SECTIONS.required()] == ["dataset_agreements"]
    wiring.wire(get_settings())  # twice: the same lists, nothing doubled
    assert len(events._listeners) == len(wiring.LISTENERS)


async def test_after_wiring_publishing_runs_the_shacl_check(db: None) -> None:
    await make_organisation()
    raw = {**open_dataset(), "status": "published"}
    raw["technical"]["distributions"][0]["checksum"] = {"algorithm": "sha256", "value": "no!"}
    document = service.parse_document(raw)
    problems = await service.problems_for(document)
    assert ("technical.distributions[0].checksum.value", "dcat_ap", "error") in {
        (p.field, p.code, p.severity) for p in problems
    }


def test_a_wired_script_publishes_through_the_shacl_check(db: None) -> None:
    result = script("""
        import asyncio
        from catalogue.datasets import service
        from catalogue.settings import get_settings
        from catalogue.wiring import wire
        from tests.factories import open_dataset

        wire(get_settings())
        raw = {**open_dataset(), "status": "published"}
        raw["technical"]["distributions"][0]["checksum"] = {"algorithm": "sha256", "value": "?"}
        found = asyncio.run(service.problems_for(service.parse_document(raw)))
        print(sorted({p.code for p in found if p.severity == "error"}))
    """)
    assert result.returncode == 0, result.stderr
    assert "'dcat_ap'" in result.stdout


@pytest.mark.slow
def test_a_seed_without_the_app_loads_the_agreements(db: None) -> None:
    result = script("""
        import sys
        from catalogue.running import run
        from catalogue.seed import load_seed
        from catalogue.settings import get_settings
        from catalogue.wiring import wire

        settings = get_settings()
        wire(settings)
        report = run(lambda: load_seed(settings.seed_dir))
        print(report.created.get("agreements", 0), "catalogue.app" in sys.modules)
    """)
    assert result.returncode == 0, result.stderr
    agreements, app_loaded = result.stdout.split()
    assert int(agreements) > 0 and app_loaded == "False"


async def test_the_settings_create_app_is_given_reach_every_page(db: None) -> None:
    import dataclasses

    from litestar.testing import AsyncTestClient

    from catalogue.app import create_app
    from tests.conftest import settle_search_drains

    original = get_settings()
    custom = dataclasses.replace(original, catalogue_title="Catalogue of Testland")
    await settle_search_drains()
    try:
        async with AsyncTestClient(app=create_app(custom, prepare=False, pool=False)) as client:
            index = (await client.get("/", headers={"Accept": "application/json"})).json()
            page = (await client.get("/", headers={"Accept": "text/html"})).text
            schema = (await client.get("/schema/openapi.json")).json()
    finally:
        wiring.wire(original)
    assert index["catalogue"] == "Catalogue of Testland"
    assert "Catalogue of Testland" in page
    assert schema["info"]["title"] == "Catalogue of Testland"
