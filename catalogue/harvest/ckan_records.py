"""A CKAN package (Action API ``package_show``/``package_search``) as a harvest record.

Reads the core keys (title, notes, tags, licence, resources, organisation, dates), the
``*_translated`` texts, the ckanext-dcat keys (``uri``, ``identifier``, ``theme``, ``language``,
``frequency``, ``temporal_*``, ``publisher_*``, ``contact_*``, ``access_url``/``download_url`` on
resources ...) whether they come as extras or as top-level keys (ckanext-scheming), and the
extras this catalogue's own CKAN API writes (classification, attributes, the personal-data
block). The registry's plain fields are decoded from their declared CKAN keys
(:mod:`catalogue.domain.fields`), as :mod:`catalogue.ckan.package` encodes them. Values that
cannot be kept become issues (:mod:`catalogue.harvest.tolerant`).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from catalogue.domain.fields import generic
from catalogue.domain.paths import put
from catalogue.domain.values import (
    first_slug,
    iso_date,
    iso_timestamp,
    language_tag,
    readable_tail,
    slugify,
    unique_slug,
    web_address,
)
from catalogue.harvest.records import HarvestAgent, HarvestRecord, RecordIssue
from catalogue.vocabularies import Vocabularies
from catalogue.vocabularies.matching import concept_code, media_type

REGISTRY = generic("ckan")
STATES = {"active": "published", "draft": "draft", "deleted": "withdrawn"}
NO_LICENCE = {"notspecified", "not-specified", "none"}  # CKAN's "License not specified"
OUR_STATUSES = {"published", "deprecated", "draft", "withdrawn"}


class _Package:
    """The package's keys, top-level first, then its extras."""

    def __init__(self, package: dict[str, Any], default_language: str) -> None:
        self.package = package
        self.language = default_language
        self.extras: dict[str, Any] = {}
        for extra in package.get("extras") or []:
            if isinstance(extra, dict) and isinstance(extra.get("key"), str):
                self.extras.setdefault(extra["key"], extra.get("value"))

    def get(self, key: str) -> Any:
        value = self.package.get(key)
        if value in (None, "", [], {}):
            value = self.extras.get(key)
        return None if value in (None, "", [], {}) else value

    def text(self, key: str) -> str | None:
        value = self.get(key)
        return str(value).strip() or None if value is not None else None

    def texts(self, key: str, translated: Any = None) -> dict[str, str]:
        values: dict[str, str] = {}
        if isinstance(translated, dict):
            for language, text in translated.items():
                if isinstance(text, str) and text.strip():
                    values.setdefault(language_tag(str(language), self.language), text)
        if (text := self.text(key)) and not values:
            values[self.language] = text
        return values


def listed(value: Any) -> list[str]:
    """A list as CKAN sites give one: a JSON list, a comma-separated text, or one value."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    text = str(value).strip()
    if text.startswith("["):
        try:
            return listed(json.loads(text))
        except ValueError:
            pass
    if text.startswith("{"):  # a JSON object or a Postgres array literal
        text = text.strip("{}")
    return [part.strip().strip('"') for part in text.split(",") if part.strip().strip('"')]


def _json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _registry(data: _Package, vocabularies: Vocabularies) -> dict[str, Any]:
    """The registry's plain fields from their declared keys (the inverse of registry_keys)."""
    values: dict[str, Any] = {}
    for field in REGISTRY:
        for ckan in field.ckan:
            raw = data.get(ckan.key)
            if raw is None:
                continue
            key = field.vocabulary or ""
            if ckan.encoding == "iri":
                value: Any = _code(vocabularies, key, str(raw))
            elif ckan.encoding in {"iris", "first-iri"}:
                value = [_code(vocabularies, key, item) for item in listed(raw)]
            elif ckan.encoding == "json":
                value = _json(raw)
                if field.kind in {"codes", "urls", "strings"}:
                    value = listed(value)
            elif ckan.encoding == "flag":
                value = str(raw).strip().lower() in {"true", "yes", "1"}
            elif ckan.encoding == "langtext":
                value = {data.language: str(raw)}
            else:
                value = str(raw).strip()
            if field.kind == "code" and isinstance(value, list):
                value = value[0] if value else None
            if value not in (None, "", []):
                values.setdefault(field.path, value)
                break
    return values


def _code(vocabularies: Vocabularies, key: str, value: str) -> str:
    return concept_code(vocabularies, key, value) or value if key in vocabularies else value


