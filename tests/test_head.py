"""Every ``GET`` route answers ``HEAD``: the same status and headers, no body.

uData sends ``HEAD`` before harvesting an extension-less address and link checkers do too;
before this every ``HEAD`` was a 405. The test walks every route the application registers.
"""

from __future__ import annotations

import re
from typing import Any

from litestar.routes import HTTPRoute

from catalogue.app import create_app

SAMPLE = {"int": "1", "uuid": "00000000-0000-0000-0000-000000000000", "path": "x"}
COMPARED = ("content-type", "etag", "last-modified", "vary", "location", "allow")


def get_paths() -> list[str]:
    """Every GET route's path, its parameters filled in with a plain sample value."""
    paths = set()
    for route in create_app(prepare=False, pool=False).routes:
        if isinstance(route, HTTPRoute) and "GET" in route.methods:
            paths.add(
                re.sub(
                    r"\{(\w+)(?::(\w+))?\}", lambda m: SAMPLE.get(m.group(2) or "", "x"), route.path
                )
            )
    return sorted(paths)


def test_the_walk_covers_the_whole_application() -> None:
    paths = get_paths()
    assert len(paths) > 40
    for expected in ("/catalog.ttl", "/dataset/x", "/api/v1/datasets", "/api/3/action/x"):
        assert expected in paths


async def test_every_get_route_answers_head_like_get(seeded: None, client: Any) -> None:
    problems = []
    for path in get_paths():
        got = await client.get(path, follow_redirects=False)
        head = await client.head(path, follow_redirects=False)
        if head.status_code != got.status_code:
            problems.append(f"{path}: HEAD {head.status_code}, GET {got.status_code}")
            continue
        if head.content:
            problems.append(f"{path}: HEAD has a body of {len(head.content)} bytes")
        for name in COMPARED:
            if name == "etag" and "text/html" in got.headers.get("content-type", ""):
                continue  # a page holds a fresh CSRF token each time
            if head.headers.get(name) != got.headers.get(name):
                problems.append(
                    f"{path}: {name} {head.headers.get(name)!r} on HEAD, "
                    f"{got.headers.get(name)!r} on GET"
                )
    assert not problems, "\n".join(problems)


async def test_head_of_the_feed_and_a_dataset_tells_length_and_etag(
    seeded: None, client: Any
) -> None:
    for path in ("/catalog.ttl", "/dataset/air-quality-measurements.ttl", "/catalog"):
        got, head = await client.get(path), await client.head(path)
        assert head.status_code == 200 and head.content == b""
        assert head.headers["etag"] == got.headers["etag"]
        assert head.headers["content-length"] == got.headers["content-length"]  # gzipped
        assert head.headers.get("content-encoding") == got.headers.get("content-encoding")


async def test_a_route_without_get_still_refuses_head(client: Any) -> None:
    response = await client.head("/api/v1/validate")
    assert response.status_code == 405
