"""Discovery benchmark: sitemaps, Atom feeds and dataset pages (with JSON-LD), under ``wrk``.

    .venv/bin/python benchmarks/discovery_benchmark.py --data-dir /tmp/bench-100k

Run by hand (never a timed test). Reuses the synthetic catalogue of ``search_benchmark.py``
in ``--data-dir`` (built there first when it is missing, like ``http_benchmark.py``), starts
``catalogue serve`` on a free loopback port, times the first request of each endpoint (cold:
the sitemap plan, a page's XML, a feed), then loads each with ``wrk`` (gzip accepted, as
crawlers and feed readers do) and prints req/s and p50/p95/p99.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_benchmark import (
    build,
    free_port,
    get,
    run_wrk,
    serve,
    wait_until_up,
)


def endpoints(base: str) -> dict[str, tuple[list[str], str]]:
    _, body, _ = get(base, "/api/v1/datasets?size=100&page=7")
    items = json.loads(body)["items"]
    slugs = [item["slug"] for item in items]
    publishers = sorted({item["organisational"]["publisher"] for item in items})
    xml, html = "application/xml", "text/html"
    return {
        "sitemap index /sitemap.xml": (["/sitemap.xml"], xml),
        "sitemap page /sitemap-1.xml": (["/sitemap-1.xml"], xml),
        "sitemap page /sitemap-2.xml": (["/sitemap-2.xml"], xml),
        "atom /feeds/changes.atom": (["/feeds/changes.atom"], "application/atom+xml"),
        "atom organisation feeds": (
            [f"/feeds/organisation/{p}.atom" for p in publishers],
            "application/atom+xml",
        ),
        "atom theme feeds": (
            [f"/feeds/theme/{t}.atom" for t in ("ECON", "SOCI", "ENVI", "GOVE", "HEAL")],
            "application/atom+xml",
        ),
        "atom /search.atom?q=": (
            [f"/search.atom?q={w}" for w in ("register", "tax", "population", "health")],
            "application/atom+xml",
        ),
        "dataset page (JSON-LD)": ([f"/dataset/{s}" for s in slugs], html),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--data-dir", required=True, help="the synthetic catalogue (reused)")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=10)
    args = parser.parse_args()
    data_dir = Path(args.data_dir).resolve()
    database_url = args.database_url or f"sqlite:///{data_dir / 'catalogue.sqlite'}"
    build(args, data_dir, database_url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    report: dict[str, Any] = {"datasets": args.datasets, "load_average_before": os.getloadavg()}
    server = serve(data_dir, database_url, port, args.workers)
    folder = Path(tempfile.mkdtemp(prefix="wrk-discovery-"))
    try:
        wait_until_up(base, "/healthz")
        for path in (
            "/sitemap.xml",
            "/sitemap-1.xml",
            "/sitemap-1.xml",
            "/feeds/changes.atom",
            "/feeds/changes.atom",
        ):
            status, body, ms = get(base, path, "*/*")
            report.setdefault("first requests (status, bytes, ms)", []).append(
                [path, status, len(body), round(ms, 1)]
            )
        results = {}
        for name, (paths, accept) in endpoints(base).items():
            results[name] = run_wrk(base, paths, args, accept, folder)
            print(f"  {name:<32} {results[name]}", file=sys.stderr, flush=True)
        report["endpoints"] = results
    finally:
        server.terminate()
        server.wait(timeout=60)
    shutil.rmtree(folder, ignore_errors=True)
    report["load_average_after"] = os.getloadavg()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