def _resource(item: dict[str, Any], vocabularies: Vocabularies, language: str) -> dict[str, Any]:
    data = _Package(item, language)
    url = data.text("url")
    access = data.text("access_url")
    download = data.text("download_url")
    if not access and not download and url:
        if item.get("url_type") == "upload":
            download = url
        else:
            access = url
    media = data.text("mimetype")
    raw_format = data.text("format_uri") or data.text("format")
    file_format = _code(vocabularies, "file-types", raw_format) if raw_format else None
    if media and (file_format is None or file_format not in vocabularies["file-types"]):
        file_format = concept_code(vocabularies, "file-types", media) or file_format
    checksum = None
    if digest := data.text("hash"):
        algorithm = (data.text("hash_algorithm") or "").rsplit("_", 1)[-1] or "sha256"
        checksum = {"algorithm": algorithm, "value": digest}
    licence = data.text("license") or data.text("license_id")
    size = data.get("size")
    status, availability, rights = (data.text(k) for k in ("status", "availability", "rights"))
    if isinstance(size, str) and size.isdigit():
        size = int(size)
    values = {
        "id": data.text("id"),
        "title": data.texts("name", item.get("name_translated")),
        "description": data.texts("description", item.get("description_translated")),
        "access_url": web_address(access) or access,
        "download_url": web_address(download) or download,
        "format": file_format,
        "media_type": (media_type(media) or media) if media else None,
        "byte_size": size,
        "checksum": checksum,
        "licence": _code(vocabularies, "licences", licence) if licence else None,
        "status": _code(vocabularies, "distribution-status", status) if status else None,
        "availability": _code(vocabularies, "planned-availability", availability)
        if availability
        else None,
        "rights": {language: rights} if rights else {},
        "access_service": data.text("access_service"),  # the id of one of the package's APIs
        "legislation": listed(data.get("applicable_legislation")),
    }
    return {key: value for key, value in values.items() if value is not None}


def _service(item: dict[str, Any], vocabularies: Vocabularies, language: str) -> dict[str, Any]:
    data = _Package(item, language)
    return {
        "id": data.text("id"),
        "title": data.texts("name", item.get("name_translated")),
        "description": data.texts("description", item.get("description_translated")),
        "endpoint_url": data.text("endpoint_url") or data.text("url"),
        **({"endpoint_description": d} if (d := data.text("endpoint_description")) else {}),
        "conforms_to": listed(_json(data.get("conforms_to"))),
        **({"documentation": page} if (page := data.text("documentation")) else {}),
        **(
            {"licence": code}
            if (code := _optional_code(vocabularies, "licences", data.text("license")))
            else {}
        ),
        **(
            {"access_rights": code}
            if (code := _optional_code(vocabularies, "access-rights", data.text("access_rights")))
            else {}
        ),
        **({"rights": {language: text}} if (text := data.text("rights")) else {}),
        "hvd_categories": [
            code
            for value in listed(data.get("hvd_category"))
            if (code := _optional_code(vocabularies, "hvd-categories", value))
        ],
        "legislation": listed(data.get("applicable_legislation")),
    }


def _optional_code(vocabularies: Vocabularies, key: str, value: str | None) -> str | None:
    return _code(vocabularies, key, value) if value else None


def _publisher(data: _Package, site: str) -> HarvestAgent | None:
    organisation = data.package.get("organization") or {}
    name = data.text("publisher_name") or organisation.get("title") or data.text("author")
    if not name and not organisation:
        return None
    iri = data.text("publisher_uri") or (
        f"{site}/organization/{organisation['name']}" if organisation.get("name") else None
    )
    slug = slugify(organisation.get("name") or name or "") or (readable_tail(iri) if iri else None)
    return HarvestAgent(
        name=name,
        iri=web_address(iri),
        email=data.text("publisher_email") or data.text("author_email"),
        url=web_address(data.text("publisher_url")),
        identifier=organisation.get("id"),
        slug=slug if slug and len(slug) >= 2 else None,
        kind=None,
    )


