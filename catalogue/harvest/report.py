"""A harvest job's report: what became of every record, and every issue with its record,
field and original value (plain Python)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

OUTCOMES = ("created", "updated", "unchanged", "archived", "restored", "failed")
MAX_ISSUES = 5000  # kept in the report; the count goes on past it


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    archived: int = 0
    restored: int = 0
    failed: int = 0
    missing: int = 0  # gone from the source, waiting for the grace period
    pages: int = 0
    records: int = 0
    complete: bool = False
    error: str = ""
    issues: list[dict[str, Any]] = field(default_factory=list)
    issue_count: int = 0
    records_by_outcome: dict[str, list[str]] = field(default_factory=dict)

    def count(self, outcome: str, slug: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        if outcome != "unchanged":
            kept = self.records_by_outcome.setdefault(outcome, [])
            if len(kept) < MAX_ISSUES:
                kept.append(slug)

    def issue(
        self, record: str, path: str, value: str, reason: str, kind: str = "mapping", slug: str = ""
    ) -> None:
        self.issue_count += 1
        if len(self.issues) < MAX_ISSUES:
            self.issues.append(
                {
                    "record": record,
                    "slug": slug,
                    "field": path,
                    "value": value[:500],
                    "reason": reason,
                    "kind": kind,
                }
            )

    def as_dict(self) -> dict[str, Any]:
        return {
            "summary": {name: getattr(self, name) for name in (*OUTCOMES, "missing")},
            "pages": self.pages,
            "records": self.records,
            "complete": self.complete,
            "error": self.error,
            "issue_count": self.issue_count,
            "issues": self.issues,
            "datasets": self.records_by_outcome,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Report:
        data = data or {}
        report = cls(
            **{k: v for k, v in (data.get("summary") or {}).items() if k in (*OUTCOMES, "missing")}
        )
        report.pages, report.records = data.get("pages", 0), data.get("records", 0)
        report.complete, report.error = data.get("complete", False), data.get("error", "")
        report.issues = list(data.get("issues") or [])
        report.issue_count = data.get("issue_count", len(report.issues))
        report.records_by_outcome = dict(data.get("datasets") or {})
        return report

    def summary_line(self) -> str:
        counts = ", ".join(f"{getattr(self, name)} {name}" for name in OUTCOMES)
        return f"{counts}; {self.missing} missing (archived after the grace period)"

    def lines(self) -> list[str]:
        """The report as text (the CLI prints it)."""
        state = (
            "complete"
            if self.complete
            else f"incomplete: {self.error}"
            if self.error
            else "incomplete"
        )
        out = [
            f"Harvest {state}: {self.pages} page(s), {self.records} record(s).",
            self.summary_line(),
        ]
        for outcome in ("created", "updated", "archived", "restored", "failed"):
            if slugs := self.records_by_outcome.get(outcome):
                out.append(
                    f"  {outcome}: {', '.join(slugs[:50])}"
                    + (f" … (+{len(slugs) - 50})" if len(slugs) > 50 else "")
                )
        if self.issue_count:
            out.append(f"Issues ({self.issue_count}):")
            for issue in self.issues[:200]:
                out.append(
                    f"  {issue['record']}: {issue['field']}: {issue['value']!r}: {issue['reason']}"
                )
            if self.issue_count > 200:
                out.append(f"  … {self.issue_count - 200} more (see the job's report)")
        return out
