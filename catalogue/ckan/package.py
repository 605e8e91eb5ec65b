"""A dataset as CKAN's package dict: every core key, ckanext-dcat friendly extras, our levels.

A CKAN harvester copies the core keys (title, notes, licence, tags, resources) without loss;
ckanext-dcat reads the extras it knows (``theme``, ``access_rights``, ``publisher_*``,
``contact_*``, ``temporal_*`` ...); the rest of our four levels rides along in extras as
strings (JSON for lists), never the internal note. The plain fields' keys are declared in
the field registry (:mod:`catalogue.domain.fields`, ``ckan=``) and encoded by ``registry_keys``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from catalogue.ckan import licences
from catalogue.ckan.groups import (
    ckan_time,
    group_dict,
    organisation_iri,
    organization_dict,
)
from catalogue.datasets.queries import DatasetRecord
from catalogue.domain.dataset import DataService, DatasetDocument, Distribution, Status
from catalogue.domain.fields import generic
from catalogue.domain.paths import attribute
from catalogue.vocabularies import default_vocabularies

TAG_NAMESPACE = uuid.UUID("7d0f3c1e-2b5a-4c8d-9e6f-1a2b3c4d5e6f")
STATES = {
    Status.PUBLISHED: "active",
    Status.DEPRECATED: "active",
    Status.DRAFT: "draft",
    Status.WITHDRAWN: "deleted",
}
SPDX = "http://spdx.org/rdf/terms#checksumAlgorithm_"
REGISTRY_FIELDS = generic("ckan")


@dataclass(frozen=True)
class PackageContext:
    """What a package dict needs beyond the record: addresses, language, publishers."""

    base_url: str
    language: str
    organisations: Mapping[str, dict[str, Any]]  # slug -> organisation row
    visible: frozenset[str] = frozenset()  # slugs of related datasets the reader may see
    languages: tuple[str, ...] = ()  # the configured ones: every *_translated has each


def translated(values: Mapping[str, str], languages: tuple[str, ...]) -> dict[str, str]:
    """A ``*_translated`` value (ckanext-fluent's shape): every configured language ("" where
    the text is not given in it), then any other language the text has."""
    return {**{language: values.get(language, "") for language in languages}, **values}


def dataset_iri(base_url: str, slug: str) -> str:
    return f"{base_url}/dataset/{slug}"


def _iri(vocabulary: str, code: str | None) -> str:
    if not code:
        return ""
    concept = default_vocabularies()[vocabulary].get(code)
    return concept.iri if concept else code


def _iris(vocabulary: str, codes: list[str]) -> list[str]:
    return [_iri(vocabulary, code) for code in codes]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) if value else ""


def _encode(
    document: DatasetDocument, encoding: str, value: Any, vocabulary: str | None, language: str
) -> Any:
    """A registry field's value as CKAN shows it (see ``fieldspec.CkanEncoding``)."""
    if encoding == "iri":
        return _iri(vocabulary or "", value)
    if encoding == "iris":
        return _json(_iris(vocabulary or "", value or []))
    if encoding == "first-iri":
        return _iri(vocabulary or "", value[0]) if value else ""
    if encoding == "json":
        return _json(value)
    if encoding == "flag":
        return "true" if value else "false"
    if encoding == "langtext":
        return document.text(value or {}, language)
    return value or ""


def registry_keys(document: DatasetDocument, language: str, core: bool = False) -> dict[str, Any]:
    """The registry's plain fields: the extras (or, with ``core``, the core package keys)."""
    keys: dict[str, Any] = {}
    for field in REGISTRY_FIELDS:
        value = attribute(document, field.path)
        for ckan in field.ckan:
            if ckan.core == core:
                encoded = _encode(document, ckan.encoding, value, field.vocabulary, language)
                keys[ckan.key] = encoded if encoded != "" or not core else None
    return keys


def licence_code(document: DatasetDocument) -> str | None:
    """The dataset's licence, else the one licence all its distributions share."""
    if document.legal.licence:
        return document.legal.licence
    codes = {d.licence for d in document.technical.distributions if d.licence}
    return codes.pop() if len(codes) == 1 else None


def _licence_keys(document: DatasetDocument, language: str) -> dict[str, Any]:
    """CKAN's licence id, title and URL (:mod:`catalogue.ckan.licences`)."""
    return licences.package_keys(licence_code(document))


