"""Build the privacy schemes (purposes, personal data, subjects, measures, GDPR bases) from DPV.

DPV publishes one big class taxonomy rather than one SKOS scheme per branch, so
each of our files gets a scheme IRI of our own (``.../vocab/<key>``) while every
concept keeps its official DPV IRI and uses the IRI's local name as its code.
Catalogue flags (special category, Art. 10, Art. 89 purposes and safeguards) are
our reading of the GDPR on top of DPV; the choices are listed here so they can be
reviewed in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import cast

from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.namespace import OWL, SKOS

from catalogue.vocabularies.build_common import (
    VOCAB_BASE,
    ConceptOut,
    SchemeOut,
    clean,
    lang_values,
    local_name,
    narrower_closure,
    set_flag_below,
)

DPV = Namespace("https://w3id.org/dpv#")
PD = Namespace("https://w3id.org/dpv/pd#")
GDPR = Namespace("https://w3id.org/dpv/legal/eu/gdpr#")
PUBLIC_SERVICES = Namespace("https://w3id.org/dpv/sector/publicservices#")
SW = Namespace("http://www.w3.org/2003/06/sw-vocab-status/ns#")

DPV_FILES: tuple[str, ...] = ("dpv.ttl", "pd.ttl", "eu-gdpr.ttl", "sector-publicservices.ttl")
DPV_ORIGIN = "w3c/dpv@f01a55c3 (release folder 2.3/)"
DPV_RIGHTS = (
    "© DPVCG contributors / World Wide Web Consortium; W3C Software and Document License "
    "(https://www.w3.org/copyright/software-license-2023/)."
)

# GDPR Art. 89: archiving in the public interest, scientific or historical research, statistics.
# DPV 2.3 has scientific (and academic) research and official statistics, but no purpose for
# archiving in the public interest or for historical research.
ART89_PURPOSES: tuple[URIRef, ...] = (
    DPV.ScientificResearch,
    DPV.AcademicResearch,
    DPV.ProvideOfficialStatistics,
)

# Measures that serve as Art. 89(1) safeguards (data minimisation, pseudonymisation and other
# ways to avoid or limit identification, confidentiality and controlled access). Narrower
# concepts inherit the flag (e.g. every kind of pseudonymisation or encryption).
ART89_SAFEGUARDS: tuple[URIRef, ...] = (
    GDPR.DataMinimisationPrinciple,
    DPV.Deidentification,  # includes Pseudonymisation (all kinds) and Anonymisation
    DPV.DataRedaction,
    DPV.Encryption,
    DPV.HomomorphicEncryption,
    DPV.SecureMultiPartyComputation,
    DPV.DifferentialPrivacy,
    DPV.PrivateInformationRetrieval,
    DPV.UseSyntheticData,
    DPV.AccessControlMethod,
    DPV.AuthorisationProcedure,
    DPV.SecureProcessingEnvironment,
    DPV.StatisticalConfidentialityAgreement,
)


def load_dpv(source: Path) -> tuple[Graph, str]:
    """All DPV files in one graph (broader links cross files) and the DPV release number."""
    graph = Graph()
    for name in DPV_FILES:
        graph.parse(source / name, format="turtle")
    version = graph.value(URIRef("https://w3id.org/dpv"), OWL.versionInfo)
    return graph, clean(version) if version is not None else "unknown"


def dpv_concept(graph: Graph, iri: URIRef) -> ConceptOut:
    """One DPV concept: local name as code, labels and definitions as published."""
    concept = ConceptOut(
        iri=str(iri),
        code=local_name(str(iri)),
        labels=lang_values(graph, iri, SKOS.prefLabel),
        definitions=lang_values(graph, iri, SKOS.definition),
        broader={str(b) for b in graph.objects(iri, SKOS.broader)},
    )
    if str(graph.value(iri, SW.term_status)) == "sunset":
        concept.flags["deprecated"] = True
    return concept


def dpv_scheme(
    key: str, label: str, graph: Graph, iris: Iterable[URIRef], files: str, version: str
) -> SchemeOut:
    """A scheme of our own holding the given DPV concepts."""
    scheme = SchemeOut(
        key=key,
        iri=f"{VOCAB_BASE}{key}",
        labels={"en": label},
        source=(
            f"W3C Data Privacy Vocabulary (DPV) {version}, https://w3id.org/dpv; "
            f"read from {files} ({DPV_ORIGIN})"
        ),
        rights=DPV_RIGHTS,
    )
    scheme.concepts = [dpv_concept(graph, iri) for iri in sorted(set(iris))]
    return scheme.finalise()


def in_namespaces(iris: Iterable[URIRef], *namespaces: Namespace) -> set[URIRef]:
    """Keep only IRIs of the given vocabularies (guards against stray imported terms)."""
    return {iri for iri in iris if any(str(iri).startswith(str(ns)) for ns in namespaces)}


def purposes(graph: Graph, version: str) -> SchemeOut:
    """Every purpose under dpv:Purpose, including the public-services sector purposes."""
    iris = in_namespaces(narrower_closure(graph, DPV.Purpose) | {DPV.Purpose}, DPV, PUBLIC_SERVICES)
    scheme = dpv_scheme(
        "purposes",
        "Purposes of processing (DPV)",
        graph,
        iris,
        "dpv.ttl, sector-publicservices.ttl",
        version,
    )
    set_flag_below(scheme, [str(p) for p in ART89_PURPOSES], "art89", True)
    return scheme


def personal_data(graph: Graph, version: str) -> SchemeOut:
    """Every pd: category, plus the DPV core classes they hang under (so broader links resolve)."""
    categories = {
        cast(URIRef, s)
        for s in graph.subjects(RDF.type, SKOS.Concept)
        if str(s).startswith(str(PD))
    }
    core_under = narrower_closure(graph, DPV.PersonalData) | {DPV.PersonalData}
    core: set[URIRef] = set()
    todo = [b for c in categories for b in graph.objects(c, SKOS.broader)]
    while todo:
        parent = todo.pop()
        if isinstance(parent, URIRef) and parent not in categories | core and parent in core_under:
            core.add(parent)
            todo.extend(graph.objects(parent, SKOS.broader))
    scheme = dpv_scheme(
        "personal-data",
        "Personal data categories (DPV)",
        graph,
        categories | core,
        "pd.ttl, dpv.ttl",
        version,
    )
    set_flag_below(scheme, [str(DPV.SpecialCategoryPersonalData)], "specialCategory", True)
    set_flag_below(scheme, [str(PD.Criminal)], "criminalOffence", True)
    return scheme


def data_subjects(graph: Graph, version: str) -> SchemeOut:
    """Data subject categories.

    Since DPV 2.1 the categories (Citizen, Child, Patient ...) sit under dpv:HumanSubject,
    next to dpv:DataSubject rather than under it; DPV groups them all in its
    ``entities-datasubject-classes`` scheme, which is what we take.
    """
    iris = {
        s
        for s in graph.subjects(SKOS.inScheme, DPV["entities-datasubject-classes"])
        if isinstance(s, URIRef) and (s, RDF.type, SKOS.Concept) in graph
    }
    if DPV.DataSubject not in iris:
        raise ValueError("dpv:DataSubject missing from entities-datasubject-classes")
    label = "Data subject categories (DPV)"
    return dpv_scheme("data-subjects", label, graph, iris, "dpv.ttl", version)


def measures(graph: Graph, version: str) -> SchemeOut:
    """Technical and organisational measures, plus the GDPR Art. 5 principles DPV types as measures.

    DPV's core has no data-minimisation measure; eu-gdpr.ttl has it as a principle typed
    dpv:OrganisationalMeasure under dpv:Principle, so the nine Art. 5 principles are included.
    """
    root = DPV.TechnicalOrganisationalMeasure
    iris = narrower_closure(graph, root) | {root}
    principles = {
        s
        for s in graph.subjects(SKOS.inScheme, GDPR["principles-classes"])
        if isinstance(s, URIRef) and (s, RDF.type, DPV.OrganisationalMeasure) in graph
    }
    scheme = dpv_scheme(
        "measures",
        "Technical and organisational measures (DPV)",
        graph,
        in_namespaces(iris, DPV) | principles,
        "dpv.ttl, eu-gdpr.ttl",
        version,
    )
    set_flag_below(scheme, [str(m) for m in ART89_SAFEGUARDS], "art89Safeguard", True)
    return scheme


def gdpr_article(
    graph: Graph, version: str, key: str, label: str, article: str, letters: str
) -> SchemeOut:
    """One GDPR paragraph's points as concepts (A6-1-a ...), each with ``cat:article "6(1)(a)"``."""
    number, paragraph = article.split("-")
    iris = [GDPR[f"A{article}-{letter}"] for letter in letters]
    missing = [str(i) for i in iris if (i, RDF.type, SKOS.Concept) not in graph]
    if missing:
        raise ValueError(f"{key}: not in eu-gdpr.ttl: {missing}")
    scheme = dpv_scheme(key, label, graph, iris, "eu-gdpr.ttl", version)
    for concept in scheme.concepts:
        concept.flags["article"] = f"{number}({paragraph})({concept.code.rsplit('-', 1)[1]})"
    return scheme


