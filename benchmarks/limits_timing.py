"""Manual timing of the hostile inputs of issue 10 against a catalogue (by hand, not in CI).

    CATALOGUE_DATA_DIR=/tmp/demo .venv/bin/python benchmarks/limits_timing.py [--token T]

Runs the application in-process on the data directory's catalogue (seed it first with
``catalogue seed``, or point it at a ``search_benchmark.py --data-dir`` folder) and prints the
status and wall-clock time of each request. ``--token`` (an admin's API token) adds the
requests that need one. Every answer should be a 4xx within 2 s, or a 200 within the search
budget.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 2 else "") + ";") * 10}">'
        for n in range(2, 10)
    )
    + ']><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:dct="http://purl.org/dc/terms/"><rdf:Description rdf:about="http://x/a">'
    "<dct:title>&lol9;</dct:title></rdf:Description></rdf:RDF>"
)


def cases(slug: str) -> list[tuple[str, str, bytes | None, str | None]]:
    deep = b"[" * 100_000 + b"]" * 100_000
    patterns = ["a*", "*a*", "??*", "attribute:?*?*?*?*", "*" * 40, " ".join(["a*"] * 17)]
    searches = []
    for text in patterns:
        for route in (
            "/api/v1/search?q=",
            "/search?q=",
            "/api/3/action/package_search?q=",
            "/catalog.ttl?q=",
        ):
            searches.append(("GET", route + text, None, None))
    big_turtle = b"".join(
        f'<https://x.example/d{n}> <http://purl.org/dc/terms/title> "t{n}" .\n'.encode()
        for n in range(100_000)
    )[: 9 * 1024 * 1024]
    return [
        *searches,
        ("GET", f"/api/v1/datasets/{slug}/history/9223372036854775808", None, None),
        ("GET", f"/api/v1/datasets/{slug}/history/2147483648", None, None),
        ("GET", "/api/3/action/package_list?offset=100000000000000000000", None, None),
        ("GET", "/api/3/action/package_search?start=100000000000000000000", None, None),
        ("DELETE", "/api/v1/tokens/1" + "0" * 25, None, None),
        (
            "POST",
            "/api/v1/users/1" + "0" * 25 + "/roles",
            b'{"organisation": "x"}',
            "application/json",
        ),
        ("POST", "/api/v1/datasets", deep, "application/json"),
        ("PATCH", f"/api/v1/datasets/{slug}", deep, "application/merge-patch+json"),
        ("POST", "/api/3/action/package_search", b"[" * 30_000 + b"]" * 30_000, "application/json"),
        ("POST", "/api/v1/agreements/check", deep, "application/json"),
        (
            "GET",
            "/api/3/action/package_search?fq=" + "(" * 1000 + "tags:x" + ")" * 1000,
            None,
            None,
        ),
        ("GET", "/api/3/action/package_search?q=" + "(" * 400 + "x" + ")" * 400, None, None),
        ("GET", "/static/%00", None, None),
        ("GET", "/static/.", None, None),
        ("POST", "/api/v1/validate", LAUGHS.encode(), "application/rdf+xml"),
        ("POST", "/api/v1/validate", big_turtle, "text/turtle"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--token", default="", help="an admin's API token")
    parser.add_argument("--slug", default="census-microdata", help="an existing dataset")
    args = parser.parse_args()
    logging.disable(logging.INFO)
    from litestar.testing import TestClient

    from catalogue.app import create_app

    headers = {"Authorization": f"Bearer {args.token}"} if args.token else {}
    with TestClient(app=create_app(prepare=False)) as client:
        client.get("/api/v1/search?q=warm")  # open the index once
        for method, path, body, content_type in cases(args.slug):
            sent = {**headers, "If-Match": '"1"'}
            if content_type:
                sent["content-type"] = content_type
            started = time.perf_counter()
            response = client.request(method, path, content=body, headers=sent)
            elapsed = time.perf_counter() - started
            print(f"{response.status_code}  {elapsed:6.3f} s  {method} {path[:70]}")


if __name__ == "__main__":
    main()
