"""Once-only map benchmark: the map's indexed reads over 100k datasets and 10k agreements.

    .venv/bin/python benchmarks/once_only_benchmark.py --datasets 100000 --agreements 10000

A throw-away SQLite database is migrated, then the once-only tables are bulk-filled with the
rows the write listener would make (``facts.attribute_rows`` on synthetic datasets of eight
attributes drawn from the demo registers' attributes; agreements spread over 500 services).
It reports p50/p95/max of the queries each page makes (rendering excluded).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))


def _templates() -> list[dict]:
    """Every attribute of the demo datasets, to draw synthetic schemas from."""
    pool = []
    for path in sorted((PROJECT / "seed" / "datasets").glob("*.json")):
        pool += json.loads(path.read_text())["technical"].get("attributes", [])
    return pool


def fill(database: str, datasets: int, agreements: int) -> list[str]:
    from catalogue.onceonly import facts
    from catalogue.onceonly.index import _category_labels

    rng = random.Random(16)
    pool = _templates()
    labels = _category_labels()
    connection = sqlite3.connect(database)
    attribute_rows, term_rows, slugs = [], [], []
    next_id = 1
    for number in range(datasets):
        slug = f"dataset-{number}"
        slugs.append(slug)
        document = {"technical": {"attributes": rng.sample(pool, 8)}}
        base = number % 1000 == 0
        for row in facts.attribute_rows(document, labels):
            attribute_rows.append(
                (
                    next_id,
                    str(uuid.UUID(int=number)),
                    slug,
                    json.dumps({"en": slug}),
                    "pub",
                    int(base),
                    row.name,
                    json.dumps(row.description),
                    row.personal_data_category,
                    row.identifier_scheme,
                    int(row.is_key),
                    row.fact,
                )
            )
            term_rows += [(word, next_id, int(base), slug) for word in row.words]
            next_id += 1
    connection.executemany(
        "INSERT INTO register_attribute (id, dataset_id, dataset_slug, dataset_title, publisher,"
        " is_base_register, name, description, personal_data_category, identifier_scheme,"
        " is_key, fact) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        attribute_rows,
    )
    connection.executemany(
        "INSERT INTO register_term (word, attribute, is_base_register, dataset_slug)"
        " VALUES (?,?,?,?)",
        term_rows,
    )
    today = dt.date.today()
    uses = []
    for number in range(agreements):
        dataset = slugs[rng.randrange(datasets)]
        uses.append(
            (
                str(uuid.uuid4()),
                f"DUA-{number}",
                f"service-{number % 500}",
                json.dumps({"en": f"Service {number % 500}"}),
                "",
                dataset,
                "consumer",
                rng.choice(["approved", "approved", "approved", "suspended", "expired"]),
                json.dumps(["personal_id", "birth_date"]),
                (today - dt.timedelta(days=30)).isoformat(),
                (today + dt.timedelta(days=300)).isoformat(),
                dt.datetime.now(dt.UTC).isoformat(),
                1,
            )
        )
    connection.executemany(
        "INSERT INTO service_use (agreement_id, reference, service_slug, service_title,"
        " service_url, dataset_slug, consumer, status, attributes, valid_from, valid_until,"
        " modified, dataset_public) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        uses,
    )
    connection.commit()
    connection.close()
    print(f"filled {len(attribute_rows)} attributes, {len(term_rows)} words, {len(uses)} uses")
    return slugs


async def measure(runs: int) -> None:
    from catalogue.onceonly import queries, views

    checks = {
        "identifier page (personal-id)": lambda: views.identifier_view("personal-id", "en"),
        "search 'address'": lambda: views.search_view("address", "en"),
        "search 'date of birth'": lambda: views.search_view("date of birth", "en"),
        "search 'naslov'": lambda: views.search_view("naslov", "en"),
        "map": lambda: views.map_view("en"),
        "register: facts held elsewhere": lambda: queries.holders_of(
            ["scheme:personal-id", "category:BirthDate", "scheme:address-id"], "dataset-0"
        ),
        "register: uses of one dataset": lambda: queries.uses_of_datasets(["dataset-17"]),
        "service: uses of one service": lambda: queries.uses_of_service("service-42"),
        "authorise: uses for service and dataset": lambda: queries.uses_for(
            "service-42", "dataset-17"
        ),
    }
    for name, call in checks.items():
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            await call()
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(
            f"{name:42s} p50 {statistics.median(timings):7.1f} ms  p95 {p95:7.1f} ms  "
            f"max {timings[-1]:7.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--agreements", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="once-only-bench-"))
    database = folder / "bench.sqlite"
    os.environ.update(
        {
            "CATALOGUE_DATA_DIR": str(folder),
            "CATALOGUE_AUTO_SEED": "false",
            "CATALOGUE_DATABASE_URL": f"sqlite:///{database}",
        }
    )
    from catalogue.app import migrate
    from catalogue.settings import get_settings
    from catalogue.wiring import wire

    wire(get_settings())  # the listeners and checks every write runs
    asyncio.run(migrate())
    seeded = json.loads((PROJECT / "seed" / "identifier-schemes.json").read_text())
    connection = sqlite3.connect(database)
    connection.executemany(
        "INSERT INTO identifier_scheme (code, label, description, iri) VALUES (?,?,?,?)",
        [(s["code"], s["label"], s["description"], s["iri"]) for s in seeded],
    )
    connection.commit()
    connection.close()
    start = time.perf_counter()
    fill(str(database), args.datasets, args.agreements)
    print(f"bulk fill {time.perf_counter() - start:.1f} s")
    asyncio.run(measure(args.runs))


if __name__ == "__main__":
    main()
