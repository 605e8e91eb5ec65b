"""The field registry: every metadata field of the dataset document, declared once.

The DCAT-AP mapping both ways (:mod:`catalogue.dcat.fields`), the CKAN package, the search
facets, the steward form and the dataset page read these declarations, so a plain field is
added here (plus the document model, plus its vocabulary when it has one) and nowhere else.
Fields too rich for a declaration (distributions, attributes, the personal-data block ...)
name the module that handles them in ``custom``. The order is the form's and the page's.
See :mod:`catalogue.domain.fieldspec` for what each declaration means.
"""

from __future__ import annotations

from typing import cast

from catalogue.domain.fieldspec import (
    ALL,
    CAT,
    DCAT,
    DCATAP,
    DCT,
    ONLY_OPEN,
    XSD,
    Ckan,
    Display,
    Facet,
    Field,
    Layer,
    Section,
    Widget,
    dcat,
)

MAPPING, REVERSE = "catalogue.dcat.mapping", "catalogue.dcat.reverse"
REVERSE_LEGAL = "catalogue.dcat.reverse_legal"  # the reverse mapping's legal level
PACKAGE, INDEX = "catalogue.ckan.package", "catalogue.search.schema"
FORM, PAGE = "catalogue.ui.forms.schema", "ui/templates/dataset.html"
DPV_MODULE = "catalogue.dcat.dpv"
BY_HAND: dict[Layer, str] = {
    "dcat": f"{MAPPING}, {REVERSE}",
    "ckan": PACKAGE,
    "form": FORM,
    "page": PAGE,
}
"""Where the hand-written fields are handled (the nested structures)."""


def by_hand(**changes: str) -> dict[Layer, str]:
    """:data:`BY_HAND` with some layers elsewhere (or, given "", in none)."""
    merged: dict[str, str] = {**cast("dict[str, str]", BY_HAND), **changes}
    return {cast(Layer, layer): module for layer, module in merged.items() if module}


NOT_A_FACET = "not a search filter"

