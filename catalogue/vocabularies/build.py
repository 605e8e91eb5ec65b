"""Generate the controlled vocabularies in ``vocabularies/`` from reference SKOS files.

Usage (from the project root)::

    python -m catalogue.vocabularies.build --source ../shared/vocabularies --out vocabularies
    python -m catalogue.vocabularies.build --source ../shared/vocabularies --check

Why a generator: the reference files are large, multi-purpose copies of EU
authority tables and of W3C DPV. The app needs small, uniform files (one
scheme per file, one ``skos:notation`` code per concept, catalogue flags such as
``cat:open``). We commit the generated files; this script documents, and lets
anyone repeat, how every fact in them was derived. Output is deterministic.

This module handles the EU tables; ``build_dpv`` handles the DPV-based schemes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.namespace import DC, DCTERMS, OWL, RDFS, SKOS

from catalogue.vocabularies.build_common import (
    EU_LANGUAGES,
    ConceptOut,
    SchemeOut,
    clean,
    lang_values,
    local_name,
    write_scheme,
)
from catalogue.vocabularies.build_dpv import build_dpv_schemes

AT = Namespace("http://publications.europa.eu/ontology/authority/")
AUTHORITY = "http://publications.europa.eu/resource/authority/"
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
PLACEHOLDER_CODE = "OP_DATPRO"  # "Provisional data": in every OP table, not a real value

EU_RIGHTS = (
    "© European Union (EU Vocabularies, Publications Office of the EU); reuse authorised "
    "under Commission Decision 2011/833/EU, with attribution."
)
ADMS_RIGHTS = "© European Union (SEMIC / ISA, ADMS 1.0); ISA Open Metadata Licence 1.1."

# Where each reference file was vendored from (see SOURCE.md next to the files).
_PIVEAU = "piveau-data/piveau-vocabularies@7b29f2a4 src/main/resources/"
_EUROPARL = "europarl/open-data-beta-testing@92a74f9a controlled-vocabularies/"
_METADATA101 = "metadata101/dcat-ap@8e0298b0 resources/thesauri/theme/"
ORIGINS: dict[str, str] = {
    "data-theme-skos.rdf": _PIVEAU + "data-theme-skos.rdf",
    "licences-skos.rdf": _PIVEAU + "licences-skos.rdf",
    "filetypes-skos.rdf": _EUROPARL + "filetypes-skos.rdf",
    "countries-skos.rdf": _EUROPARL + "countries-skos.rdf",
    "frequency.ttl": (
        "opendata-swiss/ckanext-dcatapchharvest@7714876a ckanext/dcatapchharvest/frequency.ttl"
    ),
    "language.rdf": _METADATA101 + "language.rdf",
    "access-right.rdf": _METADATA101 + "access-right.rdf",
    "distribution-status.rdf": (
        "metadata101/dcat-ap@caecc3a2 resources/thesauri/theme/distribution-status.rdf"
    ),
    "publisher-type.rdf": _METADATA101 + "publisher-type.rdf",
    "high-value-dataset-category.rdf": (
        "PDOK/nl-service-metadata-generator@d9f3e1f8 "
        "src/nl_service_metadata_generator/data/xml/high-value-dataset-category.rdf"
    ),
}

# The EU official languages, then other languages often met in public-sector data in and
# around the EU. The reference table has 399 entries (many sign languages); forms need fewer.
LANGUAGE_CODES: tuple[str, ...] = (
    # EU official languages
    "BUL",
    "CES",
    "DAN",
    "DEU",
    "ELL",
    "ENG",
    "EST",
    "FIN",
    "FRA",
    "GLE",
    "HRV",
    "HUN",
    "ITA",
    "LAV",
    "LIT",
    "MLT",
    "NLD",
    "POL",
    "POR",
    "RON",
    "SLK",
    "SLV",
    "SPA",
    "SWE",
    # regional / co-official languages in the EU, Romani, Yiddish, Latin
    "CAT",
    "EUS",
    "GLG",
    "LTZ",
    "CYM",
    "GLA",
    "FRY",
    "SME",
    "ROM",
    "YID",
    "LAT",
    # EEA and neighbouring countries
    "ISL",
    "NOR",
    "NOB",
    "NNO",
    "SQI",
    "BOS",
    "SRP",
    "MKD",
    "CNR",
    "TUR",
    "UKR",
    "RUS",
    "BEL",
    "KAT",
    "HYE",
    "AZE",
    # main languages of migration and international exchange
    "ARA",
    "FAS",
    "HEB",
    "HIN",
    "URD",
    "BEN",
    "PAN",
    "TAM",
    "ZHO",
    "JPN",
    "KOR",
    "VIE",
    "THA",
    "IND",
    "FIL",
    "KUR",
    "TIR",
    "SOM",
    "PUS",
    "SWA",
    "AMH",
    # special codes: multiple, undetermined, no linguistic content, uncoded, sign languages
    "MUL",
    "UND",
    "ZXX",
    "MIS",
    "SGN",
)

# Open Definition conformance of the licences in the table that are not Creative Commons
# (CC codes follow a rule, see licence_flags). A licence missing here stops the build,
# so an updated table forces a conscious decision.
OPEN_LICENCES: dict[str, bool] = {
    "ODC_PDDL": True,  # Open Data Commons PDDL: OD-conformant (recommended)
    "ODC_BY": True,  # Open Data Commons Attribution: OD-conformant (recommended)
    "ODC_BL": True,  # Open Data Commons ODbL: OD-conformant (recommended)
    "GNU_FDL": True,  # listed as OD-conformant
    "COM_REUSE": True,  # Decision 2011/833/EU: any reuse, commercial or not, with attribution
    "ISA_OML": True,  # attribution-only metadata licence: use, modify, redistribute freely
    "EUPL_1_2": True,  # OSI-approved copyleft licence
    "EUPL_1_1": True,  # OSI-approved copyleft licence
    "EUPL_1_0": True,  # same grant as 1.1 (which OSI approved); copyleft with attribution
    "OP_DATPRO": False,  # "Provisional data": a placeholder, not a licence
}


@dataclass(frozen=True)
class EuTable:
    """How one EU table maps to one of our files."""

    key: str
    filename: str
    customise: Callable[[SchemeOut, Graph, Path], None] | None = None


def eu_code(graph: Graph, concept: URIRef) -> str:
    """Authority code first (the code DCAT-AP uses), then notation, identifier, IRI end."""
    for predicate in (AT["authority-code"], SKOS.notation, DC.identifier):
        value = graph.value(concept, predicate)
        if value is not None and clean(value):
            return clean(value)
    return local_name(str(concept))


def scheme_labels(graph: Graph, scheme: URIRef) -> dict[str, str]:
    """English scheme label from prefLabel, else a title (some files only have dc:title)."""
    labels = lang_values(graph, scheme, SKOS.prefLabel, ["en"])
    if labels:
        return labels
    for predicate in (DC.title, DCTERMS.title, RDFS.label):
        value = graph.value(scheme, predicate)
        if value is not None:
            return {"en": clean(value)}
    raise ValueError(f"no label for scheme {scheme}")


def read_eu_table(table: EuTable, source: Path) -> SchemeOut:
    """Read one reference file into our model (EU-language labels, definitions, broader)."""
    path = source / table.filename
    graph = Graph().parse(path)
    schemes = list(graph.subjects(RDF.type, SKOS.ConceptScheme))
    if len(schemes) != 1:
        raise ValueError(f"{path}: expected one concept scheme, found {len(schemes)}")
    scheme_iri = schemes[0]
    assert isinstance(scheme_iri, URIRef)
    version = graph.value(scheme_iri, OWL.versionInfo)
    version_note = f", version {clean(version)}" if version is not None else ""
    scheme = SchemeOut(
        key=table.key,
        iri=str(scheme_iri),
        labels=scheme_labels(graph, scheme_iri),
        source=(
            f"{scheme_iri}{version_note}; read from {table.filename} ({ORIGINS[table.filename]})"
        ),
        rights=ADMS_RIGHTS if "purl.org/adms" in str(scheme_iri) else EU_RIGHTS,
    )
    for concept in sorted(cast(Iterable[URIRef], graph.subjects(SKOS.inScheme, scheme_iri))):
        if not isinstance(concept, URIRef) or (concept, RDF.type, SKOS.Concept) not in graph:
            continue
        out = ConceptOut(
            iri=str(concept),
            code=eu_code(graph, concept),
            labels=lang_values(graph, concept, SKOS.prefLabel, EU_LANGUAGES),
            definitions=lang_values(graph, concept, SKOS.definition, EU_LANGUAGES),
            broader={str(b) for b in graph.objects(concept, SKOS.broader)},
        )
        if str(graph.value(concept, AT.deprecated)).lower() == "true":
            out.flags["deprecated"] = True
        if out.code == PLACEHOLDER_CODE:
            out.flags["placeholder"] = True
        scheme.concepts.append(out)
    if table.customise is not None:
        table.customise(scheme, graph, source)
    return scheme.finalise()


# --- per-table customisation ---------------------------------------------------------------


def add_restricted(scheme: SchemeOut, graph: Graph, source: Path) -> None:
    """The vendored access-right table stops at PUBLIC/NON_PUBLIC; DCAT-AP 3 also needs RESTRICTED.

    The code is confirmed by the code list in access-right.csv.rdf; the label is the official one.
    """
    code_list = Graph().parse(source / "access-right.csv.rdf")
    iri = f"{AUTHORITY}access-right/RESTRICTED"
    if (URIRef(iri), None, None) not in code_list:
        raise ValueError("RESTRICTED is not in access-right.csv.rdf")
    scheme.concepts.append(ConceptOut(iri=iri, code="RESTRICTED", labels={"en": "restricted"}))
    scheme.source += "; RESTRICTED written from its official IRI (listed in access-right.csv.rdf)"


def licence_flags(scheme: SchemeOut, graph: Graph, source: Path) -> None:
    """``cat:open`` on every licence: Open Definition conformant or not."""
    for concept in scheme.concepts:
        code = concept.code
        if code == "CC0":
            is_open = True
        elif code.startswith("CC_BY"):
            # CC BY and CC BY-SA are conformant; NonCommercial / NoDerivatives variants are not.
            variant = code.split("_")[1]
            is_open = "NC" not in variant and "ND" not in variant
        elif code in OPEN_LICENCES:
            is_open = OPEN_LICENCES[code]
        else:
            raise ValueError(f"licences: decide whether {code} is open (OPEN_LICENCES in build.py)")
        concept.flags["open"] = is_open


COUNTRY_GEOMETRY: dict[str, tuple[str, str]] = {
    # code: (bounding box west,south,east,north; centre lon lat), WGS 84 degrees, written by
    # hand (rounded to 0.01 degree, the mainland and islands included) for the countries the
    # catalogue's data covers and their neighbours. The centre of Slovenia is its geographic
    # centre (GEOSS, near Slivna); the others are the centres of their areas, approximately.
    "SVN": ("13.38,45.42,16.61,46.88", "14.8157 46.1199"),
    "AUT": ("9.53,46.37,17.16,49.02", "14.14 47.59"),
    "HRV": ("13.49,42.39,19.45,46.55", "15.20 45.10"),
    "HUN": ("16.11,45.74,22.90,48.59", "19.50 47.16"),
    "ITA": ("6.63,35.49,18.52,47.09", "12.57 42.50"),
}


def country_geometry(scheme: SchemeOut, graph: Graph, source: Path) -> None:
    """``cat:bbox`` and ``cat:centroid`` for the countries in :data:`COUNTRY_GEOMETRY`."""
    for concept in scheme.concepts:
        if concept.code in COUNTRY_GEOMETRY:
            concept.flags["bbox"], concept.flags["centroid"] = COUNTRY_GEOMETRY[concept.code]


def media_types(scheme: SchemeOut, graph: Graph, source: Path) -> None:
    """``cat:mediaType``: the table's Cellar MIME type, only when it is a registered IANA type."""
    iana_graph = Graph().parse(source / "media-types.csv.rdf")
    registered = {
        str(s).removeprefix(IANA_MEDIA_TYPES)
        for s in iana_graph.subjects()
        if str(s).startswith(IANA_MEDIA_TYPES)
    }
    for concept in scheme.concepts:
        candidates: set[str] = set()
        for mapped in graph.objects(URIRef(concept.iri), AT["op-mapped-code"]):
            if str(graph.value(mapped, DC.source)) == "mime-type-cellar":
                value = graph.value(mapped, AT["legacy-code"])
                if value is not None:
                    # Drop OP's private parameters such as ";type=pdfa1a".
                    candidates.add(clean(value).split(";")[0].strip())
        valid = sorted(c for c in candidates if c in registered)
        if valid:
            concept.flags["mediaType"] = valid[0]
    scheme.source += "; media types checked against the IANA list in media-types.csv.rdf"


