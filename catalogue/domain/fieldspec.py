"""The vocabulary of the field registry: what one metadata field declares, for every layer.

A :class:`Field` says once where a value lives in the document, what kind of value it is and
how each layer treats it: the DCAT-AP mapping (both ways), the CKAN package, the search facets,
the steward form and the dataset page. A layer either handles the field generically from the
declaration, or the field names the module that handles it by hand (``custom``), or says why
the layer leaves it out (``never``). ``tests/test_field_registry.py`` walks the document model
and fails for any field a layer does not cover.

Plain Python: RDF terms are IRI strings, so the domain imports no RDF library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal[
    "langtext",  # {language: text}
    "text",  # one plain string
    "duration",  # an ISO 8601 period (``P1D``)
    "code",  # one vocabulary code
    "codes",  # a list of vocabulary codes
    "strings",  # a list of plain strings
    "urls",  # a list of web addresses
    "slug",  # one slug (another record)
    "slugs",  # a list of slugs
    "flag",  # a boolean
    "choice",  # one value of an enumeration
    "object",  # a nested structure (always custom)
    "objects",  # a list of nested structures (always custom)
]
Layer = Literal["dcat", "ckan", "search", "form", "page"]
LAYERS: tuple[Layer, ...] = ("dcat", "ckan", "search", "form", "page")
CkanEncoding = Literal["text", "langtext", "iri", "iris", "first-iri", "json", "flag"]
Section = Literal[
    "document", "basics", "technical", "semantic", "organisational", "legal", "personal"
]

# --- RDF namespaces, as strings ----------------------------------------------------------

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
DCATAP = "http://data.europa.eu/r5r/"
CAT = "https://w3id.org/strategic-data-catalogue/ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCAT_AP = "dcat-ap-3"
"""The one RDF profile today (DCAT-AP 3.0.1 with our ``cat:`` terms); a field may name others."""

OPEN, CLOSED, PERSONAL = "open", "closed", "personal"
ALL = frozenset({OPEN, CLOSED, PERSONAL})
ONLY_OPEN = frozenset({OPEN})
ONLY_CLOSED = frozenset({CLOSED})
ONLY_PERSONAL = frozenset({PERSONAL})

DEFAULT_WIDGETS: dict[str, str] = {
    "langtext": "langtext",
    "text": "text",
    "duration": "duration",
    "code": "select",
    "codes": "checkboxes",
    "strings": "lines",
    "urls": "lines",
    "slug": "select",
    "slugs": "lines",
    "flag": "checkbox",
}
"""The form control for each kind of value, unless a field names another."""


@dataclass(frozen=True)
class Rdf:
    """How a field's values appear in one RDF profile: one triple per value."""

    predicate: str
    types: tuple[str, ...] = ()  # rdf:type of each linked node (concept classes, dct:Standard)
    datatype: str | None = None  # of a literal (``xsd:duration``)


@dataclass(frozen=True)
class Ckan:
    """One key of the CKAN package: an extra, or a core key of the package dict."""

    key: str
    encoding: CkanEncoding
    core: bool = False


@dataclass(frozen=True)
class Widget:
    """The steward form's control: kind, choice list, for whom it is asked and needed."""

    kind: str
    choices: str | None = None  # a vocabulary key, or a key of the page's extra choice lists
    classes: frozenset[str] | None = None  # None: asked for every classification
    required: frozenset[str] = frozenset()  # classifications whose rules need it to publish
    folded: bool = True  # secondary languages folded away


@dataclass(frozen=True)
class Display:
    """The dataset page's row: label, what to say when empty (None: no row), how to link."""

    label: str
    empty: str | None = None
    yes: str = "Yes"
    no: str | None = None  # for a flag that is false; None: no row
    capfirst: bool = False
    link: str | None = None  # e.g. ``/search?q=`` followed by the url-encoded value


@dataclass(frozen=True)
class Facet:
    """A search filter and facet: its API name, its heading and where its values come from."""

    name: str
    label: str
    paths: tuple[str, ...]  # document paths (``technical.distributions[].format``)
    vocabulary: str | None = None
    boolean: bool = False  # values are "true"/"false" (absent counts as false)


@dataclass(frozen=True)
class Field:
    """One metadata field of the dataset document, declared once for every layer."""

    path: str
    kind: Kind
    label: str
    help: str = ""
    vocabulary: str | None = None
    rdf: dict[str, Rdf] = field(default_factory=dict)
    ckan: tuple[Ckan, ...] = ()
    widget: Widget | None = None  # None: the kind's default control
    page: Display | None = None  # None: a row labelled like the form
    section: Section | None = None  # None: the level the path starts with
    custom: dict[Layer, str] = field(default_factory=dict)  # layer -> module handling it
    never: dict[Layer, str] = field(default_factory=dict)  # layer -> why it is left out

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    @property
    def level(self) -> Section:
        return self.section or self.path.split(".", 1)[0]  # type: ignore[return-value]

    def generic(self, layer: Layer) -> bool:
        """Whether ``layer`` handles this field from the declaration alone."""
        if layer in self.custom or layer in self.never:
            return False
        if layer == "dcat":
            return bool(self.rdf)
        if layer == "ckan":
            return bool(self.ckan)
        if layer == "search":
            return False  # facets declare their paths; see ``fields.facets_of``
        return self.kind not in {"object", "objects", "choice"}

    def form_widget(self) -> Widget:
        return self.widget or Widget(DEFAULT_WIDGETS[self.kind], choices=self.vocabulary)

    def display(self) -> Display:
        return self.page or Display(self.label)


def dcat(predicate: str, *types: str, datatype: str | None = None) -> dict[str, Rdf]:
    """The DCAT-AP profile's declaration, the common case."""
    return {DCAT_AP: Rdf(predicate, tuple(types), datatype)}
