"""A dataset's Metadata Quality Assessment, computed as data.europa.eu (piveau) computes it.

Plain Python over the dataset document and what the catalogue knows beside it (whether it
has been issued, whether its DCAT-AP description conforms, the answers its addresses gave
the link checker); no HTTP, no SQL. As piveau does, dataset-level indicators are counted
once and, of the distribution-level ones, those of the best-scoring distribution (a
dataset with one good file and one poor page is as findable as its good file). An address
the checker has not reached (not yet checked, unreachable, timed out) earns no points.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from catalogue.domain.dataset import DatasetDocument, Distribution
from catalogue.quality import formats
from catalogue.quality.indicators import (
    BY_KEY,
    DIMENSIONS,
    INDICATORS,
    MAX_POINTS,
    TOTAL_POINTS,
    Indicator,
    rating_for,
)


@dataclass(frozen=True)
class LinkResult:
    """What an address answered when the link checker last asked."""

    status: int | None  # the HTTP status after redirects; None: no answer
    checked_at: dt.datetime | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass(frozen=True)
class Facts:
    """What the score needs beyond the document."""

    issued: bool = False
    modified: bool = True
    dcat_ap_conforms: bool = False
    links: Mapping[str, LinkResult] = field(default_factory=dict)


@dataclass(frozen=True)
class Measurement:
    indicator: str
    value: bool | int | None  # a status code for the status indicators (None: no answer)
    points: int
    distribution: int | None = None  # the position of the distribution measured

    @property
    def met(self) -> bool:
        return self.points == BY_KEY[self.indicator].points

    def as_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "value": self.value,
            "points": self.points,
            "distribution": self.distribution,
        }


@dataclass(frozen=True)
class Assessment:
    points: int
    dimensions: dict[str, int]
    measurements: tuple[Measurement, ...]  # dataset level, then the best distribution's
    distributions: tuple[tuple[Measurement, ...], ...]  # every distribution's own
    best_distribution: int | None

    @property
    def rating(self) -> str:
        return rating_for(self.points).key

    def missing(self) -> list[dict[str, Any]]:
        """Each indicator not met, with the points it would add and what to do, most first."""
        found = {m.indicator: m for m in self.measurements}
        advice = []
        for indicator in INDICATORS:
            measured = found.get(indicator.key)
            current = measured.points if measured else 0
            if current >= indicator.points:
                continue
            advice.append(
                {
                    "indicator": indicator.key,
                    "iri": indicator.iri,
                    "label": indicator.label,
                    "dimension": indicator.dimension,
                    "points": indicator.points - current,
                    "advice": _advice(indicator, measured),
                    "distribution": measured.distribution if measured else None,
                }
            )
        advice.sort(key=lambda item: -int(item["points"]))  # type: ignore[call-overload]
        return advice

    def as_dict(self) -> dict[str, Any]:
        """What is stored and what the API answers."""
        return {
            "points": self.points,
            "max_points": TOTAL_POINTS,
            "rating": self.rating,
            "dimensions": [
                {
                    "dimension": d.key,
                    "points": self.dimensions[d.key],
                    "max_points": MAX_POINTS[d.key],
                }
                for d in DIMENSIONS
            ],
            "best_distribution": self.best_distribution,
            "measurements": [m.as_dict() for m in self.measurements],
            "distributions": [[m.as_dict() for m in d] for d in self.distributions],
            "missing": self.missing(),
        }


def _advice(indicator: Indicator, measured: Measurement | None) -> str:
    if indicator.kind == "status" and measured is not None:
        if measured.value is None:
            return indicator.advice + " The link checker got no answer (or has not asked yet)."
        return indicator.advice + f" It last answered HTTP {measured.value}."
    if indicator.level == "distribution" and measured is None:
        return "Add a distribution (a file or download page). " + indicator.advice
    return indicator.advice


def _measure(
    key: str, met: bool, distribution: int | None = None, value: bool | int | None = None
) -> Measurement:
    indicator = BY_KEY[key]
    return Measurement(
        key,
        met if value is None and indicator.kind == "boolean" else value,
        indicator.points if met else indicator.false_points,
        distribution,
    )


def _status(
    key: str, url: str | None, links: Mapping[str, LinkResult], position: int
) -> Measurement:
    result = links.get(url) if url else None
    status = result.status if result else None
    met = bool(result and result.ok)
    indicator = BY_KEY[key]
    return Measurement(key, status, indicator.points if met else 0, position)


def distribution_measurements(
    distribution: Distribution, position: int, links: Mapping[str, LinkResult]
) -> tuple[Measurement, ...]:
    """The distribution-level indicators of one distribution."""
    access = distribution.access_url or distribution.download_url  # as the RDF writes it
    fmt, media = distribution.format, distribution.media_type
    return (
        _status("accessUrlStatusCode", access, links, position),
        _measure("downloadUrlAvailability", bool(distribution.download_url), position),
        _status("downloadUrlStatusCode", distribution.download_url, links, position),
        _measure("formatAvailability", bool(fmt), position),
        _measure("mediaTypeAvailability", bool(media), position),
        # Format codes are checked against the EU file-type list when stored.
        _measure(
            "formatMediaTypeVocabularyAlignment",
            bool(fmt) and formats.iana_media_type(media),
            position,
        ),
        _measure("formatMediaTypeNonProprietary", formats.non_proprietary(fmt, media), position),
        _measure(
            "formatMediaTypeMachineInterpretable", formats.machine_readable(fmt, media), position
        ),
        _measure("licenceAvailability", bool(distribution.licence), position),
        # Licence codes are checked against the EU licence list when stored.
        _measure("knownLicence", bool(distribution.licence), position),
        _measure("rightsAvailability", bool(distribution.rights), position),
        _measure("byteSizeAvailability", distribution.byte_size is not None, position),
    )


def dataset_measurements(document: DatasetDocument, facts: Facts) -> tuple[Measurement, ...]:
    technical, organisational = document.technical, document.organisational
    temporal = technical.temporal
    contact = organisational.contact_point
    access_rights = document.legal.access_rights
    return (
        _measure("keywordAvailability", bool(document.semantic.keywords)),
        _measure("categoryAvailability", bool(document.semantic.themes)),
        _measure("spatialAvailability", bool(technical.spatial)),
        _measure("temporalAvailability", bool(temporal and (temporal.start or temporal.end))),
        _measure("dcatApCompliance", facts.dcat_ap_conforms),
        _measure("accessRightsAvailability", bool(access_rights)),
        # Access-right codes are checked against the EU list when stored.
        _measure("accessRightsVocabularyAlignment", bool(access_rights)),
        _measure("contactPointAvailability", bool(contact and (contact.email or contact.url))),
        _measure("publisherAvailability", bool(organisational.publisher)),
        _measure("dateIssuedAvailability", facts.issued),
        _measure("dateModifiedAvailability", facts.modified),
    )


def assess(document: DatasetDocument, facts: Facts) -> Assessment:
    """The score of ``document``: 0 to 405 points over five dimensions."""
    per_distribution = tuple(
        distribution_measurements(distribution, position, facts.links)
        for position, distribution in enumerate(document.technical.distributions)
    )
    best: int | None = None
    for position, measured in enumerate(per_distribution):  # the first of equals wins
        if best is None or _sum(measured) > _sum(per_distribution[best]):
            best = position
    measurements = dataset_measurements(document, facts)
    if best is not None:
        measurements += per_distribution[best]
    dimensions = {dimension.key: 0 for dimension in DIMENSIONS}
    for measurement in measurements:
        dimensions[BY_KEY[measurement.indicator].dimension] += measurement.points
    return Assessment(
        points=sum(dimensions.values()),
        dimensions=dimensions,
        measurements=measurements,
        distributions=per_distribution,
        best_distribution=best,
    )


def _sum(measurements: tuple[Measurement, ...]) -> int:
    return sum(m.points for m in measurements)