def tag_dict(keyword: str) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid5(TAG_NAMESPACE, keyword)),
        "name": keyword,
        "display_name": keyword,
        "state": "active",
        "vocabulary_id": None,
    }


def _resource_common(record: DatasetRecord, position: int) -> dict[str, Any]:
    return {
        "package_id": str(record.id),
        "state": "active",
        "position": position,
        "created": ckan_time(record.created),
        "last_modified": ckan_time(record.modified),
        "metadata_modified": ckan_time(record.modified),
        "cache_url": None,
        "cache_last_updated": None,
        "datastore_active": False,
        "url_type": None,
        "mimetype_inner": None,
    }


def distribution_resource(
    record: DatasetRecord,
    item: Distribution,
    position: int,
    language: str,
    languages: tuple[str, ...] = (),
) -> dict[str, Any]:
    document = record.document
    checksum = item.checksum
    return {
        **_resource_common(record, position),
        "id": item.id,
        "name": document.text(item.title, language),
        "description": document.text(item.description, language),
        "name_translated": translated(item.title, languages),
        "description_translated": translated(item.description, languages),
        "url": item.download_url or item.access_url or "",
        "access_url": item.access_url or "",
        "download_url": item.download_url or "",
        "format": item.format or "",
        "format_uri": _iri("file-types", item.format),
        "mimetype": item.media_type,
        "size": item.byte_size,
        "hash": checksum.value if checksum else "",
        "hash_algorithm": f"{SPDX}{checksum.algorithm.lower()}" if checksum else "",
        "license": _iri("licences", item.licence),
        "license_id": found.id if (found := licences.of_code(item.licence)) else "",
        "rights": document.text(item.rights, language),
        "status": _iri("distribution-status", item.status),
        "availability": _iri("planned-availability", item.availability),
        "access_service": item.access_service or "",
        "applicable_legislation": _json(item.legislation),
        "resource_type": None,
    }


