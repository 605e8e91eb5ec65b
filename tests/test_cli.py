"""The ``catalogue`` command, run as a user runs it: in a subprocess, on the test database."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_ROOT


def catalogue(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "catalogue", *args],
        cwd=PROJECT_ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_command_explains_itself():
    result = catalogue("--help")
    assert result.returncode == 0
    for command in ("serve", "migrate", "seed", "users", "tokens", "problems"):
        assert command in result.stdout


@pytest.mark.slow
async def test_seed_users_and_tokens_from_the_command_line(db):
    first = catalogue("seed")
    assert first.returncode == 0, first.stderr
    assert "datasets: " in first.stdout
    second = catalogue("seed")
    assert " 0 new" in second.stdout and "datasets: 0 new" in second.stdout

    created = catalogue(
        "users",
        "create",
        "--email",
        "ana@example.gov",
        "--name",
        "Ana",
        "--password",
        "a long password",
        "--role",
        "statistical-office:steward",
    )
    assert created.returncode == 0, created.stderr
    duplicate = catalogue(
        "users",
        "create",
        "--email",
        "ana@example.gov",
        "--name",
        "Ana",
        "--password",
        "a long password",
    )
    assert duplicate.returncode == 1 and "already exists" in duplicate.stderr

    token = catalogue("tokens", "create", "--email", "ana@example.gov", "--name", "laptop")
    assert token.returncode == 0 and token.stdout.startswith("cat_")
    unknown = catalogue("tokens", "create", "--email", "nobody@example.gov")
    assert unknown.returncode == 1

    problems = catalogue("problems")
    assert problems.returncode == 0, problems.stdout[-2000:]
