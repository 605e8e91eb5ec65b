"""Write benchmark: load a synthetic catalogue through the full batch write path.

    .venv/bin/python benchmarks/write_benchmark.py --datasets 100000
    .venv/bin/python benchmarks/write_benchmark.py --datasets 10000 \
        --database-url postgresql://postgres@127.0.0.1:5432/bench   # an empty database

Every dataset goes through ``catalogue.datasets.batch.write_batch``: the document model,
every controlled code, the publisher, the classification rules, the SHACL publish check,
history, the audit hash chain and the change log, one transaction per batch of 500. The
synthetic documents are completed so that each class can be published (as a harvest would
bring them); a share is made invalid on purpose so the per-item path is exercised too.
Prints datasets/s per 10,000 (so the rate at 10k and at 100k can be read off), the overall
rate, the same per CPU-second of this process (threads included: SQLite's, the index's)
because wall-clock rates on a shared machine follow its load, the time until the search
index has taken in everything, and peak memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

BLOCK = 10_000
INVALID_EVERY = 50  # one item in 50 breaks a rule (a published open dataset without licence)


def publishable(raw: dict[str, Any], number: int) -> dict[str, Any]:
    """Complete a synthetic document with what its class needs to be published."""
    legal = raw["legal"]
    if raw["classification"] == "closed":
        legal["restriction"] = {
            "reason": {"en": "Commercial confidentiality."},
            "how_to_request": {"en": "Write to the data desk."},
        }
    elif raw["classification"] == "personal":
        legal["personal_data"] = {
            "controller": {
                "name": "The publisher",
                "organisation": raw["organisational"]["publisher"],
            },
            "legal_bases": ["A6-1-e"],
            "purposes": [{"code": "ServiceProvision", "text": {"en": "Providing services."}}],
            "data_subjects": ["Citizen"],
            "personal_data_categories": ["OfficialID"],
            "retention": {"period": "P10Y"},
        }
    if number % INVALID_EVERY == 0 and raw["classification"] == "open":
        raw["status"] = "published"
        legal["licence"] = None
        for distribution in raw["technical"]["distributions"]:
            distribution.pop("licence", None)
    return raw


async def load(count: int, batch: int, generator: Any, progress: bool) -> dict[str, Any]:
    from catalogue.datasets.batch import write_batch
    from catalogue.domain.organisation import OrganisationDocument
    from catalogue.organisations.service import save_organisation
    from catalogue.organisations.tables import Organisation

    known = {row["slug"] for row in await Organisation.select(Organisation.slug)}
    for slug in generator.publishers:
        if slug not in known:
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
    documents = generator.datasets(count)
    blocks: list[float] = []
    cpu_blocks: list[float] = []
    counts = {"created": 0, "failed": 0, "updated": 0, "unchanged": 0}
    started = block_started = time.perf_counter()
    cpu_started = block_cpu = time.process_time()
    done = 0
    while done < count:
        items = [publishable(next(documents), done + i) for i in range(min(batch, count - done))]
        for outcome in await write_batch(items, None, trusted=True):
            counts[outcome.outcome] += 1
        done += len(items)
        if done % BLOCK == 0 or done == count:
            now = time.perf_counter()
            size = done - (len(blocks) * BLOCK)
            blocks.append(size / (now - block_started))
            cpu_blocks.append(size / (time.process_time() - block_cpu))
            block_started, block_cpu = now, time.process_time()
            if progress:
                print(
                    f"  {done:>8} datasets: {blocks[-1]:.0f}/s, {cpu_blocks[-1]:.0f} per "
                    f"CPU-second, load {os.getloadavg()[0]:.1f}",
                    file=sys.stderr,
                    flush=True,
                )
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return {
        "seconds": round(seconds, 1),
        "per_second": round(count / seconds),
        "cpu_seconds": round(cpu, 1),
        "per_cpu_second": round(count / cpu),
        **counts,
        "per_second_by_10k": [round(rate) for rate in blocks],
        "per_cpu_second_by_10k": [round(rate) for rate in cpu_blocks],
    }


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    from synthetic import Generator

    from catalogue.app import migrate
    from catalogue.datasets.tables import Dataset
    from catalogue.db import prepare_engine, start_engine, stop_engine
    from catalogue.organisations.tables import Organisation
    from catalogue.search import index, index_drain, index_files, outbox

    engine = Organisation._meta.db
    from catalogue.settings import get_settings
    from catalogue.wiring import wire

    wire(get_settings())  # the listeners and checks every write runs
    await prepare_engine(engine)
    await migrate()
    await start_engine(engine)
    try:
        await index.ensure_index()
        before = await Dataset.count()
        report: dict[str, Any] = {
            "datasets": args.datasets,
            "already_stored": before,
            "batch": args.batch,
            "cpus": os.cpu_count(),
            "load_average_before": os.getloadavg()[0],
        }
        generator = Generator(seed=args.seed)
        if args.defer_index:  # as if another process held the index: drains wait for later
            with index_files.writer_lock(blocking=True):
                report["load"] = await load(args.datasets, args.batch, generator, not args.quiet)
                await outbox.wait_for_pending_drains()
        else:
            report["load"] = await load(args.datasets, args.batch, generator, not args.quiet)
        started = time.perf_counter()
        await outbox.wait_for_pending_drains()
        while await index_drain.pending():
            await index_drain.drain()
        report["index_caught_up_after_load_seconds"] = round(time.perf_counter() - started, 1)
        report["load_average_after"] = os.getloadavg()[0]
        report["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        return report
    finally:
        await stop_engine(engine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--data-dir", default=None, help="keep the catalogue here")
    parser.add_argument("--database-url", default=None, help="default: SQLite in the data dir")
    parser.add_argument(
        "--defer-index",
        action="store_true",
        help="apply the change log to the search index after the load, not "
        "during it (the write path's own cost; catch-up timed separately)",
    )
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    from search_benchmark import print_report, run_in_data_dir

    print_report(run_in_data_dir(main_async, args, "write-bench-", args.database_url))


if __name__ == "__main__":
    main()
