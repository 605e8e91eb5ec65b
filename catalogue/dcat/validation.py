"""SHACL validation with our DCAT-AP 3.0.1 shapes: a graded report, and the publish check.

The shapes graph is parsed once per process; a dataset is validated on its own graph with
pyshacl's inference off, so publishing stays fast. Each finding names its focus node, path
and a plain message, and where possible the field of our document it comes from.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, cast

import pyshacl
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from catalogue.dcat.mapping import DatasetContext, dataset_graph, dataset_iri, web_iri
from catalogue.dcat.namespaces import ADMS, DCAT, DCATAP, DCT, FOAF, SPDX, VCARD
from catalogue.dcat.rdf_input import bounded_parse
from catalogue.dcat.shapes import CompiledShapes, TripleIndex, compile_shapes
from catalogue.domain.dataset import DatasetDocument
from catalogue.domain.fields import generic
from catalogue.domain.fieldspec import DCAT_AP
from catalogue.domain.problems import Problem
from catalogue.limits import LimitExceeded
from catalogue.settings import PROJECT_ROOT, get_settings
from catalogue.vocabularies import default_vocabularies

SHAPES_DIR = PROJECT_ROOT / "vocabularies" / "shapes"
CONTENT_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
    "application/n-triples": "nt",
}
SEVERITIES = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


class UnreadableRdf(ValueError):
    def __init__(self, message: str, unsupported_type: bool = False) -> None:
        super().__init__(message)
        self.unsupported_type = unsupported_type


@dataclass(frozen=True)
class Finding:
    severity: str
    focus_node: str
    path: str | None
    message: str
    value: str | None = None
    field: str | None = None


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def as_dict(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "summary": {"violations": len(self.violations), "warnings": len(self.warnings)},
            "violations": [asdict(f) for f in self.violations],
            "warnings": [asdict(f) for f in self.warnings],
        }


@cache
def shapes_graph(directory: Path = SHAPES_DIR) -> Graph:
    """Every ``*.ttl`` in ``vocabularies/shapes/``, parsed once."""
    graph = Graph()
    for path in sorted(directory.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@cache
def compiled_shapes(directory: Path = SHAPES_DIR) -> CompiledShapes:
    """The same shapes as plain Python checks (see :mod:`catalogue.dcat.shapes`)."""
    return compile_shapes(shapes_graph(directory))


def check_graph(data: Graph | TripleIndex) -> Report:
    """What :func:`validate_graph` reports, from the compiled shapes (the publish check)."""
    return _sorted_report(
        [
            Finding(
                severity=SEVERITIES.get(result.severity, "info"),
                focus_node=str(result.focus),
                path=str(result.path) if isinstance(result.path, URIRef) else None,
                message=result.message or "does not conform",
                value=str(result.value) if result.value is not None else None,
            )
            for result in compiled_shapes().validate(data)
        ]
    )


def validate_graph(data: Graph, shapes: Graph | None = None) -> Report:
    """Run SHACL (no inference) with pyshacl and read the results, worst first."""
    _, results, _ = pyshacl.validate(
        data,
        shacl_graph=shapes if shapes is not None else shapes_graph(),
        inference="none",
        allow_warnings=True,
        allow_infos=True,
    )
    findings = []
    for result in results.objects(None, SH.result):  # top level only, not sh:detail
        severity = SEVERITIES.get(results.value(result, SH.resultSeverity), "info")
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        findings.append(
            Finding(
                severity=severity,
                focus_node=str(results.value(result, SH.focusNode)),
                path=str(path) if isinstance(path, URIRef) else None,
                message=str(results.value(result, SH.resultMessage) or "does not conform"),
                value=str(value) if value is not None else None,
            )
        )
    return _sorted_report(findings)


def _sorted_report(findings: list[Finding]) -> Report:
    order = {"violation": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: (order[f.severity], f.focus_node, f.path or "", f.message))
    return Report(findings)


def parse_rdf(body: bytes, content_type: str) -> Graph:
    media = content_type.split(";")[0].strip().lower() or "text/turtle"
    fmt = CONTENT_TYPES.get(media)
    if fmt is None:
        raise UnreadableRdf(
            f"cannot read '{media}'; send text/turtle, application/rdf+xml or application/ld+json",
            unsupported_type=True,
        )
    if not body.strip():
        raise UnreadableRdf("the body is empty; send the RDF to validate")
    if fmt == "json-ld":
        _refuse_remote_contexts(body)
    try:
        return bounded_parse(body, fmt)  # within the limits: no DOCTYPE, so many triples
    except LimitExceeded:
        raise
    except Exception as error:  # rdflib raises many kinds; all mean "not readable as fmt"
        raise UnreadableRdf(f"the body is not valid {media}: {error}") from None


def _refuse_remote_contexts(body: bytes) -> None:
    """A JSON-LD ``@context`` given by URL would make the server fetch it: refuse that."""
    try:
        data = json.loads(body)
    except ValueError as error:
        raise UnreadableRdf(f"the body is not valid JSON: {error}") from None

    def remote(node: Any) -> bool:
        if isinstance(node, dict):
            context = node.get("@context")
            contexts = context if isinstance(context, list) else [context]
            if any(isinstance(item, str) for item in contexts):
                return True
            return any(remote(value) for value in node.values())
        if isinstance(node, list):
            return any(remote(item) for item in node)
        return False

    if remote(data):
        raise UnreadableRdf(
            "a JSON-LD @context given by address is not fetched; put the "
            "context inline (as an object) instead"
        )


def validate_bytes(body: bytes, content_type: str) -> Report:
    return validate_graph(parse_rdf(body, content_type))


# --- the publish check --------------------------------------------------------------------

DATASET_FIELDS = {
    **{URIRef(item.rdf[DCAT_AP].predicate): item.path for item in generic("dcat")},
    DCT.publisher: "organisational.publisher",
    DCAT.contactPoint: "organisational.contact_point",
    DCT.rights: "legal.rights",
    DCATAP.applicableLegislation: "legal.legislation",
    DCT.relation: "semantic.related",
    DCT.temporal: "technical.temporal",
    DCAT.distribution: "technical.distributions",
}
"""The dataset field each predicate states: the registry's plain fields, then the nested ones."""
DISTRIBUTION_FIELDS = {
    DCT.title: "title",
    DCT.description: "description",
    DCAT.accessURL: "access_url",
    DCAT.downloadURL: "download_url",
    DCT.format: "format",
    DCAT.mediaType: "media_type",
    DCAT.byteSize: "byte_size",
    SPDX.checksum: "checksum",
    DCT.license: "licence",
    ADMS.status: "status",
    DCATAP.availability: "availability",
    DCT.rights: "rights",
    DCAT.accessService: "access_service",
    DCATAP.applicableLegislation: "legislation",
}
SERVICE_FIELDS = {
    DCT.title: "title",
    DCT.description: "description",
    DCAT.endpointURL: "endpoint_url",
    DCAT.endpointDescription: "endpoint_description",
    DCT.conformsTo: "conforms_to",
    FOAF.page: "documentation",
    DCT.license: "licence",
    DCT.accessRights: "access_rights",
    DCT.rights: "rights",
    DCATAP.hvdCategory: "hvd_categories",
    DCATAP.applicableLegislation: "legislation",
    DCAT.servesDataset: "serves",
}
PART_FIELDS = {
    DCAT.startDate: "start",
    DCAT.endDate: "end",
    VCARD.fn: "name",
    VCARD.hasEmail: "email",
    VCARD.hasURL: "url",
    SPDX.checksumValue: "value",
    SPDX.algorithm: "algorithm",
    FOAF.name: "name",
}


