"""The CKAN read actions: each takes CKAN's data dict and returns CKAN's ``result``.

Plain async functions over ``store`` (SQL with our access rules) and the dict builders; the
controller only parses the request and wraps the result in the envelope. Each docstring is
what ``help_show`` answers, so it speaks to API users.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from catalogue import __version__
from catalogue.accounts.principal import Principal
from catalogue.ckan import groups, licences, params, store
from catalogue.ckan.errors import NotFoundError, SearchQueryError, ValidationError
from catalogue.ckan.fq import FqError, parse_sort
from catalogue.ckan.package import PackageContext, package_dict, resource_dicts
from catalogue.ckan.search import ROWS_DEFAULT, ROWS_MAX, run_package_search
from catalogue.datasets.queries import DatasetRecord
from catalogue.datasets.versions import VersionedCache, current_version, visibility_key
from catalogue.search.service import generation as search_generation
from catalogue.settings import get_settings

CKAN_VERSION = "2.10.4"
LIST_MAX = 1000
ALL_FIELDS_DEFAULT = 25
DATASETS_IN_SHOW = 1000


@dataclass(frozen=True)
class ActionContext:
    """Who calls, and how to write addresses and texts for them."""

    principal: Principal | None
    base_url: str
    language: str

    def audience(self, data: Mapping[str, Any]) -> store.Audience:
        """CKAN clients may ask for public datasets only (``include_private=false`` ...)."""
        narrowed = any(
            params.is_given(data, name) and not params.boolean(data, name, True)
            for name in ("include_private", "include_drafts")
        )
        return store.Audience(self.principal, public_only=narrowed)


Action = Callable[[Mapping[str, Any], ActionContext], Awaitable[Any]]
ACTIONS: dict[str, Action] = {}


def action(function: Action) -> Action:
    ACTIONS[function.__name__] = function
    return function


async def package_context(
    context: ActionContext, audience: store.Audience, records: list[DatasetRecord]
) -> PackageContext:
    """Publishers and visible related datasets for a batch of package dicts (two queries)."""
    rows = await store.organisation_rows()
    related = sorted({slug for record in records for slug in record.document.semantic.related})
    return PackageContext(
        base_url=context.base_url,
        language=context.language,
        languages=get_settings().languages,
        organisations={row["slug"]: row for row in rows},
        visible=frozenset(await store.visible_slugs(related, audience)),
    )


async def packages(
    context: ActionContext, audience: store.Audience, records: list[DatasetRecord]
) -> list[dict[str, Any]]:
    package_ctx = await package_context(context, audience, records)
    return [package_dict(record, package_ctx) for record in records]


@action
async def package_show(data: Mapping[str, Any], context: ActionContext) -> dict[str, Any]:
    """One dataset as a CKAN package dict. Parameters: id (the dataset's name or id)."""
    identifier = params.required_text(data, "id")
    audience = context.audience(data)
    record = await store.record_by_id_or_name(identifier, audience)
    return (await packages(context, audience, [record]))[0]


@action
async def package_list(data: Mapping[str, Any], context: ActionContext) -> list[str]:
    """Names of the datasets you may see, in name order. Parameters: limit, offset."""
    limit = params.integer(data, "limit", LIST_MAX, minimum=0, maximum=LIST_MAX)
    offset = params.integer(data, "offset", 0)
    return await store.visible_names(context.audience(data), limit, offset)


@action
async def resource_show(data: Mapping[str, Any], context: ActionContext) -> dict[str, Any]:
    """One resource (a distribution or data service) by id. Parameters: id."""
    identifier = params.required_text(data, "id")
    record = await store.record_with_resource(identifier, context.audience(data))
    found = resource_dicts(record, context.language, get_settings().languages)
    return next(r for r in found if r["id"] == identifier)


def _list_window(data: Mapping[str, Any], all_fields: bool) -> tuple[int, int]:
    default = ALL_FIELDS_DEFAULT if all_fields else LIST_MAX
    limit = params.integer(data, "limit", default, minimum=0, maximum=LIST_MAX)
    return limit, params.integer(data, "offset", 0)


def _sort_key(field: str) -> Callable[[dict[str, Any]], Any]:
    """Text sorts without regard to case, numbers as numbers."""
    return lambda entry: entry[field].casefold() if isinstance(entry[field], str) else entry[field]


def _sorted_entries(data: Mapping[str, Any], entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """CKAN's group/organization list sort: ``title asc`` unless ``sort`` says otherwise."""
    try:
        keys = parse_sort(
            params.text(data, "sort") or "title asc", {"name", "title", "package_count"}
        )
    except FqError as error:
        raise ValidationError.one("sort", str(error)) from None
    for key in reversed(keys):
        entries.sort(key=_sort_key(key.field), reverse=key.descending)
    return entries


def _narrowed(data: Mapping[str, Any], entries: list[dict[str, Any]], kind: str) -> list[Any]:
    """Apply ``q`` (name or title contains), the explicit name list, sort and window."""
    wanted = params.string_list(data, kind)
    query = params.text(data, "q").casefold()
    entries = [
        entry
        for entry in entries
        if (wanted is None or entry["name"] in wanted)
        and (not query or query in entry["name"].casefold() or query in entry["title"].casefold())
    ]
    all_fields = params.boolean(data, "all_fields", False)
    limit, offset = _list_window(data, all_fields)
    window = _sorted_entries(data, entries)[offset : offset + limit]
    if not all_fields:
        return [entry["name"] for entry in window]
    if not params.boolean(data, "include_dataset_count", True):
        for entry in window:
            entry.pop("package_count", None)
    return window


@action
async def organization_list(data: Mapping[str, Any], context: ActionContext) -> list[Any]:
    """Organisations (publishers). Parameters: all_fields, limit, offset, sort, q,
    organizations (a list of names), include_dataset_count."""
    counts = await store.counts_by_publisher(context.audience(data))
    entries = [
        groups.organization_dict(row, counts.get(row["slug"], 0))
        for row in await store.organisation_rows()
    ]
    return _narrowed(data, entries, "organizations")


@action
async def organization_show(data: Mapping[str, Any], context: ActionContext) -> dict[str, Any]:
    """One organisation by name or id. Parameters: id, include_datasets (default false)."""
    row = await store.organisation_row(params.required_text(data, "id"))
    audience = context.audience(data)
    counts = await store.counts_by_publisher(audience)
    datasets = None
    if params.boolean(data, "include_datasets", False):
        records = await store.visible_records(
            audience, publisher=row["slug"], limit=DATASETS_IN_SHOW
        )
        datasets = await packages(context, audience, records)
    return groups.organization_full(row, counts.get(row["slug"], 0), context.base_url, datasets)


@action
async def group_list(data: Mapping[str, Any], context: ActionContext) -> list[Any]:
    """The EU data themes as groups. Parameters: all_fields, limit, offset, sort, q,
    groups (a list of names), include_dataset_count."""
    counts = await store.counts_by_theme(context.audience(data))
    entries = [
        groups.group_dict(concept, context.language, counts.get(concept.code, 0))
        for concept in groups.all_theme_concepts()
    ]
    return _narrowed(data, entries, "groups")


@action
async def group_show(data: Mapping[str, Any], context: ActionContext) -> dict[str, Any]:
    """One data theme by group name (``envi``), code, id or IRI. Parameters: id,
    include_datasets (default false)."""
    identifier = params.required_text(data, "id")
    concept = groups.theme_concept(identifier)
    if concept is None:
        raise NotFoundError(f"no group '{identifier}'")
    audience = context.audience(data)
    counts = await store.counts_by_theme(audience)
    body = groups.group_dict(concept, context.language, counts.get(concept.code, 0))
    body.update({"groups": [], "tags": [], "users": [], "num_followers": 0})
    if params.boolean(data, "include_datasets", False):
        records = await store.visible_records(audience, theme=concept.code, limit=DATASETS_IN_SHOW)
        body["packages"] = await packages(context, audience, records)
    return body


@action
async def license_list(data: Mapping[str, Any], context: ActionContext) -> list[dict[str, Any]]:
    """The licences datasets may carry, as ids of CKAN's licence register (cc-by ...)."""
    return licences.licence_list()


@action
async def status_show(data: Mapping[str, Any], context: ActionContext) -> dict[str, Any]:
    """What this site is, and which CKAN API version it speaks."""
    settings = get_settings()
    return {
        "site_title": settings.catalogue_title,
        "site_description": "",
        "site_url": context.base_url,
        "ckan_version": CKAN_VERSION,
        "catalogue_version": __version__,
        "error_emails_to": None,
        "locale_default": settings.default_language,
        "extensions": [],
    }


@action
async def package_search(data: Mapping[str, Any], context: ActionContext) -> dict[str, Any]:
    """Search datasets. Parameters: q, fq (field:value, -field:value, OR, ranges such as
    metadata_modified:[2024-01-01T00:00:00Z TO *]), rows (up to 1000), start, sort
    (e.g. "metadata_modified desc", "id asc"), facet.field (a JSON list), facet.limit,
    include_private, include_drafts."""
    audience = context.audience(data)

    async def answer() -> dict[str, Any]:
        try:
            records, result = await run_package_search(data, context.language, audience)
        except FqError as error:
            raise SearchQueryError(str(error)) from None
        return {**result, "results": await packages(context, audience, records)}

    if params.integer(data, "rows", ROWS_DEFAULT, minimum=0, maximum=ROWS_MAX) > KEPT_ROWS:
        return await answer()  # a harvester's walk: each window is read once
    key = (
        json.dumps(data, sort_keys=True, default=str),
        visibility_key(None if audience.public_only else audience.principal),
        context.language,
        context.base_url,
    )
    version = (await current_version(), await search_generation())
    return dict(await _searches.get_or_compute(key, answer, version=version))


KEPT_ROWS = 100
"""Answers of up to this many packages are kept per catalogue version and index snapshot:
portals and people repeat the same searches; a harvester's large windows are read once."""
_searches: VersionedCache[dict[str, Any]] = VersionedCache(
    max_entries=1024, max_bytes=48 * 1024 * 1024, size_of=lambda found: 5000 * len(found["results"])
)


@action
async def help_show(data: Mapping[str, Any], context: ActionContext) -> str:
    """The help text of an action. Parameters: name."""
    name = params.required_text(data, "name")
    if name not in ACTIONS:
        raise NotFoundError(f"no action '{name}'")
    return " ".join((ACTIONS[name].__doc__ or "").split())
