"""RDF profiles: DCAT-AP 3.0.1 (the default) and DCAT-AP 2.1.1 for the portals that still use it.

The mapping (:mod:`catalogue.dcat.mapping`) writes one description, in DCAT-AP 3.0.1. Many
national portals still validate with DCAT-AP 2.1.1, whose shapes differ in a few places; the
other profile is that description with those places rewritten, triple by triple (one pass,
no graph), so nothing is described twice and a feed page stays as cheap as before:

- ``dcat:byteSize`` is an ``xsd:decimal`` (3.0.1: ``xsd:nonNegativeInteger``);
- a distribution's ``adms:status`` comes from the ADMS status list (``Completed``,
  ``Deprecated``, ``UnderDevelopment``, ``Withdrawn``; scheme ``adms/status/1.0``), not the
  EU distribution-status list (a status ADMS has no word for is left out);
- the version is ``owl:versionInfo`` (3.0.1: ``dcat:version``);
- a checksum is SHA-1 only (the 2.1.1 shape fixes the algorithm), other checksums are left out.

The profile names are ckanext-dcat's (``?profile=dcat_ap_2``), so harvesters configured for
it ask in their own words.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import OWL

from catalogue.dcat.namespaces import ADMS, DCAT, DCT, RDF, SKOS, SPDX, XSD
from catalogue.dcat.triples import Triple, TripleSink
from catalogue.domain.problems import InvalidDocument, Problem

DCAT_AP_3 = "dcat_ap_3"
DCAT_AP_2 = "dcat_ap_2"
PROFILES = (DCAT_AP_3, DCAT_AP_2)
DEFAULT = DCAT_AP_3
ALIASES = {"euro_dcat_ap_3": DCAT_AP_3, "euro_dcat_ap_2": DCAT_AP_2}
"""ckanext-dcat's profile plugin names, accepted as well."""

EU_STATUS = "http://publications.europa.eu/resource/authority/distribution-status/"
ADMS_STATUS = "http://purl.org/adms/status/"
ADMS_STATUS_SCHEME = URIRef("http://purl.org/adms/status/1.0")
ADMS_STATUSES = {  # EU distribution-status code -> ADMS status (label)
    "COMPLETED": ("Completed", "Completed"),
    "DEPRECATED": ("Deprecated", "Deprecated"),
    "DEVELOP": ("UnderDevelopment", "Under development"),
    "WITHDRAWN": ("Withdrawn", "Withdrawn"),
}
SHA1 = SPDX.checksumAlgorithm_sha1


def parse_profile(raw: str | None) -> str:
    """The profile a request names (none: the default); an unknown one is a 400 on it."""
    if raw in (None, ""):
        return DEFAULT
    name = ALIASES.get(str(raw), str(raw))
    if name not in PROFILES:
        raise InvalidDocument(
            [
                Problem(
                    "profile",
                    f"'{raw}' is not a profile of this catalogue; use one of "
                    f"{', '.join(PROFILES)} (default {DEFAULT})",
                    "unknown_profile",
                )
            ]
        )
    return name


def apply(sink: TripleSink, profile: str) -> TripleSink:
    """The dataset's (or page's) triples in ``profile`` (the same sink for the default)."""
    if profile == DCAT_AP_3:
        return sink
    rewritten = TripleSink()
    rewritten.triples = list(_dcat_ap_2(sink.triples))
    return rewritten


def _dcat_ap_2(triples: list[Triple]) -> Iterable[Triple]:
    other_checksums = {
        checksum
        for checksum, predicate, algorithm in triples
        if predicate == SPDX.algorithm and algorithm != SHA1
    }
    statuses_described: set[URIRef] = set()
    for subject, predicate, obj in triples:
        if subject in other_checksums or (predicate == SPDX.checksum and obj in other_checksums):
            continue
        if str(subject).startswith(EU_STATUS):
            continue  # the EU status concept: replaced by its ADMS one below
        if predicate == DCAT.byteSize:
            yield subject, predicate, Literal(str(obj), datatype=XSD.decimal)
        elif predicate == DCAT.version:
            yield subject, OWL.versionInfo, obj
        elif predicate == ADMS.status and str(obj).startswith(EU_STATUS):
            found = ADMS_STATUSES.get(str(obj)[len(EU_STATUS) :])
            if found is None:
                continue
            status = URIRef(ADMS_STATUS + found[0])
            yield subject, predicate, status
            if status not in statuses_described:
                statuses_described.add(status)
                yield from _adms_concept(status, found[1])
        else:
            yield subject, predicate, obj


def _adms_concept(status: URIRef, label: str) -> Iterable[Triple]:
    yield status, RDF.type, SKOS.Concept
    yield status, SKOS.inScheme, ADMS_STATUS_SCHEME
    yield status, SKOS.prefLabel, Literal(label, lang="en")
    yield ADMS_STATUS_SCHEME, RDF.type, SKOS.ConceptScheme
    yield ADMS_STATUS_SCHEME, DCT.title, Literal("ADMS status", lang="en")
