"""Harvest benchmark: take in a local DCAT-AP feed of N datasets, then harvest it again.

    .venv/bin/python benchmarks/harvest_benchmark.py --datasets 10000
    .venv/bin/python benchmarks/harvest_benchmark.py --datasets 10000 \
        --database-url postgresql://postgres@127.0.0.1:5432/bench   # an empty database

The feed is the synthetic catalogue of ``write_benchmark.py`` (every class, completed so it
can be published; one open dataset in 50 lacks its licence, so the rules keep it a draft),
written as this catalogue writes its own feed (Turtle pages of 100 with ``hydra:next``) into
files served by ``python -m http.server`` in another process. The harvest runs as
``catalogue harvest run`` does, in this process: fetch each page over HTTP, parse it
(bounded), map it, hash and compare each record, and store the changed ones through
``write_batch`` with every check (document model, codes, publisher, the rules, the SHACL
publish check, history, the audit chain, the change log). Then the unchanged source is
harvested again. Prints both times, datasets/s, CPU seconds, and the resident memory after
each tenth of the pages (flat when the harvest keeps nothing of earlier pages).
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

SOURCE_BASE = "http://source.example"


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def write_feed(folder: Path, port: int, count: int, per_page: int, seed: int) -> int:
    """The feed's pages as files; returns the number of pages."""
    from synthetic import Generator
    from write_benchmark import publishable

    from catalogue.dcat.mapping import dataset_graph
    from catalogue.dcat.triples import TURTLE_HEADER, TripleSink, turtle_body
    from catalogue.dcat.writer import DatasetContext
    from catalogue.domain.dataset import DatasetDocument
    from catalogue.vocabularies import default_vocabularies

    vocabularies, context = default_vocabularies(), DatasetContext(base_url=SOURCE_BASE)
    documents = Generator(seed=seed).datasets(count)
    pages = (count + per_page - 1) // per_page
    for page in range(1, pages + 1):
        sink = TripleSink()
        for number in range(min(per_page, count - (page - 1) * per_page)):
            raw = publishable(next(documents), (page - 1) * per_page + number)
            raw["status"] = "published"
            dataset_graph(DatasetDocument.model_validate(raw), context, vocabularies, sink)  # type: ignore[arg-type]
        here = f"http://127.0.0.1:{port}/page-{page}.ttl"
        paging = ""
        if page < pages:
            following = f"http://127.0.0.1:{port}/page-{page + 1}.ttl"
            paging = (
                f"<{here}> a <http://www.w3.org/ns/hydra/core#PagedCollection> ;\n"
                f"  <http://www.w3.org/ns/hydra/core#next> <{following}> .\n"
            )
        (folder / f"page-{page}.ttl").write_text(TURTLE_HEADER + turtle_body(sink) + paging)
    return pages


async def harvest_twice(args: argparse.Namespace) -> dict[str, Any]:
    from synthetic import Generator

    from catalogue.app import migrate
    from catalogue.db import prepare_engine, start_engine, stop_engine
    from catalogue.domain.organisation import OrganisationDocument
    from catalogue.harvest import service
    from catalogue.harvest.jobs import harvest
    from catalogue.organisations.service import save_organisation
    from catalogue.organisations.tables import Organisation

    engine = Organisation._meta.db
    from catalogue.settings import get_settings
    from catalogue.wiring import wire

    wire(get_settings())  # the listeners and checks every write runs
    await prepare_engine(engine)
    await migrate()
    await start_engine(engine)
    folder = Path(tempfile.mkdtemp(prefix="harvest-feed-"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.perf_counter()
    pages = write_feed(folder, port, args.datasets, args.per_page, args.seed)
    report: dict[str, Any] = {
        "datasets": args.datasets,
        "pages": pages,
        "feed_written_seconds": round(time.perf_counter() - started, 1),
        "load_average_before": os.getloadavg()[0],
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/page-1.ttl", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        for slug in [*Generator(seed=args.seed).publishers, "harvesters"]:
            await save_organisation(
                OrganisationDocument(
                    slug=slug,
                    name=slug.replace("-", " ").title(),
                    type="NationalAuthority",
                    email=f"{slug}@example.si",
                ),
                None,
                create=True,
            )
        await service.save_source(
            service.parse_source(
                {
                    "name": "bench",
                    "kind": "dcat",
                    "url": f"http://127.0.0.1:{port}/page-1.ttl",
                    "organisation": "harvesters",
                }
            )
        )
        for run in ("first", "again"):
            memory: list[float] = []

            def progress(state: Any, memory: list[float] = memory, run: str = run) -> None:
                if state.pages % max(1, pages // 10) == 0:
                    memory.append(round(rss_mb()))
                    if not args.quiet:
                        print(
                            f"  {run}: page {state.pages}/{pages}, {state.records} records, "
                            f"{memory[-1]} MB",
                            file=sys.stderr,
                            flush=True,
                        )

            cpu, wall = time.process_time(), time.perf_counter()
            _, result = await harvest("bench", progress=progress)
            seconds = time.perf_counter() - wall
            report[run] = {
                "seconds": round(seconds, 1),
                "datasets_per_second": round(args.datasets / seconds),
                "cpu_seconds": round(time.process_time() - cpu, 1),
                "summary": result.summary_line(),
                "complete": result.complete,
                "issues": result.issue_count,
                "rss_mb_every_tenth_of_the_pages": memory,
            }
        report["load_average_after"] = os.getloadavg()[0]
        report["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        return report
    finally:
        server.terminate()
        server.wait()
        await stop_engine(engine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--per-page", type=int, default=100)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--data-dir", default=None, help="keep the catalogue here")
    parser.add_argument("--database-url", default=None, help="default: SQLite in the data dir")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    from search_benchmark import print_report, run_in_data_dir

    print_report(run_in_data_dir(harvest_twice, args, "harvest-bench-", args.database_url))


if __name__ == "__main__":
    main()
