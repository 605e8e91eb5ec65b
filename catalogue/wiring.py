"""How the catalogue's parts connect, in one place and from explicit lists.

Nothing registers itself when it is imported. Each list below names what one kind of plug
holds, in order; :func:`wire` installs them (``create_app(settings)`` and the ``catalogue``
command call it; a script that uses the services calls it first, or gets
:class:`~catalogue.plugs.NotWired`). To add a listener, a publish check, a seed step, a
command, a page part or a route, add it to its list here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from catalogue import events, seed
from catalogue.accounts import pages as account_pages
from catalogue.accounts.controllers import TokenController, UserController
from catalogue.accounts.user_pages import user_pages
from catalogue.agreements import cli as agreements_cli
from catalogue.agreements import inbox as agreements_inbox
from catalogue.agreements import pages as agreements_pages
from catalogue.agreements.seed_step import load_agreements
from catalogue.agreements.web import AGREEMENTS_ROUTER
from catalogue.audit import cli as audit_cli
from catalogue.audit import pages as audit_pages_module
from catalogue.audit.checkpoints import audit_lifespan
from catalogue.audit.controllers import AuditController
from catalogue.audit.listener import audit_change, audit_changes
from catalogue.audit.pages import audit_pages
from catalogue.ckan.controllers import ckan_router
from catalogue.datasets import service as datasets
from catalogue.datasets.controllers import DatasetController
from catalogue.datasets.identifier_schemes import IdentifierSchemeController
from catalogue.datasets.scheme_pages import scheme_pages
from catalogue.dcat import cli as dcat_cli
from catalogue.dcat import validation
from catalogue.dcat.controllers import CatalogController
from catalogue.dcat.prewrite import prewrite_lifespan
from catalogue.discovery.web import discovery_router, head_context
from catalogue.harvest import cli as harvest_cli
from catalogue.harvest import pages as harvest_pages_module
from catalogue.harvest.controllers import HarvestController
from catalogue.harvest.guard import harvested_fields_are_read_only
from catalogue.harvest.pages import harvest_pages
from catalogue.harvest.schedule import harvest_lifespan
from catalogue.harvest.worker import worker_lifespan
from catalogue.logging import configure_logging
from catalogue.onceonly import pages as onceonly_pages
from catalogue.onceonly.index import keep_the_map_in_step, keep_the_map_in_step_batch
from catalogue.onceonly.web import ONCE_ONLY_ROUTER
from catalogue.organisations.controllers import OrganisationController
from catalogue.organisations.pages import organisation_pages
from catalogue.quality import cli as quality_cli
from catalogue.quality import web as quality_web
from catalogue.quality.linkcheck import quality_lifespan
from catalogue.quality.listener import score_change, score_changes
from catalogue.quality.web import QUALITY_ROUTER
from catalogue.ropa import pages as ropa_pages_module
from catalogue.ropa.controllers import RopaController
from catalogue.ropa.pages import ropa_pages
from catalogue.search import cli as search_cli
from catalogue.search.controllers import SearchController, search_lifespan
from catalogue.search.outbox import record_change, record_changes
from catalogue.settings import Settings, use_settings
from catalogue.ui import admin_pages, auth_pages, rendering, sections
from catalogue.ui.routes import ui_router
from catalogue.ui.steward_pages import steward_router
from catalogue.vocabularies.controllers import VocabularyController
from catalogue.warmup import warm_lifespan
from catalogue.web.health import health
from catalogue.webhooks import pages as webhook_pages_module
from catalogue.webhooks.controllers import WebhookController
from catalogue.webhooks.listener import queue_deliveries, queue_many
from catalogue.webhooks.pages import webhook_pages
from catalogue.webhooks.worker import webhook_lifespan

# Called inside every writing transaction, in this order: the audit log, the search outbox
# (and the change log other nodes read), the once-only map, the quality scores, the webhook queue.
LISTENERS: Sequence[events.Listener] = (
    audit_change,
    record_change,
    keep_the_map_in_step,
    score_change,
    queue_deliveries,
)
# Faster forms of some of them for a batch write's many changes.
BATCH_LISTENERS: dict[events.Listener, events.BatchListener] = {
    keep_the_map_in_step: keep_the_map_in_step_batch,
    audit_change: audit_changes,
    record_change: record_changes,
    score_change: score_changes,
    queue_deliveries: queue_many,
}

# Must pass (besides the classification rules) before a dataset is published.
PUBLISH_CHECKS: Sequence[datasets.PublishCheck] = (validation.publish_check,)

# Checked on every edit of a stored dataset; their problems refuse the edit.
WRITE_GUARDS: Sequence[datasets.WriteGuard] = (harvested_fields_are_read_only,)

# Run after the core seed (organisations, schemes, users, datasets), in this order.
SEED_STEPS: Sequence[seed.SeedStep] = (load_agreements,)

# The `catalogue` command's groups beyond the core ones in catalogue/cli.py.
COMMANDS: Sequence[click.Command] = (
    *audit_cli.commands,
    *search_cli.commands,
    *dcat_cli.commands,
    *agreements_cli.commands,
    *quality_cli.commands,
    *harvest_cli.commands,
)

# The pages' layout: navigation links beyond Home/Datasets/Organisations, values for every page.
NAV_ITEMS: Sequence[rendering.NavItem] = (
    *agreements_pages.NAV_ITEMS,
    *agreements_inbox.NAV_ITEMS,
    *auth_pages.NAV_ITEMS,
    *onceonly_pages.NAV_ITEMS,
    *harvest_pages_module.NAV_ITEMS,
    *quality_web.NAV_ITEMS,
    *webhook_pages_module.NAV_ITEMS,
    *audit_pages_module.NAV_ITEMS,
    *ropa_pages_module.NAV_ITEMS,
    *account_pages.NAV_ITEMS,
    *admin_pages.NAV_ITEMS,
)
CONTEXT_PROCESSORS: Sequence[rendering.ContextProcessor] = (
    *auth_pages.CONTEXT_PROCESSORS,
    head_context,  # feed and OpenSearch links, a dataset page's JSON-LD
)

# Parts of the dataset and organisation pages: (template name, provider).
DATASET_SECTIONS: Sequence[tuple[str, sections.Section]] = (
    ("dataset_agreements", agreements_pages.agreements_for_dataset),
)
ORGANISATION_SECTIONS: Sequence[tuple[str, sections.Section]] = (
    ("organisation_agreements", agreements_pages.agreements_for_organisation),
)

# Run for the application's life, after the database is ready, in this order: the search
# index's follower, the audit checkpoints, the webhook deliveries, the harvest worker process
# (started by the first harvest, stopped with the app).
LIFESPANS: Sequence[Any] = (search_lifespan, audit_lifespan, webhook_lifespan, worker_lifespan)
# Only in a serving process (not in the tests' apps): cache warming, the link checker, the
# harvest scheduler, the feed's chunks written ahead of harvesters.
SERVER_LIFESPANS: Sequence[Any] = (
    warm_lifespan,
    quality_lifespan,
    harvest_lifespan,
    prewrite_lifespan,
)

ROUTE_HANDLERS: Sequence[Any] = (
    ui_router,  # the public pages; JSON clients of '/' get the API index
    steward_router,  # sign-in/out, the dataset form, the dashboard
    health,
    DatasetController,
    IdentifierSchemeController,
    OrganisationController,
    TokenController,
    UserController,
    VocabularyController,
    AGREEMENTS_ROUTER,
    ONCE_ONLY_ROUTER,
    QUALITY_ROUTER,
    AuditController,
    audit_pages,
    RopaController,
    ropa_pages,
    ckan_router,
    SearchController,
    CatalogController,
    discovery_router,
    WebhookController,
    webhook_pages,
    HarvestController,
    harvest_pages,
    admin_pages.admin_index_pages,  # /admin: links to every administration page
    user_pages,
    organisation_pages,
    scheme_pages,
    account_pages.token_pages,  # /account/tokens: everyone's own API tokens
)


def wire(settings: Settings) -> None:
    """Install every plug, and make ``settings`` the process's (idempotent)."""
    use_settings(settings)
    configure_logging(settings)
    events.install(LISTENERS, BATCH_LISTENERS)
    datasets.install_publish_checks(PUBLISH_CHECKS)
    datasets.install_write_guards(WRITE_GUARDS)
    seed.install_seed_steps(SEED_STEPS)
    rendering.install_layout(NAV_ITEMS, CONTEXT_PROCESSORS)
    sections.DATASET_SECTIONS.install(DATASET_SECTIONS)
    sections.ORGANISATION_SECTIONS.install(ORGANISATION_SECTIONS)


def add_commands(group: click.Group) -> click.Group:
    """The ``catalogue`` command with every domain's commands."""
    for command in COMMANDS:
        group.add_command(command)
    return group
