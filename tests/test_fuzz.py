"""Property-based robustness: requests generated from the OpenAPI document never get a 5xx,
and every answer matches what the document says (a documented status, media type and body).

Schemathesis generates the cases from ``/schema/openapi.json`` for every operation, as an
anonymous caller, a steward and an administrator of the demo catalogue; half the cases that
name a dataset or an agreement use a real one, so they get past the 404. Hypothesis is
derandomised (the same cases every run) and keeps no example database.

``make test`` runs ``CATALOGUE_FUZZ_CASES`` (default 300) cases; ``make test-fuzz`` runs 3,000.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

TOTAL_CASES = int(os.environ.get("CATALOGUE_FUZZ_CASES", "300"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MODES = {GenerationMode.POSITIVE: 0.75, GenerationMode.NEGATIVE: 0.25}
"""Most cases fit the document; a quarter break it (wrong types, missing fields, bad values)."""
STEWARD = "steward@statistical-office.example.si"
ADMIN = "admin@demo.example.si"
REAL_SLUGS = ["population-by-municipality", "central-population-register", "gdp-quarterly"]
REVISIONS = [None, '"1"', '"2"']


@dataclass
class Tally:
    """What the run saw: cases per operation, statuses, and every distinct failure."""

    cases: int = 0
    operations: set[str] = field(default_factory=set)
    statuses: dict[int, int] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)


@pytest.fixture
async def fuzz_app(seeded: None) -> Iterator[dict[str, Any]]:
    """The demo catalogue, tokens of a steward and an admin, and ids that exist."""
    from catalogue.accounts import service
    from catalogue.agreements.tables import Agreement
    from catalogue.app import create_app
    from tests.conftest import settle_search_drains

    tokens = {}
    for label, email in (("steward", STEWARD), ("admin", ADMIN)):
        issued = await service.create_token(await service.user_id_for_email(email), "fuzz")
        tokens[label] = (issued.id, issued.token)
    agreements = [str(row["id"]) for row in await Agreement.select(Agreement.id).limit(3)]
    await settle_search_drains()
    yield {
        "app": create_app(prepare=False, pool=False),
        "tokens": tokens,
        "agreements": agreements,
    }
    # schemathesis's pytest plugin ends the app's lifespan when the test is torn down


def _real_ids(case: Any, pick: int, agreements: list[str], protected: set[int]) -> None:
    """Point half the cases at a dataset or agreement that exists; never revoke our tokens."""
    params = case.path_parameters or {}
    if "slug" in params and pick % 2:
        params["slug"] = REAL_SLUGS[pick % len(REAL_SLUGS)]
    if "agreement_id" in params and pick % 2 and agreements:
        params["agreement_id"] = agreements[pick % len(agreements)]
    if params.get("token_id") in protected:
        params["token_id"] += 100_000
    if case.headers is not None and "If-Match" in case.headers and pick % 3:
        revision = REVISIONS[pick % len(REVISIONS)]
        if revision:
            case.headers["If-Match"] = revision


def _run(
    operation: Any,
    per_operation: int,
    headers: dict[str, str],
    tally: Tally,
    agreements: list[str],
    protected: set[int],
    mode: GenerationMode,
) -> None:
    label = operation.label

    @settings(
        max_examples=per_operation,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), pick=st.integers(0, 5))
    def exercise(case: Any, pick: int) -> None:
        _real_ids(case, pick, agreements, protected)
        response = case.call(headers=headers)
        tally.cases += 1
        tally.statuses[response.status_code] = tally.statuses.get(response.status_code, 0) + 1
        try:
            case.validate_response(response, checks=CHECKS)
        except (Failure, FailureGroup) as failure:  # every distinct one is reported; go on
            found = failure.exceptions if isinstance(failure, FailureGroup) else (failure,)
            summary = "; ".join(sorted({f.title for f in found}))
            key = f"{label} [{response.status_code}] {summary}"
            tally.failures.setdefault(key[:300], _reproduce(case, response, failure))

    if mode == GenerationMode.NEGATIVE and not _negatable(operation):
        tally.operations.add(label)
        return
    try:
        exercise()
    except Unsatisfiable:  # nothing of this operation can be made invalid on the wire
        if mode != GenerationMode.NEGATIVE:
            raise
    tally.operations.add(label)


def _negatable(operation: Any) -> bool:
    """Only a body or a constrained parameter can be sent wrong (any string is a good slug)."""
    raw = operation.definition.raw
    if "requestBody" in raw:
        return True
    for parameter in raw.get("parameters", []):
        schema = parameter.get("schema", {})
        if schema.get("type") not in (None, "string") or set(schema) - {"type", "description"}:
            return True
    return False


def _reproduce(case: Any, response: Any, failure: BaseException) -> str:
    body = getattr(response, "text", "")[:300]
    request = f"{case.method} {case.formatted_path} query={case.query} body={case.body!r:.300}"
    return f"{request}\n  -> {response.status_code} {body}\n  {failure}"[:2000]


def _operations(schema: Any) -> list[Any]:
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.slow
def test_generated_requests_never_fail_and_match_the_document(fuzz_app: dict[str, Any]) -> None:
    app = fuzz_app["app"]
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app)
    operations = _operations(schema)
    audiences = {
        "anonymous": {},
        "steward": {"Authorization": f"Bearer {fuzz_app['tokens']['steward'][1]}"},
        "admin": {"Authorization": f"Bearer {fuzz_app['tokens']['admin'][1]}"},
    }
    per_operation = max(1, math.ceil(TOTAL_CASES / (len(operations) * len(audiences))))
    protected = {token_id for token_id, _ in fuzz_app["tokens"].values()}
    tally = Tally()
    for mode, share in MODES.items():
        for headers in audiences.values():
            for operation in operations:
                count = max(1, round(per_operation * share))
                _run(operation, count, headers, tally, fuzz_app["agreements"], protected, mode)

    print(
        f"\nfuzz: {tally.cases} cases over {len(operations)} operations x 3 callers; "
        f"statuses {sorted(tally.statuses.items())}"
    )
    assert len(tally.operations) == len(operations)
    assert tally.cases >= TOTAL_CASES * 0.8, tally.cases  # operations with few inputs run dry
    report = "\n\n".join(f"{key}\n{detail}" for key, detail in sorted(tally.failures.items()))
    assert not tally.failures, (
        f"{len(tally.failures)} distinct failures in {tally.cases} cases "
        f"(statuses {sorted(tally.statuses.items())}):\n\n{report}"
    )
    _assert_consistent(app, audiences["admin"])


def _assert_consistent(app: Any, admin: dict[str, str]) -> None:
    """After the run: the audit chain is intact and every dataset's history is contiguous."""
    from schemathesis.python import asgi

    with asgi.get_client(app) as client:  # the same in-process client (and lifespan) as the run
        chain = client.get("http://testserver/api/v1/audit/verify", headers=admin).json()
        assert chain["ok"], chain
        page, seen = 1, 0
        while True:
            listing = client.get(
                f"http://testserver/api/v1/datasets?page={page}&size=100", headers=admin
            ).json()
            for item in listing["items"]:
                url = f"http://testserver{item['links']['history']}"
                history = client.get(url, headers=admin).json()["items"]
                revisions = sorted(entry["revision"] for entry in history)
                assert revisions == list(range(1, item["revision"] + 1)), item["slug"]
            seen += len(listing["items"])
            if seen >= listing["total"] or not listing["items"]:
                break
            page += 1
