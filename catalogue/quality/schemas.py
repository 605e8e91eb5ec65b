"""The shapes of the quality API's answers, as OpenAPI documents them."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from catalogue.web.openapi import Body, Shape


class DimensionScore(Body):
    dimension: str = Field(
        description="findability, accessibility, interoperability, reusability or contextuality"
    )
    label: str
    points: int
    max_points: int


class MeasurementOut(Body):
    indicator: str = Field(description="The MQA metric, e.g. keywordAvailability")
    iri: str
    label: str
    dimension: str
    value: bool | int | None = Field(description="true/false, or the HTTP status answered")
    points: int
    max_points: int
    met: bool
    distribution: int | None = Field(description="The position of the distribution measured")


class MissingPoints(Body):
    indicator: str
    iri: str
    label: str
    dimension: str
    points: int = Field(description="The points it would add")
    advice: str
    distribution: int | None


class AddressAnswer(Body):
    distribution: int
    kind: str = Field(description="access or download")
    url: str
    status: int | None = Field(description="The HTTP status last answered; null: no answer yet")
    checked_at: str | None
    error: str


class DatasetQuality(Body):
    """A dataset's Metadata Quality Assessment, as data.europa.eu computes it."""

    slug: str
    points: int
    max_points: int
    rating: str = Field(description="excellent (351+), good (221+), sufficient (121+) or bad")
    rating_label: str
    dimensions: list[DimensionScore]
    best_distribution: int | None
    measurements: list[MeasurementOut]
    missing: list[MissingPoints]
    addresses: list[AddressAnswer]
    computed_at: str | None
    links: dict[str, str]


class DimensionMean(Body):
    dimension: str
    label: str
    mean: float
    max_points: int


class RatingCount(Body):
    rating: str
    label: str
    minimum: int
    datasets: int


class HistogramBin(Body):
    lowest: int = Field(description="The band's lowest score")
    highest: int = Field(description="The band's highest score")
    datasets: int


class OrganisationQuality(Body):
    slug: str
    name: str
    datasets: int
    mean: float
    excellent: int


class WorstDataset(Body):
    slug: str
    title: str
    points: int
    rating: str
    publisher: str
    publisher_name: str


class WorstPage(Body):
    items: list[WorstDataset]
    next_cursor: str | None


class TrendDay(Body):
    day: str
    datasets: int
    mean: float
    excellent: int


class QualitySummary(Body):
    """The public catalogue's quality: aggregates over the stored scores."""

    datasets: int
    mean: float
    max_points: int
    dimensions: list[DimensionMean]
    ratings: list[RatingCount]
    histogram: list[HistogramBin]
    publisher: str | None
    organisations: list[OrganisationQuality]
    trend: list[TrendDay]
    worst: WorstPage
    links: dict[str, str | None]


DatasetQualityOut = Annotated[dict[str, Any], Shape(DatasetQuality)]
QualitySummaryOut = Annotated[dict[str, Any], Shape(QualitySummary)]
