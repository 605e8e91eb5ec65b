"""The RDF vocabularies DCAT-AP 3.0.1 and DPV use, bound once so every output shares prefixes."""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ODRL2, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD


class _Terms(Namespace):
    """A namespace that makes each term once: rdflib builds and checks a new URIRef on every
    ``NS.term`` access, which was a tenth of the time of mapping a dataset."""

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        term = self.term(name)
        self.__dict__[name] = term
        return term


DCAT = _Terms("http://www.w3.org/ns/dcat#")
ADMS = _Terms("http://www.w3.org/ns/adms#")
CAT = _Terms("https://w3id.org/strategic-data-catalogue/ns#")
DCATAP = _Terms("http://data.europa.eu/r5r/")
DPV = _Terms("https://w3id.org/dpv#")
ELI = _Terms("http://data.europa.eu/eli/ontology#")
GSP = _Terms("http://www.opengis.net/ont/geosparql#")
HYDRA = _Terms("http://www.w3.org/ns/hydra/core#")
LOCN = _Terms("http://www.w3.org/ns/locn#")
SPDX = _Terms("http://spdx.org/rdf/terms#")
VCARD = _Terms("http://www.w3.org/2006/vcard/ns#")
DCT = DCTERMS

IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
ADMS_DEPRECATED = "http://purl.org/adms/status/Deprecated"

PREFIXES: dict[str, Namespace] = {
    "adms": ADMS,
    "cat": CAT,
    "dcat": Namespace(str(DCAT)),
    "dcatap": DCATAP,
    "dct": Namespace(str(DCTERMS)),
    "dpv": DPV,
    "eli": ELI,
    "foaf": Namespace(str(FOAF)),
    "gsp": GSP,
    "hydra": HYDRA,
    "locn": LOCN,
    "odrl": Namespace(str(ODRL2)),
    "owl": Namespace(str(OWL)),
    "prov": Namespace(str(PROV)),
    "rdfs": Namespace(str(RDFS)),
    "skos": Namespace(str(SKOS)),
    "spdx": SPDX,
    "time": Namespace(str(TIME)),
    "vcard": VCARD,
    "xsd": Namespace(str(XSD)),
}


def new_graph() -> Graph:
    """An empty graph with our prefixes (and none of rdflib's defaults we do not use)."""
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


__all__ = [
    "ADMS",
    "CAT",
    "DCAT",
    "DCATAP",
    "DCT",
    "DPV",
    "ELI",
    "FOAF",
    "GSP",
    "HYDRA",
    "LOCN",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SKOS",
    "SPDX",
    "VCARD",
    "XSD",
    "new_graph",
]
