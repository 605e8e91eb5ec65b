"""The page a stale edit gets: both versions side by side; nothing is saved over the other
change, and the steward chooses to review their version on top of the current one, or not."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response

from catalogue.accounts.principal import Principal
from catalogue.datasets.queries import get_record
from catalogue.ui.forms.diff import ChangedField, changed_fields
from catalogue.ui.forms.mapping import FormData, document_to_form
from catalogue.ui.rendering import current_language, render
from catalogue.ui.steward_common import form_choices
from catalogue.web.state import settings_of


async def stale_page(
    request: Request[Any, Any, Any],
    principal: Principal,
    slug: str,
    yours: FormData,
    section: str,
) -> Response[str]:
    """Both versions side by side; nothing is saved over the other change."""
    current = await get_record(slug, principal)
    theirs = document_to_form(current.document.model_dump(mode="json"))
    classification = (yours.get("classification") or ["open"])[0]
    changes = changed_fields(
        yours,
        theirs,
        classification=classification,
        choices=await form_choices(principal, current_language(request)),
        languages=settings_of(request).languages,
    )
    if yours.get("classification") != theirs.get("classification"):
        changes.insert(
            0,
            ChangedField(
                "classification",
                "Classification",
                (yours.get("classification") or [""])[0].capitalize(),
                (theirs.get("classification") or [""])[0].capitalize(),
            ),
        )
    yours_for_review = {k: v for k, v in yours.items() if k != "_revision"}
    return render(
        request,
        "steward/stale.html",
        {
            "principal": principal,
            "record": current,
            "changes": changes,
            "yours": yours_for_review,
            "section": section,
            "title_text": current.document.text(current.document.title, current_language(request)),
        },
        status=409,
    )