def transfer_bases(graph: Graph, version: str) -> SchemeOut:
    """GDPR Chapter V bases for a transfer: Art. 45(3), the Art. 46 safeguards and the
    Art. 49 derogations (DPV's points, not its broader helper classes), each with its article."""
    iris = [
        s
        for s in graph.subjects(SKOS.inScheme, GDPR["legal-basis-data-transfer-classes"])
        if isinstance(s, URIRef) and local_name(str(s))[:2] in {"A4"}
    ]
    if not iris:
        raise ValueError("transfer-bases: no Art. 45/46/49 concepts in eu-gdpr.ttl")
    scheme = dpv_scheme(
        "transfer-bases", "GDPR Chapter V bases for transfers", graph, iris, "eu-gdpr.ttl", version
    )
    for concept in scheme.concepts:
        number, *points = concept.code.removeprefix("A").split("-")
        concept.flags["article"] = number + "".join(f"({point})" for point in points)
    # DPV's A49-2 is the compelling-legitimate-interests transfer, which the GDPR puts in the
    # second subparagraph of Art. 49(1) (its Art. 49(2) is about transfers from registers).
    for concept in scheme.concepts:
        if concept.code == "A49-2":
            concept.flags["article"] = "49(1), second subparagraph"
    return scheme


def build_dpv_schemes(source: Path) -> list[SchemeOut]:
    """All DPV-based schemes, read from the ``dpv/`` reference folder."""
    graph, version = load_dpv(source)
    return [
        gdpr_article(graph, version, "legal-bases", "GDPR Art. 6(1) legal bases", "6-1", "abcdef"),
        gdpr_article(
            graph,
            version,
            "special-category-conditions",
            "GDPR Art. 9(2) conditions for processing special categories",
            "9-2",
            "abcdefghij",
        ),
        purposes(graph, version),
        personal_data(graph, version),
        data_subjects(graph, version),
        measures(graph, version),
        transfer_bases(graph, version),
    ]
