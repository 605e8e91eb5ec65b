"""Load ``seed/agreements.json``: the demo register of data use (idempotent, by reference).

Each entry is ``{"reference", "status", "proposed_by" (e-mail), "decisions": [{"action", "by"
(e-mail or "system"), "at", "reason"}], "agreement": {...the API document...}}``. Every
agreement passes the same check as a proposal made through the API (on its start date), and
an approved one that needs an assessment must carry it, so the demo register is lawful too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from catalogue.accounts.tables import User
from catalogue.agreements import service
from catalogue.agreements.tables import Agreement
from catalogue.domain.agreement import AgreementStatus, parse_agreement
from catalogue.domain.compatibility import missing_assessment
from catalogue.errors import InvalidDocument
from catalogue.seed import SeedReport, read_json

SEED_FILE = "agreements.json"


async def _user(email: str) -> tuple[int | None, str]:
    if email == "system":
        return None, "system"
    row = await User.select(User.id, User.name).where(User.email == email.lower()).first()
    if row is None:
        raise SystemExit(f"{SEED_FILE}: no seed user '{email}'")
    return row["id"], row["name"]


async def _decisions(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    decisions = []
    for item in items:
        user_id, name = await _user(item["by"])
        decisions.append(
            {
                "action": item["action"],
                "status": {
                    "review": "under_review",
                    "approve": "approved",
                    "reject": "rejected",
                    "suspend": "suspended",
                    "expire": "expired",
                }[item["action"]],
                "reason": item.get("reason", ""),
                "by": name,
                "by_user_id": user_id,
                "at": item["at"],
            }
        )
    return decisions


async def load_agreements(seed_dir: Path, report: SeedReport) -> None:
    path = seed_dir / SEED_FILE
    if not path.exists():
        return
    problems: list[str] = []
    for item in read_json(path):
        reference = item["reference"]
        if await Agreement.exists().where(Agreement.reference == reference):
            report.count("agreements", False)
            continue
        try:
            document = parse_agreement(item["agreement"])
            record = await service.propose(
                item["agreement"],
                None,
                on=document.valid_from,
                reference=reference,
                status=AgreementStatus(item["status"]),
                decisions=await _decisions(item.get("decisions", [])),
                as_system=True,
            )
        except InvalidDocument as error:
            problems.append(f"{reference}: {error}")
            continue
        if record.status == AgreementStatus.APPROVED and missing_assessment(
            record.outcome, record.document.assessment
        ):
            problems.append(f"{reference}: approved without the Art. 6(4) assessment")
        user_id, _ = await _user(item["proposed_by"])
        await Agreement.update(
            {
                Agreement.proposed_by: user_id,
                Agreement.created: dt.datetime.combine(document.valid_from, dt.time(), dt.UTC)
                - dt.timedelta(days=45),
            }
        ).where(Agreement.id == record.id)
        report.count("agreements", True)
    if problems:
        raise SystemExit("seed agreements with problems:\n  " + "\n  ".join(problems))
