"""The map of the code holds: the layers' contracts, HTTP only at the edge, one If-Match reader."""

from __future__ import annotations

import inspect
import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import catalogue
from catalogue import errors
from catalogue.web.conditional import NO_REVISION, expected_revision
from catalogue.web.statuses import STATUS_FOR, status_for
from tests.conftest import PROJECT_ROOT

PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
CONTRACTS = PYPROJECT["tool"]["importlinter"]["contracts"]


def test_the_import_contracts_are_kept() -> None:
    """What `make lint` runs: every contract in pyproject.toml, none broken."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in result.stdout


def test_every_top_level_module_has_its_place_in_the_layers() -> None:
    """A new top-level module must be placed, or the entry-point contract would not see it."""
    [layers] = [c["layers"] for c in CONTRACTS if c["type"] == "layers"]
    placed = {name.strip() for layer in layers for name in layer.replace("|", ":").split(":")}
    modules = {f"catalogue.{m.name}" for m in pkgutil.iter_modules(catalogue.__path__)}
    assert modules <= placed, sorted(modules - placed)


def test_the_contracts_name_the_rules_the_readme_gives() -> None:
    kinds = {contract["type"] for contract in CONTRACTS}
    assert {"forbidden", "layers", "acyclic_siblings"} <= kinds
    domain = next(c for c in CONTRACTS if c["source_modules"] == ["catalogue.domain"])
    assert {"litestar", "piccolo", "catalogue.web", "catalogue.datasets"} <= set(
        domain["forbidden_modules"]
    )


def test_domain_errors_carry_meaning_and_the_edge_gives_each_its_status() -> None:
    kinds = [
        value
        for value in vars(errors).values()
        if inspect.isclass(value)
        and issubclass(value, Exception)
        and value.__module__ in {"catalogue.errors", "catalogue.domain.problems"}
    ]
    assert len(kinds) >= 10
    for kind in kinds:
        assert "status_code" not in vars(kind), kind
        assert kind in STATUS_FOR, kind
    assert status_for(errors.NotFound("x")) == 404
    assert status_for(errors.PreconditionFailed("x", 3)) == 412
    assert status_for(errors.InvalidDocument([])) == 422
    assert status_for(ValueError("not ours")) == 400


@pytest.mark.parametrize(
    ("header", "revision"),
    [
        ('"3"', 3),
        ('W/"3"', 3),
        ("3", 3),
        (' "12" ', 12),
        (None, None),
        ("", None),
        ("  ", None),
        ("garbage", NO_REVISION),
        ('"-1"', NO_REVISION),
        ('"٣"', NO_REVISION),
    ],
)
def test_if_match_is_read_in_one_place(header: str | None, revision: int | None) -> None:
    assert expected_revision(header) == revision


def test_no_service_reads_if_match_or_writes_api_links() -> None:
    """The services and the domain name no HTTP header and build no API address."""
    for folder in ("domain", "datasets", "agreements"):
        for path in (PROJECT_ROOT / "catalogue" / folder).glob("*.py"):
            if path.stem in {"controllers", "pages", "web", "schemas", "listing", "rdf"}:
                continue  # the edge: controllers, pages, OpenAPI shapes, the list bodies
            text = path.read_text(encoding="utf-8")
            assert 'removeprefix("W/")' not in text, path
            assert 'f"/api/v1/' not in text, path
