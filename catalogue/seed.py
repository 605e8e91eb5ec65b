"""Load the demo catalogue from ``seed/``; running it twice changes nothing the second time.

Layout: ``organisations.json``, ``identifier-schemes.json``, ``users.json`` and one JSON file
per dataset under ``datasets/`` (the same document the API accepts). Other parts of the
catalogue add their own seed steps, listed in :mod:`catalogue.wiring`.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalogue.accounts import service as accounts
from catalogue.accounts.tables import User
from catalogue.datasets import batch
from catalogue.datasets.tables import IdentifierScheme
from catalogue.domain.organisation import OrganisationDocument
from catalogue.organisations import service as organisations
from catalogue.organisations.tables import Organisation
from catalogue.plugs import Registry
from catalogue.progress import Progress


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        target = self.created if created else self.unchanged
        target[kind] = target.get(kind, 0) + 1

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.unchanged))
        return ", ".join(
            f"{kind}: {self.created.get(kind, 0)} new, {self.unchanged.get(kind, 0)} kept"
            for kind in kinds
        )


SeedStep = Callable[[Path, SeedReport], Awaitable[None]]
_extra_steps: Registry[SeedStep] = Registry("seed steps")


def install_seed_steps(steps: Sequence[SeedStep]) -> None:
    """Called by :func:`catalogue.wiring.wire`: steps run after the core seed, in this order
    (agreements, for example, need datasets first)."""
    _extra_steps.install(steps)


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise SystemExit(f"{path}: not valid JSON ({error})") from None


async def _organisations(seed_dir: Path, report: SeedReport) -> None:
    items = read_json(seed_dir / "organisations.json")
    # Parents first: an organisation may name a parent that appears later in the file.
    pending = list(items)
    while pending:
        progressed = False
        for item in list(pending):
            parent = item.get("parent")
            if parent and not await Organisation.exists().where(Organisation.slug == parent):
                continue
            document = OrganisationDocument.model_validate(item)
            existing = await Organisation.exists().where(Organisation.slug == document.slug)
            if not existing:
                await organisations.save_organisation(document, None, create=True)
            report.count("organisations", not existing)
            pending.remove(item)
            progressed = True
        if not progressed:
            raise SystemExit(f"organisations with unknown parents: {[i['slug'] for i in pending]}")


async def _identifier_schemes(seed_dir: Path, report: SeedReport) -> None:
    for item in read_json(seed_dir / "identifier-schemes.json"):
        existing = await IdentifierScheme.exists().where(IdentifierScheme.code == item["code"])
        if not existing:
            await IdentifierScheme.insert(IdentifierScheme(**item))
        report.count("identifier schemes", not existing)


async def _users(seed_dir: Path, report: SeedReport) -> None:
    path = seed_dir / "users.json"
    if not path.exists():
        return
    for item in read_json(path):
        existing = await User.exists().where(User.email == item["email"].lower())
        if not existing:
            await accounts.create_user(
                item["email"],
                item["name"],
                item["password"],
                item.get("global_role", ""),
                None,
                roles=item.get("roles", {}),
            )
        report.count("users", not existing)


SEED_CHUNK = 10
"""Datasets per batch write: small enough for the progress line to move, big enough to be quick."""


async def _datasets(seed_dir: Path, report: SeedReport, progress: Progress | None) -> None:
    """Every seed dataset through the batch write path: every rule and publish check, the
    history and the audit trail, in one transaction per batch; unchanged ones are kept.
    ``progress`` hears (done, total) after each chunk."""
    paths = sorted((seed_dir / "datasets").rglob("*.json"))
    problems = []
    for start in range(0, len(paths), SEED_CHUNK):
        chunk = paths[start : start + SEED_CHUNK]
        outcomes = await batch.write_batch(
            [read_json(path) for path in chunk], None, upsert=True, trusted=True
        )
        for path, outcome in zip(chunk, outcomes, strict=True):
            if outcome.error is not None:
                problems.append(f"{path.name}: {outcome.error}")
            else:
                report.count("datasets", outcome.outcome == "created")
        if progress:
            progress(start + len(chunk), len(paths))
    if problems:
        raise SystemExit("seed datasets with problems:\n  " + "\n  ".join(problems))


async def load_seed(seed_dir: Path, progress: Progress | None = None) -> SeedReport:
    """Load ``seed_dir``; ``progress`` hears (done, total) datasets (they are the slow part)."""
    steps = _extra_steps.required()  # a seed without its steps would be silently partial
    report = SeedReport()
    await _organisations(seed_dir, report)
    await _identifier_schemes(seed_dir, report)
    await _users(seed_dir, report)
    await _datasets(seed_dir, report, progress)
    for step in steps:
        await step(seed_dir, report)
    return report


async def is_empty() -> bool:
    return not await Organisation.exists()