def document_field(
    document: DatasetDocument,
    base_url: str,
    graph: Graph | TripleIndex,
    focus: str,
    path: str | None,
) -> str:
    """The document field a finding is about (``legal.licence``), as far as it can be told."""
    subject = str(dataset_iri(base_url, document.slug))
    where = _locate(document, subject, focus)
    if where is None:  # a linked node (a concept, the publisher): name the field linking it
        for linking, predicate in graph.subject_predicates(URIRef(focus)):
            if (owner := _locate(document, subject, str(linking))) is not None:
                return _join(owner, cast(URIRef, predicate), str(linking), subject)
        return "(document)"
    return _join(where, URIRef(path) if path else None, focus, subject)


def _join(where: str, predicate: URIRef | None, node: str, subject: str) -> str:
    if predicate is None:
        return where or "(document)"
    if node == subject:
        return DATASET_FIELDS.get(predicate, "(document)")
    table = (
        DISTRIBUTION_FIELDS
        if "/distribution/" in node and "#" not in node
        else SERVICE_FIELDS
        if "/service/" in node
        else PART_FIELDS
    )
    name = table.get(predicate)
    return f"{where}.{name}" if name else where


def _locate(document: DatasetDocument, subject: str, node: str) -> str | None:
    if node == subject:
        return ""
    technical = document.technical
    for kind, items, label in (
        ("distribution", technical.distributions, "distributions"),
        ("service", technical.data_services, "data_services"),
    ):
        for index, item in enumerate(items):
            iri = str(web_iri(f"{subject}/{kind}/{getattr(item, 'id', None) or index}"))
            if node == iri:
                return f"technical.{label}[{index}]"
            if node.startswith(f"{iri}#"):
                return f"technical.{label}[{index}].{node.split('#', 1)[1]}"
    parts = {
        "temporal": "technical.temporal",
        "contact-point": "organisational.contact_point",
        "steward": "organisational.steward",
        "rights": "legal.rights",
        "controller": "legal.personal_data.controller",
        "dpo": "legal.personal_data.dpo_contact",
        "retention": "legal.personal_data.retention",
    }
    if node.startswith(f"{subject}#"):
        part = node.split("#", 1)[1]
        name, _, number = part.rpartition("-")
        if name == "attribute" and number.isdigit():
            return f"technical.attributes[{int(number) - 1}]"
        if name == "purpose" and number.isdigit():
            return f"legal.personal_data.purposes[{int(number) - 1}]"
        return parts.get(part)
    return None


