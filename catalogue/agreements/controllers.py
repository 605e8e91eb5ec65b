"""``/api/v1/agreements``: thin handlers over the agreement service."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Response, get, patch, post, put
from litestar.datastructures import ResponseHeader
from litestar.params import JSONBody

from catalogue.accounts.principal import Principal
from catalogue.agreements import records, service
from catalogue.agreements.schemas import (
    AgreementBody,
    AgreementListOut,
    AgreementOut,
    AgreementPatchBody,
    CheckOutcomeOut,
    DecisionBody,
)
from catalogue.domain.agreement import AgreementStatus, Decision, parse_agreement
from catalogue.domain.problems import Problem
from catalogue.errors import InvalidDocument
from catalogue.web.conditional import IfMatch, expected_revision
from catalogue.web.links import with_agreement_links
from catalogue.web.openapi import errors
from catalogue.web.params import (
    CurrentPrincipal,
    FromPath,
    FromQuery,
    QueryParameter,
)

OptionalBody = JSONBody[DecisionBody | None]
ETAG = [ResponseHeader(name="ETag", description="The revision", documentation_only=True)]
WRITE_ERRORS = errors(401, 403, 404, 412, 413, 422, 428)


def _with_etag(
    record: records.AgreementRecord, principal: Principal | None, status_code: int = 200
) -> Response[dict[str, Any]]:
    return Response(
        with_agreement_links(records.represent(record, principal)),
        status_code=status_code,
        headers={"ETag": record.etag},
    )


class AgreementController(Controller):
    path = "/api/v1/agreements"
    tags = ["agreements"]

    @get(
        "/",
        summary="The register of data use: agreements you may see, newest change first",
        responses=errors(401, 422),
    )
    async def list_agreements(
        self,
        principal: CurrentPrincipal,
        page: Annotated[int, QueryParameter(ge=1, le=100_000)] = 1,
        size: Annotated[int, QueryParameter(ge=1, le=records.MAX_PAGE_SIZE)] = 20,
        dataset: FromQuery[str | None] = None,
        consumer: FromQuery[str | None] = None,
        provider: FromQuery[str | None] = None,
        organisation: FromQuery[str | None] = None,
        status: FromQuery[str | None] = None,
    ) -> AgreementListOut:
        allowed = tuple(s.value for s in AgreementStatus)
        if status is not None and status not in allowed:
            raise InvalidDocument([Problem("status", f"must be one of {', '.join(allowed)}")])
        await service.expire_due()
        filters = records.AgreementFilter(
            dataset=dataset,
            consumer=consumer,
            provider=provider,
            status=status,
            organisation=organisation,
        )
        items, total = await records.list_records(principal, filters, page, size)
        return {
            "items": [with_agreement_links(records.represent(item, principal)) for item in items],
            "total": total,
            "page": page,
            "size": size,
        }

    @post(
        "/",
        summary="Propose an agreement (a steward of the consuming organisation)",
        responses=errors(401, 403, 404, 409, 413, 422),
        response_headers=ETAG,
    )
    async def propose(
        self, data: JSONBody[AgreementBody], principal: CurrentPrincipal
    ) -> Response[AgreementOut]:
        record = await service.propose(data, principal)
        response = _with_etag(record, principal, 201)
        response.headers["Location"] = f"{self.path}/{record.id}"
        return response

    @post(
        "/check",
        status_code=200,
        summary="Run the purpose-compatibility check on a draft proposal without saving it",
        responses=errors(401, 404, 413, 422),
    )
    async def check(
        self, data: JSONBody[AgreementBody], principal: CurrentPrincipal
    ) -> CheckOutcomeOut:
        document = parse_agreement(data)
        dataset, consumer = await service.dataset_for(document)
        result = service.run_check(document, dataset, consumer["type"], service.today())
        return {**result.as_dict(), "acceptable": not result.errors}

    @get(
        "/{agreement_id:str}",
        summary="Read one agreement; its ETag is the revision",
        responses=errors(401, 404),
        response_headers=ETAG,
    )
    async def read(
        self, agreement_id: FromPath[str], principal: CurrentPrincipal
    ) -> Response[AgreementOut]:
        return _with_etag(await service.get_fresh(agreement_id, principal), principal)

    @put(
        "/{agreement_id:str}",
        summary="Replace a proposal (needs If-Match)",
        responses=WRITE_ERRORS,
        response_headers=ETAG,
    )
    async def replace(
        self,
        agreement_id: FromPath[str],
        data: JSONBody[AgreementBody],
        principal: CurrentPrincipal,
        if_match: IfMatch,
    ) -> Response[AgreementOut]:
        record = await service.update(agreement_id, data, expected_revision(if_match), principal)
        return _with_etag(record, principal)

    @patch(
        "/{agreement_id:str}",
        summary="Change part of a proposal (JSON Merge Patch; If-Match)",
        responses=WRITE_ERRORS,
        response_headers=ETAG,
    )
    async def change(
        self,
        agreement_id: FromPath[str],
        data: JSONBody[AgreementPatchBody],
        principal: CurrentPrincipal,
        if_match: IfMatch,
    ) -> Response[AgreementOut]:
        expected = expected_revision(if_match)
        record = await service.update(agreement_id, data, expected, principal, True)
        return _with_etag(record, principal)

    @post(
        "/{agreement_id:str}/review",
        status_code=200,
        summary="Take a proposal under review",
        responses=WRITE_ERRORS,
        response_headers=ETAG,
    )
    async def review(
        self,
        agreement_id: FromPath[str],
        principal: CurrentPrincipal,
        if_match: IfMatch,
        data: OptionalBody = None,
    ) -> Response[AgreementOut]:
        return await self._decide(agreement_id, Decision.REVIEW, data, principal, if_match)

    @post(
        "/{agreement_id:str}/approve",
        status_code=200,
        summary="Approve (provider); needs the Art. 6(4) assessment when purposes differ",
        responses=WRITE_ERRORS,
        response_headers=ETAG,
    )
    async def approve(
        self,
        agreement_id: FromPath[str],
        principal: CurrentPrincipal,
        if_match: IfMatch,
        data: OptionalBody = None,
    ) -> Response[AgreementOut]:
        return await self._decide(agreement_id, Decision.APPROVE, data, principal, if_match)

    @post(
        "/{agreement_id:str}/reject",
        status_code=200,
        summary="Reject with a reason (provider)",
        responses=WRITE_ERRORS,
        response_headers=ETAG,
    )
    async def reject(
        self,
        agreement_id: FromPath[str],
        principal: CurrentPrincipal,
        if_match: IfMatch,
        data: OptionalBody = None,
    ) -> Response[AgreementOut]:
        return await self._decide(agreement_id, Decision.REJECT, data, principal, if_match)

    @post(
        "/{agreement_id:str}/suspend",
        status_code=200,
        summary="Suspend with a reason (provider)",
        responses=WRITE_ERRORS,
        response_headers=ETAG,
    )
    async def suspend(
        self,
        agreement_id: FromPath[str],
        principal: CurrentPrincipal,
        if_match: IfMatch,
        data: OptionalBody = None,
    ) -> Response[AgreementOut]:
        return await self._decide(agreement_id, Decision.SUSPEND, data, principal, if_match)

    async def _decide(
        self,
        agreement_id: str,
        decision: Decision,
        data: dict[str, Any] | None,
        principal: Principal | None,
        if_match: str | None,
    ) -> Response[Any]:
        record = await service.decide(
            agreement_id, decision, data, principal, expected_revision(if_match)
        )
        return _with_etag(record, principal)
