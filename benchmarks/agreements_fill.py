"""Add N synthetic data-use agreements to a benchmark catalogue (for the once-only and
transparency pages at 10k agreements).

    .venv/bin/python benchmarks/agreements_fill.py --data-dir /work/bench-100k --agreements 10000

Each new agreement copies one of the catalogue's own agreements (the seed's, which pass the
compatibility check) under a new reference and a new public service ("<service> 17"), so the
services spread over ``--services`` slugs and every one goes through the real proposal path
(the check, the audit log and the once-only map's listener). Most are approved; some are
suspended or expired, as in a real register. Idempotent by reference.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))


async def fill(agreements: int, services: int) -> None:
    from catalogue.agreements import service
    from catalogue.agreements.tables import Agreement
    from catalogue.domain.agreement import AgreementStatus, parse_agreement

    templates = (
        await Agreement.select(Agreement.document)
        .where(
            Agreement.status == AgreementStatus.APPROVED.value, Agreement.reference.like("DUA-2%")
        )
        .output(load_json=True)
    )
    if not templates:
        raise SystemExit("no approved agreement to copy: seed the catalogue first")
    rng = random.Random(10)
    statuses = [AgreementStatus.APPROVED] * 8 + [AgreementStatus.SUSPENDED, AgreementStatus.EXPIRED]
    started = time.perf_counter()
    made = 0
    for number in range(agreements):
        reference = f"DUA-BENCH-{number:06d}"
        if await Agreement.exists().where(Agreement.reference == reference):
            continue
        raw: dict[str, Any] = copy.deepcopy(rng.choice(templates)["document"])
        variant = number % services
        raw["service"] = {
            "title": {
                language: f"{title} {variant}"
                for language, title in raw["service"]["title"].items()
            },
            "url": f"{raw['service'].get('url') or 'https://e-uprava.example.si/service'}-{variant}",
        }
        document = parse_agreement(raw)
        await service.propose(
            raw,
            None,
            on=document.valid_from,
            reference=reference,
            status=rng.choice(statuses),
            as_system=True,
        )
        made += 1
        if made % 500 == 0:
            print(f"{made} agreements, {time.perf_counter() - started:.0f} s", flush=True)
    print(f"added {made} agreements in {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--database-url", default=None, help="default: SQLite in the data dir")
    parser.add_argument("--agreements", type=int, default=10_000)
    parser.add_argument("--services", type=int, default=500)
    args = parser.parse_args()
    os.environ["CATALOGUE_DATA_DIR"] = args.data_dir
    if args.database_url:
        os.environ["CATALOGUE_DATABASE_URL"] = args.database_url

    from catalogue.db import migrate
    from catalogue.settings import get_settings
    from catalogue.wiring import wire

    wire(get_settings())

    async def run() -> None:
        await migrate()
        await fill(args.agreements, args.services)

    asyncio.run(run())


if __name__ == "__main__":
    main()
