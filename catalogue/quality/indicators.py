"""The indicators of data.europa.eu's Metadata Quality Assessment (MQA), as our own table.

The facts (IRIs, dimensions, points) are those of piveau's DQV vocabulary
(``pv:trueScore``/``pv:falseScore`` of each ``dqv:Metric``, piveau-vocabularies 0.3.0) and
its rating scheme; the labels and the advice are ours. Two corrections of that file: its
access-rights metrics name ``pv:reusablity`` (a typo) as their dimension, counted here in
reusability, which gives the 405 points the MQA methodology states; and the dates, which
the file says are read "in a distribution", are read on the dataset too, as piveau's
scoring does (counted once). ``tests/test_quality_indicators.py`` compares this table with
the vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PV = "https://piveau.eu/ns/voc#"
SCORING = "https://piveau.eu/ns/scoring#"
DQV = "http://www.w3.org/ns/dqv#"

Level = Literal["dataset", "distribution"]


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    definition: str

    @property
    def iri(self) -> str:
        return PV + self.key

    @property
    def scoring_iri(self) -> str:
        """The measurement of this dimension's points (``pv:findabilityScoring`` ...)."""
        return PV + self.key + "Scoring"


@dataclass(frozen=True)
class Indicator:
    key: str  # the metric's local name in the piveau vocabulary
    dimension: str
    level: Level
    points: int  # pv:trueScore
    label: str
    advice: str  # what a steward does to gain the points, in plain words
    false_points: int = 0  # pv:falseScore (negative for a missing format or media type)
    kind: Literal["boolean", "status"] = "boolean"

    @property
    def iri(self) -> str:
        return PV + self.key


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("findability", "Findability", "People and machines can find the dataset."),
    Dimension("accessibility", "Accessibility", "The data can be reached at its addresses."),
    Dimension(
        "interoperability", "Interoperability", "The data comes in open, machine-readable formats."
    ),
    Dimension("reusability", "Reusability", "The terms of reuse and who to ask are stated."),
    Dimension("contextuality", "Contextuality", "Context: rights, size and dates of the data."),
)