FIELDS: tuple[Field, ...] = (
    # --- the document itself ---------------------------------------------------------------
    Field(
        "slug",
        "slug",
        "Short name for the web address",
        section="document",
        custom=by_hand(search=INDEX),
    ),
    Field(
        "classification",
        "choice",
        "Classification",
        section="document",
        custom=by_hand(page="catalogue.ui.dataset_view"),
    ),
    Field("status", "choice", "Status", section="document", custom=BY_HAND),
    Field(
        "internal_note",
        "text",
        "Internal note",
        section="document",
        custom={"form": FORM},
        never={
            "dcat": "for stewards only: never published",
            "ckan": "never published",
            "page": "never shown to the public",
            "search": "never indexed",
        },
    ),
    # --- basics -----------------------------------------------------------------------------
    Field(
        "title",
        "langtext",
        "Title",
        "A short name people would search for.",
        rdf=dcat(DCT + "title"),
        section="basics",
        widget=Widget("langtext", required=ALL, folded=False),
        custom={"ckan": PACKAGE, "page": PAGE, "search": INDEX},
    ),
    Field(
        "description",
        "langtext",
        "Description",
        "What the data holds, who it is for, and what it is not.",
        rdf=dcat(DCT + "description"),
        section="basics",
        widget=Widget("langtext", required=ALL, folded=False),
        custom={"ckan": PACKAGE, "page": PAGE, "search": INDEX},
    ),
    # --- technical level --------------------------------------------------------------------
    Field("technical.distributions", "objects", "Distributions", custom=BY_HAND),
    Field("technical.data_services", "objects", "Data services (APIs)", custom=BY_HAND),
    Field("technical.attributes", "objects", "Attributes (columns)", custom=by_hand(search=INDEX)),
    Field("technical.temporal", "object", "Time period covered", custom=BY_HAND),
    Field(
        "technical.spatial",
        "codes",
        "Countries covered",
        vocabulary="countries",
        rdf=dcat(DCT + "spatial", DCT + "Location"),
        ckan=(Ckan("spatial_uri", "first-iri"), Ckan("spatial_coverage", "iris")),
        page=Display("Area covered", empty="Not given"),
        never={"search": NOT_A_FACET},
    ),
    Field(
        "technical.bounding_box",
        "text",
        "Bounding box",
        "The area covered as west,south,east,north in decimal degrees (WGS 84), e.g. "
        "13.38,45.42,16.61,46.88. Without it, the countries' own boxes are published.",
        page=Display("Bounding box"),
        custom={
            "dcat": "catalogue.dcat.spatial, catalogue.dcat.reverse",
            "ckan": f"{PACKAGE} (the spatial extras)",
        },
        never={"search": NOT_A_FACET},
    ),
    Field(
        "technical.frequency",
        "code",
        "How often it is updated",
        vocabulary="frequencies",
        rdf=dcat(DCT + "accrualPeriodicity", DCT + "Frequency"),
        ckan=(Ckan("frequency", "iri"),),
        page=Display("Updated", empty="Not given", capfirst=True),
        never={"search": NOT_A_FACET},
    ),
    Field(
        "technical.version",
        "text",
        "Version",
        rdf=dcat(DCAT + "version"),
        ckan=(Ckan("version", "text", core=True),),
    ),
    Field(
        "technical.temporal_resolution",
        "duration",
        "Time resolution",
        "The smallest period the data tells apart, as a period: P1D is daily, P1M monthly, "
        "P1Y yearly.",
        rdf=dcat(DCAT + "temporalResolution", datatype=XSD + "duration"),
        ckan=(Ckan("temporal_resolution", "text"),),
        page=Display("Time resolution"),
    ),
    # --- semantic level ---------------------------------------------------------------------
    Field(
        "semantic.themes",
        "codes",
        "Themes",
        "The EU data themes the dataset belongs to; choose at least one.",
        vocabulary="themes",
        rdf=dcat(DCAT + "theme"),
        ckan=(Ckan("theme", "iris"),),
        widget=Widget("checkboxes", choices="themes", required=ALL),
        page=Display("Themes", empty="Not given"),
    ),
    Field(
        "semantic.keywords",
        "strings",
        "Keywords",
        "Words people may search for; one per line.",
        rdf=dcat(DCAT + "keyword"),
        page=Display("Keywords", empty="None", link="/search?q="),
        custom={"ckan": f"{PACKAGE} (tags)", "search": INDEX},
    ),
    Field(
        "semantic.languages",
        "codes",
        "Languages of the data",
        vocabulary="languages",
        rdf=dcat(DCT + "language", DCT + "LinguisticSystem"),
        ckan=(Ckan("language", "iris"),),
        page=Display("Languages", empty="Not given"),
    ),
    Field(
        "semantic.hvd_categories",
        "codes",
        "High-value dataset categories",
        "Only if EU law lists the dataset as high-value.",
        vocabulary="hvd-categories",
        rdf=dcat(DCATAP + "hvdCategory"),
        ckan=(Ckan("hvd_category", "iris"),),
        widget=Widget("checkboxes", choices="hvd-categories", classes=ONLY_OPEN),
        page=Display("High-value dataset"),
    ),
    Field(
        "semantic.conforms_to",
        "urls",
        "Standards or schemas it follows",
        "One address per line.",
        rdf=dcat(DCT + "conformsTo", DCT + "Standard"),
        ckan=(Ckan("conforms_to", "json"),),
        page=Display("Follows standards"),
    ),
    Field(
        "semantic.related",
        "slugs",
        "Related datasets",
        "The short names (as in their web address) of related datasets; one per line.",
        custom={
            "dcat": f"{MAPPING}, {REVERSE}",
            "ckan": PACKAGE,
            "page": "catalogue.ui.dataset_page",
        },
    ),
    # --- organisational level ---------------------------------------------------------------
    Field(
        "organisational.publisher",
        "slug",
        "Publishing organisation",
        "It decides who may edit the dataset.",
        widget=Widget("select", choices="organisations", required=ALL),
        custom={"dcat": f"{MAPPING}, {REVERSE}", "ckan": PACKAGE, "page": PAGE},
    ),
    Field(
        "organisational.owner_unit",
        "text",
        "Unit that owns the data",
        rdf=dcat(CAT + "ownerUnit"),
        ckan=(Ckan("owner_unit", "text"),),
        page=Display("Responsible unit"),
    ),
    Field("organisational.contact_point", "object", "Contact point", custom=BY_HAND),
    Field(
        "organisational.steward",
        "object",
        "Data steward",
        custom=by_hand(ckan=""),
        never={"ckan": "neither CKAN nor ckanext-dcat has a key for it (DCAT: cat:steward)"},
    ),
    Field(
        "organisational.is_base_register",
        "flag",
        "This is a base register (other public bodies must take these facts from it)",
        rdf=dcat(CAT + "baseRegister"),
        ckan=(Ckan("base_register", "flag"),),
        page=Display(
            "Base register", yes="Yes: an authoritative register other services rely on", no="No"
        ),
    ),
    Field(
        "organisational.identifier_schemes",
        "codes",
        "Identifiers it can be joined on",
        vocabulary="identifier-schemes",
        ckan=(Ckan("identifier_schemes", "json"),),
        custom={"dcat": f"{MAPPING}, {REVERSE}", "page": PAGE},
    ),
    # --- legal level ------------------------------------------------------------------------
    Field(
        "legal.access_rights",
        "code",
        "Who may access the data",
        "Open data is public; closed and personal data are restricted or not public.",
        vocabulary="access-rights",
        rdf=dcat(DCT + "accessRights", DCT + "RightsStatement"),
        ckan=(Ckan("access_rights", "iri"),),
        widget=Widget("select", choices="access-rights", required=ALL),
        page=Display("Access", empty="Not given", capfirst=True),
        never={"search": NOT_A_FACET},
    ),
    Field(
        "legal.licence",
        "code",
        "Licence",
        "Open data needs an open licence such as CC BY 4.0 or CC0.",
        vocabulary="licences",
        rdf=dcat(DCT + "license", DCT + "LicenseDocument"),
        widget=Widget("select", choices="licences", classes=ONLY_OPEN, required=ONLY_OPEN),
        custom={"ckan": f"{PACKAGE} (license_id)", "page": PAGE},
    ),
    Field(
        "legal.anonymised",
        "flag",
        "The data has been anonymised: no person can be identified",
        rdf=dcat(CAT + "anonymised"),
        widget=Widget("checkbox", classes=ONLY_OPEN),
        page=Display("Anonymised", yes="Yes: no person can be identified"),
        custom={"ckan": f"{PACKAGE} (only for personal data)"},
        never={"search": NOT_A_FACET},
    ),
    Field(
        "legal.restriction",
        "object",
        "Why access is restricted",
        custom=by_hand(dcat=f"{MAPPING}, {REVERSE_LEGAL}"),
    ),
    Field(
        "legal.legislation",
        "objects",
        "Laws that apply",
        custom=by_hand(dcat=f"{MAPPING}, {REVERSE_LEGAL}"),
    ),
    Field(
        "legal.rights",
        "langtext",
        "Other rights statements",
        ckan=(Ckan("rights", "langtext"),),
        page=Display("Rights"),
        custom={"dcat": f"{MAPPING}, {REVERSE_LEGAL} (a dct:RightsStatement node)"},
    ),
    Field(
        "legal.personal_data",
        "object",
        "Personal data (GDPR)",
        section="personal",
        custom=by_hand(dcat=f"{DPV_MODULE}, {REVERSE_LEGAL}"),
    ),
)

