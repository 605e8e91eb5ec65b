"""``POST /api/v1/agreements/authorise`` and ``GET /api/v1/services/{service}``.

Every authorisation answer, allowed or refused, is announced as a ``Change`` so the audit
log records who asked what and what they were told.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.params import JSONBody

from catalogue.agreements import records
from catalogue.agreements.expiry import today
from catalogue.db import write_transaction
from catalogue.events import Change, announce
from catalogue.onceonly import authorisation, queries, services
from catalogue.onceonly.schemas import AuthoriseBody, AuthoriseOut, ServiceUsesOut
from catalogue.web.auth import require_principal
from catalogue.web.openapi import errors
from catalogue.web.params import CurrentPrincipal, FromPath


async def _with_terms(answer: authorisation.Answer) -> dict[str, Any]:
    body = answer.as_dict()
    if answer.agreement is not None:
        record = await records.find_record(answer.agreement["id"])
        if record is not None:
            document = record.document
            body["agreement"].update(
                {
                    "purpose": document.purpose.code,
                    "purpose_text": document.purpose.text,
                    "legal_basis": document.legal_basis,
                    "law": document.law.iri if document.law else None,
                    "consumer": document.consumer,
                }
            )
    return body


class OnceOnlyApi(Controller):
    path = "/api/v1"
    tags = ["agreements"]

    @post(
        "/agreements/authorise",
        status_code=200,
        summary="May this service fetch these attributes of this dataset now?",
        responses=errors(401, 413, 422),
    )
    async def authorise(
        self, data: JSONBody[AuthoriseBody], principal: CurrentPrincipal
    ) -> AuthoriseOut:
        actor = require_principal(principal)
        request = authorisation.parse(data, today())
        uses = [  # proposals and rejections stay between the two organisations
            use
            for use in await queries.uses_for(request.service, request.dataset)
            if use["status"] in records.PUBLIC_AGREEMENT_STATUSES and use["dataset_public"]
        ]
        answer = authorisation.decide(request, uses)
        body = await _with_terms(answer)
        asked = {
            "service": request.service,
            "dataset": request.dataset,
            "attributes": list(request.attributes),
            "on": request.on.isoformat(),
        }
        async with write_transaction():
            await announce(
                Change(
                    "authorisation",
                    "allow" if answer.allowed else "refuse",
                    str(answer.agreement["id"])
                    if answer.agreement
                    else f"{request.service}/{request.dataset}"[:100],
                    f"{request.service} → {request.dataset}: {answer.code}",
                    actor,
                    after={**asked, **body},
                    reason=answer.reason,
                    extra={**asked, "consumer": body.get("agreement", {}).get("consumer", "")},
                )
            )
        return {**body, "request": asked}

    @get(
        "/services/{service:str}",
        summary="What a public service may take, per agreement",
        responses=errors(404),
    )
    async def service_uses(self, service: FromPath[str]) -> ServiceUsesOut:
        return await services.machine_list(service)