def service_resource(
    record: DatasetRecord,
    item: DataService,
    position: int,
    language: str,
    languages: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A data service (an API) as a resource of type ``api``, as CKAN portals list them."""
    document = record.document
    return {
        **_resource_common(record, position),
        "id": item.id,
        "name": document.text(item.title, language),
        "description": document.text(item.description, language),
        "name_translated": translated(item.title, languages),
        "description_translated": translated(item.description, languages),
        "url": item.endpoint_url,
        "endpoint_url": item.endpoint_url,
        "endpoint_description": item.endpoint_description or "",
        "conforms_to": _json(item.conforms_to),
        "documentation": item.documentation or "",
        "license": _iri("licences", item.licence),
        "access_rights": _iri("access-rights", item.access_rights or document.legal.access_rights),
        "rights": document.text(item.rights, language),
        "hvd_category": _json(_iris("hvd-categories", item.hvd_categories)),
        "applicable_legislation": _json(item.legislation),
        "format": "",
        "mimetype": None,
        "size": None,
        "hash": "",
        "resource_type": "api",
    }


def resource_dicts(
    record: DatasetRecord, language: str, languages: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    technical = record.document.with_generated_ids().technical
    resources = [
        distribution_resource(record, item, position, language, languages)
        for position, item in enumerate(technical.distributions)
    ]
    offset = len(resources)
    resources += [
        service_resource(record, item, offset + position, language, languages)
        for position, item in enumerate(technical.data_services)
    ]
    return resources


def _legal_extras(document: DatasetDocument, language: str) -> dict[str, str]:
    legal = document.legal
    extras = {
        "applicable_legislation": _json([item.iri for item in legal.legislation]),
        "legislation": _json([item.model_dump(mode="json") for item in legal.legislation]),
    }
    if legal.restriction:
        extras["restriction_reason"] = document.text(legal.restriction.reason, language)
        extras["how_to_request"] = document.text(legal.restriction.how_to_request, language)
    if legal.personal_data:
        personal = legal.personal_data
        extras["personal_data"] = _json(personal.model_dump(mode="json", exclude_none=True))
        extras["legal_basis"] = _json(_iris("legal-bases", personal.legal_bases))
        extras["personal_data_categories"] = _json(
            _iris("personal-data", personal.personal_data_categories)
        )
        extras["retention_period"] = personal.retention.period if personal.retention else ""
    if document.classification.value == "personal":
        extras["anonymised"] = "true" if legal.anonymised else "false"
    return extras


def _spatial_extras(document: DatasetDocument) -> dict[str, str]:
    """ckanext-spatial's ``spatial`` (GeoJSON) and ckanext-dcat's ``spatial_bbox`` and
    ``spatial_centroid`` (WKT): the steward's box, else the first covered country's."""
    from catalogue.dcat.spatial import country_geometry
    from catalogue.domain.geometry import parse_bbox, point_wkt

    technical = document.technical
    found: tuple[Any, tuple[float, float] | None] | None = None
    if technical.bounding_box:
        found = (parse_bbox(technical.bounding_box), None)
    else:
        found = next(
            (
                geometry
                for code in technical.spatial
                if (geometry := country_geometry(code)) is not None
            ),
            None,
        )
    if found is None:
        return {}
    box, centre = found
    return {
        "spatial": box.geojson(),
        "spatial_bbox": box.wkt(),
        "spatial_centroid": point_wkt(centre or box.centre),
    }


def extras_for(record: DatasetRecord, context: PackageContext) -> list[dict[str, str]]:
    """Our levels as CKAN extras; empty values are left out, keys sorted as CKAN sorts them."""
    document, language = record.document, context.language
    technical, semantic = document.technical, document.semantic
    organisation = context.organisations.get(record.publisher) or {}
    contact = document.organisational.contact_point
    temporal = technical.temporal
    extras: dict[str, str] = {
        "uri": dataset_iri(context.base_url, record.slug),
        "classification": document.classification.value,
        "publication_status": document.status.value,
        "issued": ckan_time(record.issued) or "",
        "modified": ckan_time(record.modified) or "",
        "temporal_start": temporal.start.isoformat() if temporal and temporal.start else "",
        "temporal_end": temporal.end.isoformat() if temporal and temporal.end else "",
        "related_datasets": _json([slug for slug in semantic.related if slug in context.visible]),
        "publisher_uri": organisation_iri(context.base_url, record.publisher),
        "publisher_name": record.publisher_name,
        "publisher_email": organisation.get("email") or "",
        "publisher_url": organisation.get("homepage") or "",
        "publisher_type": _iri("publisher-types", organisation.get("type")),
        "contact_name": (contact.name or "") if contact else "",
        "contact_email": (contact.email or "") if contact else "",
        "contact_uri": (contact.url or "") if contact else "",
        "attributes": _json([a.model_dump(mode="json") for a in technical.attributes]),
        **_spatial_extras(document),
        **_legal_extras(document, language),
        **registry_keys(document, language),
    }
    return [{"key": key, "value": value} for key, value in sorted(extras.items()) if value]


def package_dict(record: DatasetRecord, context: PackageContext) -> dict[str, Any]:
    """The CKAN package dict of one dataset (``private`` is true for non-public datasets)."""
    document, language = record.document, context.language
    organisation = context.organisations.get(record.publisher)
    contact = document.organisational.contact_point
    resources = resource_dicts(record, language, context.languages)
    tags = [tag_dict(keyword) for keyword in document.semantic.keywords]
    themes = default_vocabularies()["themes"]
    groups = [
        group_dict(concept, language)
        for code in document.semantic.themes
        if (concept := themes.get(code)) is not None
    ]
    return {
        "id": str(record.id),
        "name": record.slug,
        "title": document.text(document.title, language),
        "title_translated": translated(document.title, context.languages),
        "notes": document.text(document.description, language),
        "notes_translated": translated(document.description, context.languages),
        "url": f"{context.base_url}/dataset/{record.slug}",
        **registry_keys(document, language, core=True),
        "author": record.publisher_name or None,
        "author_email": (organisation or {}).get("email") or None,
        "maintainer": contact.name if contact else None,
        "maintainer_email": contact.email if contact else None,
        **_licence_keys(document, language),
        "tags": tags,
        "num_tags": len(tags),
        "groups": groups,
        "resources": resources,
        "num_resources": len(resources),
        "organization": organization_dict(organisation) if organisation else None,
        "owner_org": str(organisation["id"]) if organisation else None,
        "metadata_created": ckan_time(record.created),
        "metadata_modified": ckan_time(record.modified),
        "private": not record.is_public,
        "state": STATES[document.status],
        "type": "dataset",
        "creator_user_id": None,
        "extras": extras_for(record, context),
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }
