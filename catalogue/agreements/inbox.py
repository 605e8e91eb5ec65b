"""The data protection officer's inbox: agreements of their organisations that await a decision,
and approved ones that end within 60 days. Page and JSON twin; each item links to the
agreement's page, where the DPO decides."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response, get
from litestar.response import Redirect

from catalogue.accounts.principal import Principal
from catalogue.agreements import records, service
from catalogue.agreements.expiry import today
from catalogue.agreements.pages import summary
from catalogue.domain.agreement import AgreementStatus
from catalogue.errors import Forbidden, Unauthorised
from catalogue.i18n import N_
from catalogue.ui.negotiation import wants_json
from catalogue.ui.rendering import NavItem, current_language, render
from catalogue.web.params import CurrentPrincipal

EXPIRING_WITHIN = dt.timedelta(days=60)
SHOWN = 100  # per list; the counts say how many there are in all


def is_dpo(principal: Principal | None) -> bool:
    return principal is not None and bool(principal.dpo_of)


NAV_ITEMS = (NavItem("/dpo", N_("My decisions"), 32, visible=is_dpo),)  # in catalogue.wiring


async def inbox(principal: Principal, lang: str, on: dt.date | None = None) -> dict[str, Any]:
    """The DPO's two lists, each with its count, for the organisations they are DPO of."""
    await service.expire_due(on)
    on = on or today()
    mine = principal.dpo_of
    awaiting, awaiting_total = await records.providers_records(
        mine, records.AWAITING_DECISION, size=SHOWN
    )
    expiring, expiring_total = await records.providers_records(
        mine, [AgreementStatus.APPROVED.value], ending_by=on + EXPIRING_WITHIN, size=SHOWN
    )
    return {
        "organisations": sorted(mine),
        "expiring_within_days": EXPIRING_WITHIN.days,
        "awaiting": {"items": [summary(r, lang) for r in awaiting], "total": awaiting_total},
        "expiring": {"items": [summary(r, lang) for r in expiring], "total": expiring_total},
    }


@get("/dpo", include_in_schema=False, name="agreements:dpo")
async def dpo_inbox_page(
    request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Response[Any]:
    if principal is None:
        if wants_json(request):
            raise Unauthorised("sign in or send 'Authorization: Bearer <token>' to see your inbox")
        return Redirect(path=f"/signin?next={quote('/dpo', safe='/')}", status_code=303)
    if not is_dpo(principal):
        raise Forbidden("this inbox is for the data protection officers of organisations")
    view = await inbox(principal, current_language(request))
    if wants_json(request):
        return Response(view, media_type=MediaType.JSON, headers={"Vary": "Accept"})
    context = {**view, "principal": principal, "json_twin": "/dpo?format=json"}
    return render(request, "agreements/inbox.html", context)