def records_from_ckan_package(
    package: dict[str, Any],
    vocabularies: Vocabularies,
    *,
    source_url: str,
    default_language: str = "en",
    taken_slugs: set[str] | None = None,
    identifier_schemes: Collection[str] | None = None,
) -> HarvestRecord:
    """One CKAN package as a record (``source_url``: the CKAN site, e.g. ``https://demo.ckan.org``).

    Identity: the ckanext-dcat ``uri``, else its ``identifier``, else the site and the package id.
    """
    data = _Package(package, default_language)
    site = source_url.rstrip("/").split("/api/", 1)[0]
    name = data.text("name") or data.text("id") or ""
    title = data.texts("title", package.get("title_translated"))
    slug = first_slug(
        [
            readable_tail(f"/{name}"),
            title.get(default_language) or next(iter(title.values()), None),
            name,
        ]
    )
    slug = unique_slug(slug, taken_slugs if taken_slugs is not None else set())
    status = STATES.get(str(package.get("state") or "active"), "published")
    if package.get("private") is True and status == "published":
        status = "draft"
    if (ours := data.text("publication_status")) in OUR_STATUSES:
        status = ours
    raw: dict[str, Any] = {
        "slug": slug,
        "classification": "open",
        "status": status,
        "title": title,
        "description": data.texts("notes", package.get("notes_translated")),
        "technical": {"distributions": [], "data_services": []},
        "semantic": {
            "keywords": list(  # in the package's order, once each
                dict.fromkeys(
                    str(t.get("display_name") or t.get("name")).strip()
                    for t in package.get("tags") or []
                    if isinstance(t, dict) and (t.get("display_name") or t.get("name"))
                )
            ),
        },
        "organisational": {},
        "legal": {},
    }
    for item in package.get("resources") or []:
        if not isinstance(item, dict):
            continue
        if item.get("resource_type") == "api" and (item.get("endpoint_url") or item.get("url")):
            raw["technical"]["data_services"].append(_service(item, vocabularies, default_language))
        else:
            raw["technical"]["distributions"].append(
                _resource(item, vocabularies, default_language)
            )
    for path, value in _registry(data, vocabularies).items():
        put(raw, path, value)
    issues = _themes_from_groups(package, raw, vocabularies)
    _temporal(data, raw)
    _contact(data, raw)
    _ours(data, raw)
    licence = data.text("license_url") or data.text("license_id") or data.text("license_title")
    if licence and data.text("license_id") not in NO_LICENCE:
        code = (
            concept_code(vocabularies, "licences", data.text("license_id") or "")
            or (concept_code(vocabularies, "licences", data.text("license_url") or ""))
            or (concept_code(vocabularies, "licences", data.text("license_title") or ""))
        )
        raw["legal"]["licence"] = code or licence
    agent = _publisher(data, site)
    if agent and agent.slug:
        raw["organisational"]["publisher"] = agent.slug
    from catalogue.harvest.tolerant import clean_document

    document, dropped = clean_document(raw, vocabularies, identifier_schemes)
    page = web_address(data.text("url")) or (f"{site}/dataset/{name}" if name else None)
    return HarvestRecord(
        identifier=data.text("uri")
        or data.text("identifier")
        or data.text("guid")
        or f"{site}/dataset/{data.text('id') or name}",
        document=document,
        issues=issues + dropped,
        source_issued=iso_timestamp(data.text("issued") or data.text("metadata_created")),
        source_modified=iso_timestamp(data.text("modified") or data.text("metadata_modified")),
        landing_page=page,
        publisher=agent,
        name=name or None,
        classification_stated=data.text("classification") is not None,
    )


def _themes_from_groups(
    package: dict[str, Any], raw: dict[str, Any], vocabularies: Vocabularies
) -> list[RecordIssue]:
    """CKAN groups that are EU data themes (by name, title or IRI) become themes."""
    issues = []
    themes = list(raw["semantic"].get("themes") or [])
    for group in package.get("groups") or []:
        if not isinstance(group, dict):
            continue
        names = [str(group.get(key)) for key in ("name", "title", "display_name") if group.get(key)]
        code = next(filter(None, (concept_code(vocabularies, "themes", n) for n in names)), None)
        if code:
            themes.append(code)
        elif names:
            issues.append(
                RecordIssue("semantic.themes", names[0], "a CKAN group that is no EU data theme")
            )
    if themes:
        raw["semantic"]["themes"] = list(dict.fromkeys(themes))
    return issues


def _temporal(data: _Package, raw: dict[str, Any]) -> None:
    start, end = data.text("temporal_start"), data.text("temporal_end")
    if start or end:
        raw["technical"]["temporal"] = {
            key: iso_date(value, end=key == "end") or value
            for key, value in (("start", start), ("end", end))
            if value
        }


def _contact(data: _Package, raw: dict[str, Any]) -> None:
    name = data.text("contact_name") or data.text("maintainer") or data.text("author")
    email = data.text("contact_email") or data.text("maintainer_email") or data.text("author_email")
    url = data.text("contact_uri") or data.text("contact_url")
    contact = {
        key: value
        for key, value in (
            ("name", name),
            ("email", email.removeprefix("mailto:") if email else None),
            ("url", web_address(url) or url),
        )
        if value
    }
    if contact:
        raw["organisational"]["contact_point"] = contact


def _ours(data: _Package, raw: dict[str, Any]) -> None:
    """The extras only this catalogue's CKAN API writes: classification and richer levels."""
    if (classification := data.text("classification")) in {"open", "closed", "personal"}:
        raw["classification"] = classification
    elif raw["legal"].get("access_rights") in ("RESTRICTED", "NON_PUBLIC"):
        raw["classification"] = "closed"
    for path, key in (
        ("technical.attributes", "attributes"),
        ("legal.legislation", "legislation"),
        ("legal.personal_data", "personal_data"),
        ("semantic.related", "related_datasets"),
    ):
        value = _json(data.get(key))
        if isinstance(value, list | dict) and value:
            put(raw, path, value)
    reason, how = data.text("restriction_reason"), data.text("how_to_request")
    if reason or how:
        raw["legal"]["restriction"] = {
            "reason": {data.language: reason} if reason else {},
            "how_to_request": {data.language: how} if how else {},
        }
