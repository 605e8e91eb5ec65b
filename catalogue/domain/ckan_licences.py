"""The EU licence codes in the words of CKAN's licence register.

A receiving CKAN knows a licence only by an id of its register (``ckan/model/license.py``:
``cc-by``, ``odc-odbl``, ...), and ckanext-dcat's parser recognises a licence by the
register's URL or title. Each EU code maps to the register entry that says the same (all
versions of CC BY are CC's ``cc-by``; licences the register has no entry for fall back to
``other-open`` / ``other-at`` / ``other-closed`` by what the licence allows). Plain data:
the CKAN API and the DCAT mapping both read it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CkanLicence:
    id: str
    title: str
    url: str  # the register's URL ("" where the register gives none)

    @property
    def specific(self) -> bool:
        """A licence of its own in the register (not an "Other (...)" bucket)."""
        return not self.id.startswith(("other-", "notspecified"))


OPENDEFINITION = "http://www.opendefinition.org/licenses/"
REGISTER: dict[str, CkanLicence] = {
    licence.id: licence
    for licence in (
        CkanLicence("notspecified", "License not specified", ""),
        CkanLicence(
            "odc-pddl",
            "Open Data Commons Public Domain Dedication and License (PDDL)",
            OPENDEFINITION + "odc-pddl",
        ),
        CkanLicence(
            "odc-odbl",
            "Open Data Commons Open Database License (ODbL)",
            OPENDEFINITION + "odc-odbl",
        ),
        CkanLicence("odc-by", "Open Data Commons Attribution License", OPENDEFINITION + "odc-by"),
        CkanLicence("cc-zero", "Creative Commons CCZero", OPENDEFINITION + "cc-zero"),
        CkanLicence("cc-by", "Creative Commons Attribution", OPENDEFINITION + "cc-by"),
        CkanLicence(
            "cc-by-sa", "Creative Commons Attribution Share-Alike", OPENDEFINITION + "cc-by-sa"
        ),
        CkanLicence("gfdl", "GNU Free Documentation License", OPENDEFINITION + "gfdl"),
        CkanLicence("other-open", "Other (Open)", ""),
        CkanLicence("other-pd", "Other (Public Domain)", ""),
        CkanLicence("other-at", "Other (Attribution)", ""),
        CkanLicence(
            "cc-nc",
            "Creative Commons Non-Commercial (Any)",
            "http://creativecommons.org/licenses/by-nc/2.0/",
        ),
        CkanLicence("other-nc", "Other (Non-Commercial)", ""),
        CkanLicence("other-closed", "Other (Not Open)", ""),
    )
}
"""CKAN's default licence register (CKAN 2.9 to 2.12), id -> entry."""

_EXACT = {
    "CC0": "cc-zero",
    "GNU_FDL": "gfdl",
    "ODC_BL": "odc-odbl",
    "ODC_BY": "odc-by",
    "ODC_PDDL": "odc-pddl",
    "COM_REUSE": "other-at",  # Commission Decision 2011/833/EU: reuse with attribution
    "OP_DATPRO": "notspecified",  # "provisional data": no licence stated yet
}
_PREFIXES = (  # CC_BYNC (with CC_BYNCSA, CC_BYNCND) first, CC_BY last
    ("CC_BYNC", "cc-nc"),
    ("CC_BYND", "other-closed"),  # no derivatives: not open, and CKAN has no entry for it
    ("CC_BYSA", "cc-by-sa"),
    ("CC_BY", "cc-by"),
)


def ckan_licence(code: str | None, is_open: bool = False) -> CkanLicence | None:
    """The register entry for an EU licence code (None for no code)."""
    if not code:
        return None
    if code in _EXACT:
        return REGISTER[_EXACT[code]]
    for prefix, identifier in _PREFIXES:
        if code.startswith(prefix):
            return REGISTER[identifier]
    return REGISTER["other-open" if is_open else "other-closed"]
