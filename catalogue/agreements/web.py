"""Every route of the register of data use, as one router (listed in ``catalogue.wiring``)."""

from __future__ import annotations

from litestar import Router

from catalogue.agreements.controllers import AgreementController
from catalogue.agreements.inbox import dpo_inbox_page
from catalogue.agreements.pages import (
    agreement_page,
    agreements_page,
    decide_from_form,
    new_agreement_page,
    propose_from_form,
    transparency_dataset,
    transparency_index,
)
from catalogue.agreements.rdf import dataset_agreements_rdf

AGREEMENTS_ROUTER = Router(
    path="/",
    route_handlers=[
        AgreementController,
        dataset_agreements_rdf,
        agreements_page,
        dpo_inbox_page,
        new_agreement_page,
        propose_from_form,
        agreement_page,
        decide_from_form,
        transparency_index,
        transparency_dataset,
    ],
)
