"""HTTP benchmark: every public endpoint of a running catalogue, loaded with ``wrk``.

    .venv/bin/python benchmarks/http_benchmark.py --datasets 100000 --data-dir /tmp/bench-100k

Run by hand (never a timed test). Builds the synthetic catalogue with
``search_benchmark.py`` unless ``--data-dir`` already holds one, starts ``catalogue serve
--workers 2`` on a free loopback port, measures the first requests after start, loads each
endpoint with Debian's ``wrk`` (``-t2 -c32 -d10s`` by default; a Lua script rotates through
many slugs and pages and prints p50/p95/p99), reads the whole feed page by page as a harvester
does, notes each worker's memory, then serves the same published datasets with Datasette
(SQLite FTS5 and three facets, one process) and prints how many times faster the catalogue
answers a search and a 20-row list in the same run. Needs ``wrk`` (``apt-get install wrk``)
and, for the comparison, ``pip install datasette`` into the venv (``--no-datasette`` skips it).
``--database-url postgresql://...`` serves (and, when empty, loads) a PostgreSQL database.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from datasette_copy import build_datasette_database  # noqa: E402

LUA = """
local paths = {}
local counter = 0
init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
end
request = function()
  counter = counter + 1
  return wrk.format(nil, paths[(counter % #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout, summary.duration))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(base: str, path: str, accept: str = "application/json") -> tuple[int, bytes, float]:
    started = time.perf_counter()
    request = urllib.request.Request(base + path, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    return status, body, (time.perf_counter() - started) * 1000


def wait_until_up(base: str, path: str, seconds: float = 900) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if get(base, path)[0] < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server at {base} did not come up")


def worker_memory_mb(parent: int) -> list[float]:
    """Resident memory of each worker process (the children of ``catalogue serve``)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(parent) and "VmRSS" in fields:
            found.append(round(int(fields["VmRSS"].split()[0]) / 1024, 1))
    return sorted(found)


def run_wrk(
    base: str,
    paths: list[str],
    args: argparse.Namespace,
    accept: str,
    folder: Path,
    headers: tuple[str, ...] = (),
) -> dict[str, Any]:
    script, listing = folder / "rotate.lua", folder / "paths.txt"
    script.write_text(LUA)
    listing.write_text("\n".join(paths) + "\n")
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "10s",
        "-H",
        f"Accept: {accept}",
        "-H",
        "Accept-Encoding: gzip",
        *(part for header in headers for part in ("-H", header)),
        "-s",
        str(script),
        base,
        "--",
        str(listing),
    ]
    output = subprocess.run(command, capture_output=True, text=True, timeout=args.duration + 60)
    match = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", output.stdout)
    if not match:
        return {"error": (output.stdout + output.stderr)[-300:]}
    requests, p50, p95, p99, errors, duration = (int(value) for value in match.groups())
    return {
        "req_per_s": round(requests / (duration / 1e6), 1),
        "p50_ms": round(p50 / 1000, 1),
        "p95_ms": round(p95 / 1000, 1),
        "p99_ms": round(p99 / 1000, 1),
        "errors": errors,
    }


def walk_feed(port: int, path: str, limit: float) -> dict[str, Any]:
    """One client reads every feed page, following ``hydra:next`` (keep-alive, gzip off);
    stops after ``limit`` seconds and says how long the whole walk would take."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    pages, started, seen, total = 0, time.perf_counter(), 0, 0
    slowest = 0.0
    while path and time.perf_counter() - started < limit:
        began = time.perf_counter()
        connection.request("GET", path, headers={"Accept": "text/turtle"})
        response = connection.getresponse()
        body = response.read().decode()
        slowest = max(slowest, time.perf_counter() - began)
        if response.status != 200:
            return {"error": f"{path}: {response.status} {body[:200]}"}
        pages += 1
        seen += len(re.findall(r"^<[^>]+/dataset/[^>#/]+> a [^;]*dcat:Dataset", body, re.M))
        if found_total := re.search(r'hydra:totalItems "?(\d+)', body):
            total = int(found_total.group(1))
        found = re.search(r"hydra:next <([^>]+)>", body)
        path = re.sub(r"^https?://[^/]+", "", found.group(1)) if found else ""
    connection.close()
    seconds = time.perf_counter() - started
    report = {
        "pages": pages,
        "datasets": seen,
        "seconds": round(seconds, 1),
        "slowest_page_ms": round(slowest * 1000, 1),
        "complete": not path,
    }
    if path and seen:
        report["projected_seconds_for_all"] = round(seconds * total / seen, 1)
    return report


def endpoints(base: str) -> dict[str, tuple[list[str], str]]:
    """name -> (paths to rotate through, Accept)."""
    _, body, _ = get(base, "/api/v1/datasets?size=100&page=7")
    listing = json.loads(body)
    slugs = [item["slug"] for item in listing["items"]]
    publishers = sorted({item["organisational"]["publisher"] for item in listing["items"]})
    total = listing["total"]
    last_list_page = max(1, total // 20)
    last_feed_page = max(1, total // 100)
    _, body, _ = get(base, "/api/v1/datasets?size=20&order=created")
    cursor = json.loads(body)["next_cursor"]
    html, ttl = "text/html", "text/turtle"
    words = [
        "register",
        "tax",
        "population",
        "address",
        "health",
        "register tax",
        "business register",
        "income statistics",
        "road quality",
        "vehicle permit",
    ]
    pages = [1, 2, 3, 5, 10, 50]
    return {
        "home /": (["/"], html),
        "search page /search": ([f"/search?q={w.replace(' ', '+')}" for w in words], html),
        "dataset HTML": ([f"/dataset/{s}" for s in slugs], html),
        "dataset JSON (Accept)": ([f"/dataset/{s}" for s in slugs], "application/json"),
        **{
            f"dataset .{ext}": ([f"/dataset/{s}.{ext}" for s in slugs], "*/*")
            for ext in ("ttl", "rdf", "jsonld", "nt")
        },
        "api list size=20 page=3": (["/api/v1/datasets?size=20&page=3"], "application/json"),
        "api list pages 1..deep": (
            [
                f"/api/v1/datasets?size=20&page={p}"
                for p in (*pages, last_list_page // 2, last_list_page)
            ],
            "application/json",
        ),
        "api list filtered": (
            [
                f"/api/v1/datasets?size=20&{f}"
                for f in (
                    "classification=open",
                    "classification=personal",
                    "theme=ECON",
                    "status=published",
                    *(f"publisher={p}" for p in publishers[:5]),
                )
            ],
            "application/json",
        ),
        "api list cursor": (
            [f"/api/v1/datasets?size=20&order=created&cursor={cursor}"],
            "application/json",
        ),
        "api search (facets)": (
            [f"/api/v1/search?q={w.replace(' ', '+')}" for w in words],
            "application/json",
        ),
        "feed /catalog.ttl?page=N": (
            [f"/catalog.ttl?page={p}" for p in (*pages, last_feed_page // 2, last_feed_page)],
            ttl,
        ),
        "feed DCAT-AP 2 ?profile=dcat_ap_2&page=N": (
            [
                f"/catalog.ttl?profile=dcat_ap_2&page={p}"
                for p in (*pages, last_feed_page // 2, last_feed_page)
            ],
            ttl,
        ),
        "feed fq=organization:X (ckanext-dcat)": (
            [f"/catalog.ttl?fq=organization:{p}" for p in publishers[:5]],
            ttl,
        ),
        "organisation page": ([f"/organisation/{p}" for p in publishers], html),
        "transparency": (["/transparency"], html),
        "ckan package_search": (
            [f"/api/3/action/package_search?q={w.replace(' ', '+')}&rows=10" for w in words],
            "application/json",
        ),
        "api dataset": ([f"/api/v1/datasets/{s}" for s in slugs], "application/json"),
        "quality dashboard /quality": (["/quality"], html),
        "quality JSON /quality.json": (["/quality.json"], "application/json"),
        "dataset quality": ([f"/api/v1/datasets/{s}/quality" for s in slugs], "application/json"),
        "atom /feeds/changes.atom": (["/feeds/changes.atom"], "application/atom+xml"),
        "atom organisation feed": (
            [f"/feeds/organisation/{p}.atom" for p in publishers[:5]],
            "application/atom+xml",
        ),
        "atom search /search.atom": (
            [f"/search.atom?q={w.replace(' ', '+')}" for w in words],
            "application/atom+xml",
        ),
        "sitemap index /sitemap.xml": (["/sitemap.xml"], "application/xml"),
        "transparency dataset": (
            [
                "/transparency/central-population-register",
                "/transparency/employer-income-tax-returns?page=3",
            ],
            html,
        ),
        "transparency next page": (["/transparency?after=central-population-register"], html),
        "once-only map /once-only": (["/once-only"], html),
        "once-only register": (
            [
                "/register/central-population-register",
                "/register/business-register",
                "/register/register-of-spatial-units-and-addresses",
            ],
            html,
        ),
        "once-only identifier": (
            [f"/identifier/{s}" for s in ("personal-id", "tax-number", "address-id")],
            html,
        ),
        "once-only search /registers": (
            [f"/registers?q={q}" for q in ("address", "naslov", "date+of+birth", "davcna")],
            html,
        ),
        "once-only service": (
            ["/service/child-benefit", "/service/child-benefit-17", "/service/child-benefit.json"],
            html,
        ),
        "once-only notice": (
            ["/notice/child-benefit", "/notice/child-benefit-17?lang=sl"],
            html,
        ),
    }


def stored_datasets(data_dir: Path, database_url: str) -> int:
    """How many datasets the catalogue there holds already (0 when there is none)."""
    query = "SELECT count(*) FROM dataset"
    try:
        if database_url.startswith("postgres"):
            import asyncio

            import asyncpg

            async def count() -> int:
                connection = await asyncpg.connect(database_url)
                try:
                    return int(await connection.fetchval(query))
                finally:
                    await connection.close()

            return asyncio.run(count())
        import sqlite3

        path = data_dir / "catalogue.sqlite"
        if not path.exists():
            return 0
        with sqlite3.connect(path) as connection:
            return int(connection.execute(query).fetchone()[0])
    except Exception:  # no such table yet: nothing stored
        return 0


def build(args: argparse.Namespace, data_dir: Path, database_url: str) -> None:
    """Load the synthetic catalogue (and index it) unless it is there already."""
    if stored_datasets(data_dir, database_url) >= args.datasets:
        return
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "search_benchmark.py"),
        "--datasets",
        str(args.datasets),
        "--data-dir",
        str(data_dir),
        "--reuse",
        "--queries",
        "5",
        "--rounds",
        "1",
        "--quiet",
        "--database-url",
        database_url,
        "--load",
        args.load,
    ]
    subprocess.run(command, check=True)


def serve(data_dir: Path, database_url: str, port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "CATALOGUE_DATA_DIR": str(data_dir),
        "CATALOGUE_DATABASE_URL": database_url,
        "CATALOGUE_AUTO_SEED": "false",
        "CATALOGUE_SECRET_KEY": "benchmark",
        "CATALOGUE_BASE_URL": f"http://127.0.0.1:{port}",
    }
    log = open(data_dir / "serve.log", "w")  # noqa: SIM115 (kept open for the server's life)
    return subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "catalogue"),
            "serve",
            "--workers",
            str(workers),
            "--port",
            str(port),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def datasette_run(
    args: argparse.Namespace, data_dir: Path, database_url: str, folder: Path
) -> dict[str, Any]:
    datasette = Path(sys.executable).parent / "datasette"
    if not datasette.exists():
        return {"skipped": "pip install datasette into the venv for the comparison"}
    target = folder / "published.db"
    build_datasette_database(data_dir / "catalogue.sqlite", target, database_url)
    port = free_port()
    process = subprocess.Popen(
        [
            str(datasette),
            "serve",
            str(target),
            "--port",
            str(port),
            "--setting",
            "sql_time_limit_ms",
            "10000",
            "--setting",
            "suggest_facets",
            "off",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, "/-/versions.json", 60)
        facets = "&_facet=classification&_facet=publisher&_facet=theme"
        words = [
            "register",
            "tax",
            "population",
            "address",
            "health",
            "register tax",
            "business register",
            "income statistics",
            "road quality",
            "vehicle permit",
        ]
        return {
            "list 20 rows": run_wrk(
                base,
                ["/published/datasets.json?_size=20&_sort_desc=modified"],
                args,
                "application/json",
                folder,
            ),
            "search (facets)": run_wrk(
                base,
                [
                    f"/published/datasets.json?_search={w.replace(' ', '+')}&_size=20{facets}"
                    for w in words
                ],
                args,
                "application/json",
                folder,
            ),
        }
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--data-dir", default=None, help="keep (and reuse) the catalogue here")
    parser.add_argument("--database-url", default=None, help="default: SQLite in the data dir")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--port",
        type=int,
        default=0,
        help="serve here (default: a free port); the base URL is part of every kept RDF "
        "chunk, so a fixed port lets a second run read the chunks the first one wrote",
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint")
    parser.add_argument("--only", default="", help="comma list: run only endpoints named so")
    parser.add_argument(
        "--token",
        default="",
        help="an admin's or auditor's API token (catalogue tokens create): adds the RoPA pages",
    )
    parser.add_argument("--no-datasette", action="store_true")
    parser.add_argument(
        "--load",
        choices=("full", "bulk"),
        default="full",
        help="how search_benchmark.py loads a new catalogue (bulk: rows only)",
    )
    parser.add_argument("--no-feed", action="store_true", help="skip the whole-feed read")
    parser.add_argument(
        "--warm",
        action="store_true",
        help="read each address before its timed run (in turn, then by wrk for 2 s: every "
        "worker keeps it)",
    )
    parser.add_argument(
        "--feed-seconds",
        type=float,
        default=900,
        help="stop the whole-feed read after this long (and project)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="http-bench-")).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    database_url = args.database_url or f"sqlite:///{data_dir / 'catalogue.sqlite'}"
    build(args, data_dir, database_url)
    report: dict[str, Any] = {
        "datasets": args.datasets,
        "database": database_url.split(":")[0],
        "load_average_before": os.getloadavg(),
    }
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    server = serve(data_dir, database_url, port, args.workers)
    folder = Path(tempfile.mkdtemp(prefix="wrk-"))
    try:
        wait_until_up(base, "/healthz")
        report["start_seconds"] = round(time.perf_counter() - started, 1)
        for name, path, accept in (
            ("first search", "/api/v1/search?q=register+tax", "*/*"),
            ("first home page", "/", "text/html"),
            ("first list page", "/api/v1/datasets?size=20&page=3", "*/*"),
            ("first feed page", "/catalog.ttl?page=5", "text/turtle"),
        ):
            report[f"{name} ms"] = round(get(base, path, accept)[2], 1)
        results = {}
        signed = {
            # The record of processing is for administrators and auditors (--token); the
            # harvest sources page, with its form, for anyone signed in.
            "harvest sources /harvest/sources": (["/harvest/sources"], "text/html"),
            "ropa controllers /records-of-processing": (["/records-of-processing"], "text/html"),
            "ropa controller page": (
                [
                    "/records-of-processing/ministry-of-the-interior",
                    "/records-of-processing/ministry-of-labour",
                    "/records-of-processing/publisher-000",
                ],
                "text/html",
            ),
        }
        wanted = {**endpoints(base), **(signed if args.token else {})}
        for name, (paths, accept) in wanted.items():
            if args.only and not any(part in name for part in args.only.split(",")):
                continue
            auth = (f"Authorization: Bearer {args.token}",) if name in signed else ()
            if args.warm and not auth:
                # The steady state: each kept answer rendered once by each worker. Read
                # once in turn, then by wrk for two seconds (its connections land on
                # every worker); that run is not reported.
                for path in paths:
                    get(base, path, accept)
                run_wrk(
                    base, paths, argparse.Namespace(**{**vars(args), "duration": 2}), accept, folder
                )
            results[name] = run_wrk(base, paths, args, accept, folder, auth)
            print(f"  {name:<28} {results[name]}", file=sys.stderr, flush=True)
        report["endpoints"] = results
        if not args.no_feed:
            for attempt in ("first", "second"):  # cold chunks, then as kept on disk
                report[f"whole feed (Turtle, one client), {attempt} read"] = walk_feed(
                    port, "/catalog.ttl", args.feed_seconds
                )
        report["worker memory MB"] = worker_memory_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=60)
    if not args.no_datasette:
        theirs = datasette_run(args, data_dir, database_url, folder)
        report["datasette"] = theirs
        ours = report["endpoints"]
        for mine, their in (
            ("api list size=20 page=3", "list 20 rows"),
            ("api search (facets)", "search (facets)"),
        ):
            if mine in ours and theirs.get(their, {}).get("req_per_s"):
                ratio = ours[mine].get("req_per_s", 0) / theirs[their]["req_per_s"]
                report[f"ratio to datasette: {their}"] = round(ratio, 2)
    shutil.rmtree(folder, ignore_errors=True)
    report["load_average_after"] = os.getloadavg()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
