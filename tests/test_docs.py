"""The README is the user's guide (as Datasette's docs tests hold it to): it names every
setting, every CLI command and every API route, so nothing is added without documenting it."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import click
import pytest

from tests.conftest import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text()
HTTP_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def _variables_read_by_the_code() -> set[str]:
    names: set[str] = set()
    for path in (PROJECT_ROOT / "catalogue").rglob("*.py"):
        text = path.read_text()
        names |= set(re.findall(r"\bCATALOGUE_[A-Z][A-Z_]*[A-Z]\b", text))
        names |= {f"CATALOGUE_{name}" for name in re.findall(r"_env(?:_\w+)?\(\"([A-Z_]+)\"", text)}
    return names


def _setting_variable(field: dataclasses.Field[Any]) -> str:
    return "CATALOGUE_" + field.name.upper().removeprefix("CATALOGUE_")


def test_every_setting_is_documented():
    from catalogue.settings import Settings

    variables = {_setting_variable(f) for f in dataclasses.fields(Settings)}
    variables |= _variables_read_by_the_code()
    missing = sorted(name for name in variables if f"`{name}`" not in README)
    assert not missing, f"README's Configuration does not name: {missing}"


def _commands(command: click.Command, prefix: tuple[str, ...] = ()) -> list[str]:
    if isinstance(command, click.Group):
        return [
            name
            for sub_name, sub in command.commands.items()
            for name in _commands(sub, (*prefix, sub_name))
        ]
    return [" ".join(prefix)]


def test_every_cli_command_is_documented():
    from catalogue.cli import main

    commands = _commands(main)
    assert "serve" in commands and "audit verify" in commands
    missing = [name for name in commands if f"`catalogue {name}" not in README]
    assert not missing, f"README's command table does not name: {missing}"


def _normalise(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def _api_routes() -> list[tuple[str, str]]:
    from catalogue.app import create_app

    app = create_app(prepare=False, pool=False)
    routes = set()
    for route in app.routes:
        if not route.path.startswith("/api"):
            continue
        for method in getattr(route, "methods", set()) & HTTP_METHODS:
            routes.add((method, _normalise(route.path)))
    return sorted(routes, key=lambda r: (r[1], r[0]))


def _documented(method: str, path: str, lines: list[str]) -> bool:
    """A README line names the path (exactly, not a longer one) and the method."""
    pattern = re.compile(re.escape(path) + r"(?![\w/{}.-])")
    return any(pattern.search(line) and re.search(rf"\b{method}\b", line) for line in lines)


def test_every_api_route_is_documented():
    routes = _api_routes()
    assert ("POST", "/api/v1/datasets") in routes
    lines = [_normalise(line) for line in README.splitlines()]
    missing = [f"{m} {path}" for m, path in routes if not _documented(m, path, lines)]
    assert not missing, f"README's HTTP API section does not name: {missing}"


@pytest.mark.parametrize("target", ["test", "run", "test-fuzz"])
def test_every_make_target_a_user_runs_is_documented(target: str):
    assert f"make {target}" in README