def _elsewhere(finding: Finding, document: DatasetDocument, base_url: str) -> bool:
    """A service's link to another dataset it serves: that dataset is described (and
    checked) on its own, so its type is not in this dataset's graph."""
    others = {
        str(dataset_iri(base_url, slug))
        for service in document.technical.data_services
        for slug in service.serves
    }
    return finding.path == str(DCAT.servesDataset) and finding.value in others


def conforms_here(report: Report, document: DatasetDocument, base_url: str) -> bool:
    """No violation but the links to other datasets a service serves (checked on their own)."""
    return not any(not _elsewhere(finding, document, base_url) for finding in report.violations)


async def publish_check(document: DatasetDocument) -> list[Problem]:
    """DCAT-AP violations block publishing; warnings are listed beside them."""
    from catalogue.dcat import snapshot

    settings = get_settings()
    current = await snapshot.refresh()
    context = DatasetContext(
        base_url=settings.base_url,
        languages=settings.languages,
        modified=dt.datetime.now(dt.UTC),
        publisher=current.publisher(document.organisational.publisher),
    )
    # The triples go straight into the index the compiled shapes read (no rdflib Graph).
    index = TripleIndex()
    graph = cast(
        TripleIndex, dataset_graph(document, context, default_vocabularies(), cast(Graph, index))
    )
    report = check_graph(graph)
    from catalogue.quality.compliance import remember  # the quality score reuses the result

    conforms = conforms_here(report, document, settings.base_url)
    remember(document, settings.base_url, settings.languages, context.publisher, conforms)
    problems = []
    seen: set[tuple[str, str]] = set()
    for finding in report.findings:
        if finding.severity == "info" or _elsewhere(finding, document, settings.base_url):
            continue
        where = document_field(document, settings.base_url, graph, finding.focus_node, finding.path)
        if (where, finding.message) in seen:
            continue
        seen.add((where, finding.message))
        problems.append(
            Problem(
                field=where,
                message=f"DCAT-AP 3.0.1: {finding.message}",
                code="dcat_ap",
                severity="error" if finding.severity == "violation" else "warning",
            )
        )
    return sorted(problems, key=lambda p: (p.severity != "error", p.field, p.message))
