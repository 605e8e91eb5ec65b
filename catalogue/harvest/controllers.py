"""``/api/v1/harvest/sources``: sources, runs and their jobs' reports."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, delete, get, post, put
from litestar.openapi.spec import Example
from litestar.params import PathParameter, QueryParameter

from catalogue.harvest import service
from catalogue.harvest.jobs import start_in_background
from catalogue.harvest.schemas import (
    DeletedOut,
    JobListOut,
    JobOut,
    SourceBody,
    SourceListOut,
    SourceOut,
)
from catalogue.web.auth import require_principal
from catalogue.web.openapi import errors
from catalogue.web.params import CurrentPrincipal, JSONBody

SourceName = Annotated[
    str,
    PathParameter(
        description="The source's name", max_length=100, examples=[Example(value="national-portal")]
    ),
]
JobId = Annotated[int, PathParameter(ge=1, le=2_147_483_647, description="A job id")]


class HarvestController(Controller):
    path = "/api/v1/harvest/sources"
    tags = ["harvest"]

    @get("/", summary="The harvest sources you may read", responses=errors(401))
    async def list_sources(self, principal: CurrentPrincipal) -> SourceListOut:
        items = await service.list_sources(require_principal(principal))
        return {"items": items, "total": len(items)}

    @post(
        "/",
        summary="Register a harvest source (admin or the organisation's stewards)",
        responses=errors(401, 403, 409, 413, 422),
    )
    async def create_source(
        self, data: JSONBody[SourceBody], principal: CurrentPrincipal
    ) -> SourceOut:
        return await service.create_source(data, require_principal(principal))

    @get("/{name:str}", summary="One harvest source", responses=errors(401, 404))
    async def read_source(self, name: SourceName, principal: CurrentPrincipal) -> SourceOut:
        return service.represent(await service.read_source(name, require_principal(principal)))

    @put(
        "/{name:str}",
        summary="Change a harvest source",
        responses=errors(401, 403, 404, 409, 413, 422),
    )
    async def update_source(
        self, name: SourceName, data: JSONBody[SourceBody], principal: CurrentPrincipal
    ) -> SourceOut:
        return await service.update_source(name, data, require_principal(principal))

    @delete(
        "/{name:str}",
        status_code=200,
        responses=errors(401, 403, 404, 409),
        summary="Delete a source, its jobs and records (its datasets stay, as local ones)",
    )
    async def delete_source(self, name: SourceName, principal: CurrentPrincipal) -> DeletedOut:
        await service.delete_source(name, require_principal(principal))
        return {"name": name, "deleted": True}

    @post(
        "/{name:str}/run",
        status_code=202,
        responses=errors(401, 403, 404, 409),
        summary="Start a job now (202 with the job; 409 while another job runs)",
    )
    async def run_source(
        self,
        name: SourceName,
        principal: CurrentPrincipal,
        dry_run: Annotated[bool, QueryParameter(description="Report only; store nothing")] = False,
    ) -> Response[JobOut]:
        actor = require_principal(principal)
        source = await service.read_source(name, actor)
        service.authorise(actor, source["organisation.slug"])
        job_id = await start_in_background(name, dry_run)
        job = await service.read_job(name, job_id, actor)
        return Response(job, status_code=202, headers={"Location": job["links"]["self"]})

    @get(
        "/{name:str}/jobs",
        summary="A source's latest jobs (newest first)",
        responses=errors(401, 404),
    )
    async def list_jobs(
        self,
        name: SourceName,
        principal: CurrentPrincipal,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> JobListOut:
        return {"items": await service.list_jobs(name, require_principal(principal), limit)}

    @get(
        "/{name:str}/jobs/{job_id:int}",
        summary="One job with its progress and report",
        responses=errors(401, 404),
    )
    async def read_job(
        self, name: SourceName, job_id: JobId, principal: CurrentPrincipal
    ) -> JobOut:
        return await service.read_job(name, job_id, require_principal(principal))