INDICATORS: tuple[Indicator, ...] = (
    # findability
    Indicator(
        "keywordAvailability",
        "findability",
        "dataset",
        30,
        "Keywords",
        "Add keywords people would search for.",
    ),
    Indicator(
        "categoryAvailability",
        "findability",
        "dataset",
        30,
        "Themes",
        "Choose at least one EU data theme.",
    ),
    Indicator(
        "spatialAvailability",
        "findability",
        "dataset",
        20,
        "Area covered",
        "Say which country or area the data covers.",
    ),
    Indicator(
        "temporalAvailability",
        "findability",
        "dataset",
        20,
        "Time period covered",
        "Give the start (and end, if any) of the period the data covers.",
    ),
    # accessibility
    Indicator(
        "accessUrlStatusCode",
        "accessibility",
        "distribution",
        50,
        "Access address answers",
        "Make the distribution's access address answer (HTTP 2xx), or correct it.",
        kind="status",
    ),
    Indicator(
        "downloadUrlAvailability",
        "accessibility",
        "distribution",
        20,
        "Download address",
        "Give a direct download address for the file.",
    ),
    Indicator(
        "downloadUrlStatusCode",
        "accessibility",
        "distribution",
        30,
        "Download address answers",
        "Make the download address answer (HTTP 2xx), or correct it.",
        kind="status",
    ),
    # interoperability
    Indicator(
        "formatAvailability",
        "interoperability",
        "distribution",
        20,
        "File format",
        "State the file format of the distribution.",
        false_points=-5,
    ),
    Indicator(
        "mediaTypeAvailability",
        "interoperability",
        "distribution",
        10,
        "Media type",
        "State the media type (e.g. text/csv) of the distribution.",
        false_points=-5,
    ),
    Indicator(
        "formatMediaTypeVocabularyAlignment",
        "interoperability",
        "distribution",
        10,
        "Format and media type from the vocabularies",
        "Give both a format from the EU file-type list and a media type registered with IANA.",
    ),
    Indicator(
        "formatMediaTypeNonProprietary",
        "interoperability",
        "distribution",
        20,
        "Non-proprietary format",
        "Offer the data in an open format (CSV, JSON, XML, GeoPackage, ...).",
    ),
    Indicator(
        "formatMediaTypeMachineInterpretable",
        "interoperability",
        "distribution",
        20,
        "Machine-readable format",
        "Offer the data in a machine-readable format (CSV, JSON, XML, ...), not only "
        "as a web page or PDF.",
    ),
    Indicator(
        "dcatApCompliance",
        "interoperability",
        "dataset",
        30,
        "DCAT-AP compliance",
        "Fix what the DCAT-AP check reports (see the dataset's problems).",
    ),
    # reusability
    Indicator(
        "licenceAvailability",
        "reusability",
        "distribution",
        20,
        "Licence",
        "State the licence of the distribution.",
    ),
    Indicator(
        "knownLicence",
        "reusability",
        "distribution",
        10,
        "Known licence",
        "Choose the licence from the EU licence list.",
    ),
    Indicator(
        "accessRightsAvailability",
        "reusability",
        "dataset",
        10,
        "Access rights",
        "State the access rights (public, restricted or non-public).",
    ),
    Indicator(
        "accessRightsVocabularyAlignment",
        "reusability",
        "dataset",
        5,
        "Access rights from the vocabulary",
        "Choose the access rights from the EU access-right list.",
    ),
    Indicator(
        "contactPointAvailability",
        "reusability",
        "dataset",
        20,
        "Contact point",
        "Give a contact point (an e-mail address or a web form).",
    ),
    Indicator(
        "publisherAvailability",
        "reusability",
        "dataset",
        10,
        "Publisher",
        "Name the publishing organisation.",
    ),
    # contextuality
    Indicator(
        "rightsAvailability",
        "contextuality",
        "distribution",
        5,
        "Rights statement",
        "Add a rights statement to the distribution (how to cite, what is allowed).",
    ),
    Indicator(
        "byteSizeAvailability",
        "contextuality",
        "distribution",
        5,
        "File size",
        "Give the size of the file in bytes.",
    ),
    Indicator(
        "dateIssuedAvailability",
        "contextuality",
        "dataset",
        5,
        "Date issued",
        "Publish the dataset: the catalogue records the date it was first issued.",
    ),
    Indicator(
        "dateModifiedAvailability",
        "contextuality",
        "dataset",
        5,
        "Date modified",
        "Save the dataset: the catalogue records when it last changed.",
    ),
)

BY_KEY: dict[str, Indicator] = {indicator.key: indicator for indicator in INDICATORS}
DIMENSION_BY_KEY: dict[str, Dimension] = {dimension.key: dimension for dimension in DIMENSIONS}
MAX_POINTS: dict[str, int] = {
    dimension.key: sum(i.points for i in INDICATORS if i.dimension == dimension.key)
    for dimension in DIMENSIONS
}
TOTAL_POINTS = sum(MAX_POINTS.values())  # 405
SCORE_METRIC = PV + "scoring"


@dataclass(frozen=True)
class Rating:
    key: str
    label: str
    minimum: int
    iri: str


# piveau's scheme calls the third band "Enough"; data.europa.eu's pages say "Sufficient".
RATINGS: tuple[Rating, ...] = (
    Rating("excellent", "Excellent", 351, SCORING + "excellent"),
    Rating("good", "Good", 221, SCORING + "good"),
    Rating("sufficient", "Sufficient", 121, SCORING + "enough"),
    Rating("bad", "Bad", -(10**6), SCORING + "bad"),
)
RATING_BY_KEY: dict[str, Rating] = {rating.key: rating for rating in RATINGS}


def rating_for(points: int) -> Rating:
    """Excellent from 351, Good from 221, Sufficient from 121, else Bad."""
    return next(rating for rating in RATINGS if points >= rating.minimum)