def select_languages(scheme: SchemeOut, graph: Graph, source: Path) -> None:
    """Keep the EU official languages and a curated set of other common languages."""
    by_code = {c.code: c for c in scheme.concepts}
    missing = [code for code in LANGUAGE_CODES if code not in by_code]
    if missing:
        raise ValueError(f"languages not in the reference table: {missing}")
    scheme.concepts = [by_code[code] for code in LANGUAGE_CODES]
    scheme.source += f"; selection of {len(LANGUAGE_CODES)} languages"


EU_TABLES: tuple[EuTable, ...] = (
    EuTable("themes", "data-theme-skos.rdf"),
    EuTable("access-rights", "access-right.rdf", add_restricted),
    EuTable("frequencies", "frequency.ttl"),
    EuTable("file-types", "filetypes-skos.rdf", media_types),
    EuTable("licences", "licences-skos.rdf", licence_flags),
    EuTable("languages", "language.rdf", select_languages),
    EuTable("countries", "countries-skos.rdf", country_geometry),
    EuTable("distribution-status", "distribution-status.rdf"),
    EuTable("hvd-categories", "high-value-dataset-category.rdf"),
    EuTable("publisher-types", "publisher-type.rdf"),
)


def planned_availability() -> SchemeOut:
    """No copy of this small table was available; its four official IRIs and labels are known."""
    base = f"{AUTHORITY}planned-availability"
    scheme = SchemeOut(
        key="planned-availability",
        iri=base,
        labels={"en": "Planned availability"},
        source=f"{base}; written from the official concept IRIs and English labels (no copy)",
        rights=EU_RIGHTS,
    )
    for code in ("AVAILABLE", "EXPERIMENTAL", "STABLE", "TEMPORARY"):
        concept = ConceptOut(iri=f"{base}/{code}", code=code, labels={"en": code.lower()})
        scheme.concepts.append(concept)
    return scheme.finalise()


def build_all(source: Path) -> list[SchemeOut]:
    """Every scheme the catalogue loads, EU tables first."""
    schemes = [read_eu_table(table, source) for table in EU_TABLES]
    schemes.append(planned_availability())
    schemes.extend(build_dpv_schemes(source / "dpv"))
    return schemes


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; ``--check`` exits 1 when committed files are stale."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True, help="reference vocabularies folder")
    parser.add_argument("--out", type=Path, default=Path("vocabularies"), help="output folder")
    parser.add_argument("--check", action="store_true", help="only report files that would change")
    args = parser.parse_args(argv)

    changed: list[str] = []
    for scheme in build_all(args.source):
        flag_counts: dict[str, int] = {}
        for concept in scheme.concepts:
            for name in concept.flags:
                flag_counts[name] = flag_counts.get(name, 0) + 1
        if write_scheme(scheme, args.out, check=args.check):
            changed.append(scheme.key)
        flags = ", ".join(f"{n}={c}" for n, c in sorted(flag_counts.items()))
        print(f"{scheme.key:28} {len(scheme.concepts):4} concepts  {flags}")
    verb = "would change" if args.check else "written"
    print(f"{len(changed)} file(s) {verb}: {', '.join(changed) or '-'}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
