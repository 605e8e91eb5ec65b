"""``/healthz``: the process answers (for load balancers and orchestrators)."""

from __future__ import annotations

from litestar import MediaType, get


@get("/healthz", media_type=MediaType.JSON, include_in_schema=False)
async def health() -> dict[str, str]:
    return {"status": "ok"}
