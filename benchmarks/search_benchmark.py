"""Search benchmark: load a synthetic catalogue, build the index, measure.

    .venv/bin/python benchmarks/search_benchmark.py --datasets 100000

Uses a throw-away data directory (SQLite) unless --data-dir is given. Reports indexing
throughput, index size, search latency (p50/p95/p99 over mixed queries, always with facet
counts), register-to-searchable latency, full reindex time and peak memory.

Loading path: ``--load full`` (the default) writes every dataset through the batch write
path of the services (``catalogue.datasets.batch``: every rule, the SHACL publish check,
history, the audit chain and the change log; see ``write_benchmark.py``). ``--load bulk`` is
the older shortcut: each document is validated like the service does (``parse_document``:
the pydantic model; ``normalise_codes``: every controlled code against the vocabularies),
then stored in batches of 500 per transaction (Dataset, DatasetTheme and DatasetRevision rows,
as ``_write`` stores them), and the change-log listener is called inside the same
transaction with the same ``Change`` the service announces. The publication rules and the
other listeners (audit log, DCAT snapshot) are skipped: they are not part of search and would
make a 100k load take hours. The register-to-searchable measurement uses the real
``create_dataset`` service end to end.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

BATCH = 500
FACET_CHOICES = {
    "classification": ["open", "closed", "personal"],
    "theme": ["ECON", "GOVE", "HEAL", "TRAN", "ENVI"],
    "format": ["CSV", "JSON", "PDF"],
}


def _children_cpu() -> float:
    """CPU seconds of finished child processes (the reindex workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def load(count: int, generator: Any, progress: bool) -> tuple[float, int]:
    """Store ``count`` documents through the bulk path; seconds taken and rejected count."""
    from catalogue.datasets import service
    from catalogue.datasets.rows import row_values
    from catalogue.datasets.tables import Dataset, DatasetRevision, DatasetTheme
    from catalogue.db import write_transaction
    from catalogue.domain.codes import normalise_codes
    from catalogue.domain.organisation import OrganisationDocument
    from catalogue.events import Change
    from catalogue.organisations.service import save_organisation
    from catalogue.organisations.tables import Organisation
    from catalogue.search.outbox import record_change
    from catalogue.vocabularies import default_vocabularies

    for slug in generator.publishers:
        document = OrganisationDocument(
            slug=slug, name=slug.replace("-", " ").title(), type="NationalAuthority"
        )
        await save_organisation(document, None, create=True)
    publisher_ids = {
        row["slug"]: row["id"]
        for row in await Organisation.select(Organisation.id, Organisation.slug)
    }
    vocabularies = default_vocabularies()
    started, rejected, done = time.perf_counter(), 0, 0
    raw_documents = generator.datasets(count)
    while done < count:
        datasets, themes, revisions, changes = [], [], [], []
        for raw in (next(raw_documents) for _ in range(min(BATCH, count - done))):
            document, problems = normalise_codes(service.parse_document(raw), vocabularies, ())
            done += 1
            if problems:
                rejected += 1
                continue
            document = document.with_generated_ids()
            dataset_id = uuid.uuid4()
            moment = dt.datetime.now(dt.UTC)
            publisher = publisher_ids[document.organisational.publisher]
            values = row_values(document, publisher, None, moment)
            stored = values[Dataset.document]
            datasets.append(
                Dataset(
                    id=dataset_id,
                    revision=1,
                    created=moment,
                    **{column._meta.name: value for column, value in values.items()},
                )
            )
            themes.extend(
                DatasetTheme(dataset=dataset_id, theme=t) for t in document.semantic.themes
            )
            revisions.append(
                DatasetRevision(
                    dataset=dataset_id,
                    revision=1,
                    action="create",
                    actor_name="benchmark",
                    at=moment,
                    changes={},
                    snapshot=stored,
                )
            )
            changes.append(
                Change(
                    "dataset",
                    "create",
                    str(dataset_id),
                    document.slug,
                    None,
                    after=stored,
                    extra={"revision": 1},
                )
            )
        async with write_transaction():
            for rows, table in (
                (datasets, Dataset),
                (themes, DatasetTheme),
                (revisions, DatasetRevision),
            ):
                for start in range(0, len(rows), 100):
                    await table.insert(*rows[start : start + 100])
            for change in changes:
                await record_change(change)
        if progress:
            print(f"\r  loaded {done}/{count}", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    return time.perf_counter() - started, rejected


async def measure_queries(generator: Any, count: int, principals: list[Any]) -> dict[str, Any]:
    from catalogue.search.service import SearchQuery, search

    rng = random.Random(7)
    queries = []
    for _ in range(count + 20):
        filters = {}
        if rng.random() < 0.4:
            name = rng.choice(list(FACET_CHOICES))
            filters[name] = [rng.choice(FACET_CHOICES[name])]
        queries.append(SearchQuery(q=generator.query(), filters=filters))
    started = time.perf_counter()
    first = await search(queries[0], principals[0])
    cold = time.perf_counter() - started
    for query in queries[1:20]:  # warm-up: caches of term and facet bitsets
        await search(query, rng.choice(principals))
    timings, cpu_timings, totals = [], [], []
    for query in queries[20:]:
        principal = rng.choice(principals)
        started, cpu = time.perf_counter(), time.process_time()
        result = await search(query, principal)
        timings.append((time.perf_counter() - started) * 1000)
        cpu_timings.append((time.process_time() - cpu) * 1000)
        totals.append(result.total)
        assert len(result.facets) == 10
    return {
        "cold_first_query_ms": round(cold * 1000, 1),
        "first_query_total": first.total,
        "p50_ms": round(percentile(timings, 0.50), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "p99_ms": round(percentile(timings, 0.99), 1),
        "max_ms": round(max(timings), 1),
        "cpu_p50_ms": round(percentile(cpu_timings, 0.50), 1),
        "cpu_p95_ms": round(percentile(cpu_timings, 0.95), 1),
        "cpu_p99_ms": round(percentile(cpu_timings, 0.99), 1),
        "mean_hits": round(statistics.mean(totals)),
    }


async def settle_like_a_running_worker() -> None:
    """Before the writes: what a serving worker has done by the time a steward writes. It
    froze what it loaded out of the garbage collector's full collections after its warm-up
    (without that, a 60-150 ms full collection landed in one write in five here), and its
    follow loop merged the small segments earlier writes (an earlier ``--reuse`` run) left."""
    from catalogue.search import index_drain
    from catalogue.warmup import settle_garbage_collector

    await index_drain.merge_when_idle()
    settle_garbage_collector()


async def measure_register_to_searchable(generator: Any, admin: Any, rounds: int) -> dict:
    """Time from the service's commit until the dataset can be found.

    Two ways, ``rounds`` times each: until the index holds it (the after-commit drain), and
    until a full search (its title as the query, with facet counts) returns it, which also
    pays for reopening the index and refreshing per-generation caches.
    """
    from catalogue.datasets import service
    from catalogue.errors import InvalidDocument
    from catalogue.search import snapshot
    from catalogue.search.service import SearchQuery, search

    async def indexed(raw: dict[str, Any]) -> bool:
        current = snapshot.current()
        return current is not None and bool(current.term_bits("slug", raw["slug"]) & current.live)

    async def found(raw: dict[str, Any]) -> bool:
        result = await search(SearchQuery(q=raw["title"]["en"], size=5), admin)
        return any(hit.slug == raw["slug"] for hit in result.items)

    report: dict[str, Any] = {}
    first = random.randrange(10_000_000, 90_000_000)  # new slugs on every (--reuse) run
    for name, check in (("indexed", indexed), ("found_by_search", found)):
        latencies, writes = [], []
        for number in range(first, first + rounds):
            raw = generator.dataset(number)
            raw["status"] = "published"
            began = time.perf_counter()
            try:
                await service.create_dataset(raw, admin)
            except InvalidDocument:
                raw["status"] = "draft"
                await service.create_dataset(raw, admin)
            committed = time.perf_counter()
            while not await check(raw):
                await asyncio.sleep(0.001)
            latencies.append((time.perf_counter() - committed) * 1000)
            writes.append((committed - began) * 1000)
        first += rounds
        report[f"commit_to_{name}_median_ms"] = round(statistics.median(latencies), 1)
        report[f"commit_to_{name}_p95_ms"] = round(percentile(latencies, 0.95), 1)
        report[f"commit_to_{name}_max_ms"] = round(max(latencies), 1)
        report.setdefault("service_write_median_ms", round(statistics.median(writes), 1))
    return report


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    from synthetic import Generator

    from catalogue.accounts.service import create_user, principal_for_user
    from catalogue.app import migrate
    from catalogue.db import prepare_engine, start_engine
    from catalogue.organisations.tables import Organisation
    from catalogue.search import index_files, index_rebuild
    from catalogue.settings import get_settings
    from catalogue.wiring import wire

    wire(get_settings())  # the listeners and checks every write runs
    await prepare_engine(Organisation._meta.db)
    await migrate()
    await start_engine(Organisation._meta.db)
    from catalogue.datasets.tables import Dataset

    generator = Generator(seed=args.seed)
    report: dict[str, Any] = {"datasets": args.datasets, "cpus": os.cpu_count()}
    stored = await Dataset.count()
    if args.reuse and stored:
        report["datasets"] = stored
        report["load_seconds"] = "skipped (--reuse)"
    elif args.load == "full":
        from write_benchmark import load as full_load

        loaded = await full_load(args.datasets, BATCH, generator, not args.quiet)
        report["load_seconds"] = loaded["seconds"]
        report["load_datasets_per_second"] = loaded["per_second"]
        report["load_rejected"] = loaded["failed"]
    else:
        seconds, rejected = await load(args.datasets, generator, not args.quiet)
        report["load_seconds"] = round(seconds, 1)
        report["load_cpu_seconds"] = round(time.process_time(), 1)
        report["load_rejected"] = rejected
    generator = Generator(seed=args.seed + 1)  # queries do not depend on whether we loaded

    if args.no_reindex and args.reuse and index_files.open_index() is not None:
        report["reindex_seconds"] = "skipped (--no-reindex)"
    else:
        started, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
        indexed = await index_rebuild.rebuild()
        took = time.perf_counter() - started
        report["reindex_seconds"] = round(took, 1)
        report["reindex_cpu_seconds"] = round(time.process_time() - cpu, 1)
        report["reindex_worker_cpu_seconds"] = round(_children_cpu() - children, 1)
        report["indexing_docs_per_second"] = round(indexed / took)
    size = sum(p.stat().st_size for p in index_files.index_dir().rglob("*") if p.is_file())
    report["index_megabytes"] = round(size / 2**20, 1)

    email = f"bench-{uuid.uuid4().hex[:8]}@example.si"
    admin_id = await create_user(email, "Bench", "benchmark-password", "admin", None)
    admin = await principal_for_user(admin_id)
    steward = type(admin)(
        user_id=admin_id, name="steward", email="", roles={"publisher-001": frozenset({"steward"})}
    )
    principals = [None, None, None, steward, admin]
    report["queries"] = await measure_queries(generator, args.queries, principals)
    await settle_like_a_running_worker()
    report["register_to_searchable"] = await measure_register_to_searchable(
        generator, admin, args.rounds
    )
    report["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    report["peak_worker_memory_mb"] = round(
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    )
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=10, help="register-to-searchable rounds")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--load",
        choices=("full", "bulk"),
        default="full",
        help="full: the services' batch path with every check; bulk: rows only",
    )
    parser.add_argument("--data-dir", default=None, help="keep the catalogue here")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with --data-dir: skip loading when the catalogue is already there",
    )
    parser.add_argument(
        "--no-reindex",
        action="store_true",
        help="with --reuse: measure the index as it is (a 1M rebuild takes 20 minutes)",
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="default: SQLite in the data directory; or postgresql://...",
    )
    args = parser.parse_args()
    print_report(run_in_data_dir(main_async, args, "search-bench-"))


def run_in_data_dir(
    main_async: Any, args: argparse.Namespace, prefix: str, database_url: str | None = None
) -> dict[str, Any]:
    """Run ``main_async(args)`` on a catalogue in ``--data-dir`` (or a throw-away one)."""
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix=prefix))
    os.environ["CATALOGUE_DATA_DIR"] = str(data_dir)
    os.environ["CATALOGUE_DATABASE_URL"] = (
        database_url
        or getattr(args, "database_url", None)
        or f"sqlite:///{data_dir / 'catalogue.sqlite'}"
    )
    os.environ["CATALOGUE_AUTO_SEED"] = "false"
    os.environ.setdefault("CATALOGUE_SECRET_KEY", "benchmark")
    try:
        return asyncio.run(main_async(args))
    finally:
        if not args.data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)


def print_report(report: dict[str, Any]) -> None:
    width = max(len(key) for key in report)
    for key, value in report.items():
        if isinstance(value, dict):
            print(f"{key}:")
            for inner, figure in value.items():
                print(f"  {inner:<{width}} {figure}")
        else:
            print(f"{key:<{width + 2}} {value}")


if __name__ == "__main__":
    main()
