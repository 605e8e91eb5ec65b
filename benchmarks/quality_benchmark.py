"""Quality benchmark: score a synthetic catalogue, then load the quality pages with ``wrk``.

    .venv/bin/python benchmarks/quality_benchmark.py --data-dir /tmp/bench-100k

Run by hand (never a timed test). ``--data-dir`` holds a catalogue made by
``search_benchmark.py`` (``--load bulk`` stores rows without the listeners, so no dataset
is scored yet): this script scores the first ``--sample`` datasets for real (printing
datasets/s), marks a share of their addresses as answered (``--answered``) and rescores
them (datasets/s with the DCAT-AP results kept), gives every other dataset a copy of a
scored row (a read costs what the rows cost, whatever they say), records a day's
aggregates, starts ``catalogue serve --workers 2`` and loads (with ``--change-every S``
while the catalogue version moves every S seconds, as writes move it)
``/quality``, ``/api/v1/quality`` (first page and deep pages of the worst list),
``/api/v1/datasets/{slug}/quality``, the dataset page and an organisation page, printing
req/s and p50/p95/p99 for each.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_benchmark import free_port, get, run_wrk, serve, wait_until_up


async def _score_sample(sample: int) -> tuple[int, float]:
    """Score the first ``sample`` datasets for real (every check); count and seconds."""
    from catalogue.datasets.tables import Dataset
    from catalogue.quality import store

    started, done, last = time.perf_counter(), 0, None
    while done < sample:
        query = (
            Dataset.select(*store.ROW_COLUMNS).order_by(Dataset.id).limit(min(500, sample - done))
        )
        if last is not None:
            query = query.where(Dataset.id > last)
        rows = await query
        if not rows:
            break
        await store.score_rows(rows)
        done += len(rows)
        last = rows[-1]["id"]
    return done, time.perf_counter() - started


async def _fill_the_rest() -> int:
    """Give every other dataset a copy of a scored dataset's assessment (for the read
    benchmark only: what a request costs depends on the rows, not on which content)."""
    from catalogue.datasets.tables import Dataset
    from catalogue.domain.disclosure import PUBLIC_STATUSES
    from catalogue.quality.tables import QualityScore

    samples = await QualityScore.select().output(load_json=True)
    columns = (
        "points",
        "rating",
        "findability",
        "accessibility",
        "interoperability",
        "reusability",
        "contextuality",
        "assessment",
        "dcat_ap_conforms",
    )
    scored = {row["dataset_id"] for row in samples}
    filled, last = 0, None
    while True:
        query = (
            Dataset.select(
                Dataset.id, Dataset.slug, Dataset.status, Dataset.revision, Dataset.publisher.slug
            )
            .order_by(Dataset.id)
            .limit(2000)
        )
        if last is not None:
            query = query.where(Dataset.id > last)
        rows = await query
        if not rows:
            return filled
        last = rows[-1]["id"]
        new = []
        for row in rows:
            if row["id"] in scored:
                continue
            sample = samples[filled % len(samples)]
            new.append(
                QualityScore(
                    dataset_id=row["id"],
                    slug=row["slug"],
                    publisher=row["publisher.slug"],
                    public=row["status"] in PUBLIC_STATUSES,
                    revision=row["revision"],
                    **{name: sample[name] for name in columns},
                )
            )
            filled += 1
        for start in range(0, len(new), 500):
            await QualityScore.insert(*new[start : start + 500])


async def prepare(answered: float, sample: int) -> dict[str, Any]:
    import datetime as dt

    from catalogue.app import migrate
    from catalogue.datasets.tables import Dataset
    from catalogue.dcat import snapshot
    from catalogue.quality import aggregates, store
    from catalogue.quality.tables import LinkCheck, QualityScore
    from catalogue.settings import get_settings
    from catalogue.wiring import wire

    wire(get_settings())  # the listeners and checks every write runs

    await migrate()
    await snapshot.refresh()
    report: dict[str, Any] = {
        "datasets": await Dataset.count(),
        "scores before": await QualityScore.count(),
    }
    if report["scores before"] < min(sample, report["datasets"]):  # not yet (a few at most)
        done, seconds = await _score_sample(sample)
        report["scored for real"] = done
        report["scoring: datasets per second (cold DCAT-AP check)"] = round(done / seconds, 1)
        rows = await LinkCheck.select(LinkCheck.id)
        rng = random.Random(7)
        chosen = [row["id"] for row in rows if rng.random() < answered]
        now = dt.datetime.now(dt.UTC)
        for start in range(0, len(chosen), 500):
            await LinkCheck.update({LinkCheck.status: 200, LinkCheck.checked_at: now}).where(
                LinkCheck.id.is_in(chosen[start : start + 500])
            )
        urls = [
            row["url"]
            for row in await LinkCheck.select(LinkCheck.url).where(LinkCheck.status == 200)
        ]
        started = time.perf_counter()
        rescored = await store.rescore_urls(urls)
        seconds = time.perf_counter() - started
        report["rescored after link answers"] = rescored
        report["rescoring: datasets per second (DCAT-AP result kept)"] = (
            round(rescored / seconds, 1) if seconds else None
        )
        report["rows copied from the scored sample"] = await _fill_the_rest()
    started = time.perf_counter()
    await aggregates.record_daily()
    report["daily aggregates ms (uncached)"] = round((time.perf_counter() - started) * 1000, 1)
    return report


class _Changes(threading.Thread):
    """Move the catalogue version every ``every`` seconds (0: never), as a stream of writes
    does: every cached aggregate is stale after each one."""

    def __init__(self, database: Path, every: float) -> None:
        super().__init__(daemon=True)
        self.database, self.every, self.count = database, every, 0
        self.stopped = threading.Event()
        if every > 0:
            self.start()

    def run(self) -> None:
        connection = sqlite3.connect(self.database, timeout=30)
        while not self.stopped.wait(self.every):
            with connection:
                connection.execute("UPDATE catalogue_read_version SET value = value + 1")
            self.count += 1
        connection.close()

    def stop(self) -> int:
        self.stopped.set()
        if self.is_alive():
            self.join()
        return self.count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument(
        "--answered", type=float, default=0.7, help="share of addresses marked as answering 200"
    )
    parser.add_argument(
        "--sample",
        type=int,
        default=3000,
        help="datasets scored for real; the others get copies of their rows",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint")
    parser.add_argument(
        "--change-every",
        type=float,
        default=0.0,
        help="move the catalogue version every so many seconds while wrk runs (as writes do)",
    )
    args = parser.parse_args()
    data_dir = Path(args.data_dir).resolve()
    database_url = f"sqlite:///{data_dir / 'catalogue.sqlite'}"
    os.environ.update(
        {
            "CATALOGUE_DATA_DIR": str(data_dir),
            "CATALOGUE_DATABASE_URL": database_url,
            "CATALOGUE_AUTO_SEED": "false",
            "CATALOGUE_SECRET_KEY": "benchmark",
        }
    )
    report: dict[str, Any] = {"load_average_before": os.getloadavg()}
    report.update(asyncio.run(prepare(args.answered, args.sample)))
    print(json.dumps(report, indent=2), file=sys.stderr, flush=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    os.environ["CATALOGUE_LINK_CHECK_SECONDS"] = "0"  # no outside requests from the benchmark
    server = serve(data_dir, database_url, port, args.workers)
    folder = Path(tempfile.mkdtemp(prefix="wrk-quality-"))
    try:
        wait_until_up(base, "/healthz")
        _, body, first = get(base, "/api/v1/quality")
        report["first /api/v1/quality ms"] = round(first, 1)
        summary = json.loads(body)
        report["datasets (public)"] = summary["datasets"]
        report["mean score"] = summary["mean"]
        walk, url = [], "/api/v1/quality"
        for _ in range(50):  # the worst list, 50 pages deep
            _, page, _ = get(base, url)
            data = json.loads(page)
            walk.append(url)
            if not data["links"]["next"]:
                break
            url = data["links"]["next"]
        _, listing, _ = get(base, "/api/v1/datasets?size=100&page=7")
        items = json.loads(listing)["items"]
        slugs = [item["slug"] for item in items]
        publishers = sorted({item["organisational"]["publisher"] for item in items})
        html = "text/html"
        endpoints = {
            "dashboard /quality": (["/quality"], html),
            "api /api/v1/quality (worst pages 1..50)": (walk, "application/json"),
            "api dataset quality": (
                [f"/api/v1/datasets/{s}/quality" for s in slugs],
                "application/json",
            ),
            "dataset page (with quality)": ([f"/dataset/{s}" for s in slugs], html),
            "organisation page (with quality)": ([f"/organisation/{p}" for p in publishers], html),
        }
        results = {}
        writer = _Changes(data_dir / "catalogue.sqlite", args.change_every)
        for name, (paths, accept) in endpoints.items():
            results[name] = run_wrk(base, paths, args, accept, folder)
            print(f"  {name:<40} {results[name]}", file=sys.stderr, flush=True)
        report["endpoints"] = results
        report["catalogue changes during the runs"] = writer.stop()
    finally:
        server.terminate()
        server.wait(timeout=60)
    report["load_average_after"] = os.getloadavg()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