FACETS: tuple[Facet, ...] = (
    Facet("classification", "Classification", ("classification",)),
    Facet("theme", "Theme", ("semantic.themes[]",), "themes"),
    Facet("publisher", "Publisher", ("organisational.publisher",)),
    Facet("format", "Format", ("technical.distributions[].format",), "file-types"),
    Facet("licence", "Licence", ("legal.licence", "technical.distributions[].licence"), "licences"),
    Facet(
        "identifier",
        "Identifier scheme",
        ("organisational.identifier_schemes[]", "technical.attributes[].identifier_scheme"),
    ),
    Facet("base_register", "Base register", ("organisational.is_base_register",), boolean=True),
    Facet("hvd", "High-value dataset category", ("semantic.hvd_categories[]",), "hvd-categories"),
    Facet("status", "Status", ("status",)),
    Facet("language", "Language", ("semantic.languages[]",), "languages"),
)
"""Search filters and facets, in the order the search page shows them."""

BY_PATH: dict[str, Field] = {item.path: item for item in FIELDS}


def field(path: str) -> Field:
    return BY_PATH[path]


def in_section(section: Section) -> tuple[Field, ...]:
    """The fields of one part of the form and the page, in order."""
    return tuple(item for item in FIELDS if item.level == section)


def generic(layer: Layer) -> tuple[Field, ...]:
    """The fields ``layer`` handles from their declaration."""
    return tuple(item for item in FIELDS if item.generic(layer))


def facets_of(path: str) -> tuple[Facet, ...]:
    """The facets whose values come from the field at ``path`` (or below it)."""
    return tuple(
        facet
        for facet in FACETS
        if any(
            source.replace("[]", "") == path
            or source.startswith(path + "[]")
            or source.startswith(path + ".")
            for source in facet.paths
        )
    )
