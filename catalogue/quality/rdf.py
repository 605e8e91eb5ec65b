"""A dataset's score as DQV quality measurements, as data.europa.eu publishes its MQA.

``<dataset> dqv:hasQualityMeasurement <#quality-keywordAvailability>``, each measurement a
``dqv:QualityMeasurement`` with ``dqv:isMeasurementOf`` (the piveau metric),
``dqv:computedOn`` (the dataset or distribution), ``dqv:value`` (a boolean, the HTTP status
answered, or the points of ``pv:scoring`` and of each dimension's scoring) and
``prov:generatedAtTime``. Distribution-level metrics are on every distribution; an address
the checker got no answer from has no status measurement.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rdflib import Literal, URIRef

from catalogue.dcat.namespaces import PROV, RDF, XSD
from catalogue.dcat.triples import TripleSink
from catalogue.dcat.writer import dataset_iri, web_iri
from catalogue.domain.dataset import DatasetDocument
from catalogue.quality.indicators import BY_KEY, DIMENSION_BY_KEY, DQV, SCORE_METRIC

HAS_MEASUREMENT = URIRef(DQV + "hasQualityMeasurement")
MEASUREMENT = URIRef(DQV + "QualityMeasurement")
IS_MEASUREMENT_OF = URIRef(DQV + "isMeasurementOf")
COMPUTED_ON = URIRef(DQV + "computedOn")
VALUE = URIRef(DQV + "value")


def _add(
    sink: TripleSink, subject: URIRef, metric: str, name: str, value: Literal, when: Literal | None
) -> None:
    node = (
        URIRef(f"{subject}#quality-{name}")
        if "#" not in subject
        else URIRef(f"{subject}-quality-{name}")
    )
    sink.add((subject, HAS_MEASUREMENT, node))
    sink.add((node, RDF.type, MEASUREMENT))
    sink.add((node, IS_MEASUREMENT_OF, URIRef(metric)))
    sink.add((node, COMPUTED_ON, subject))
    sink.add((node, VALUE, value))
    if when is not None:
        sink.add((node, PROV.generatedAtTime, when))


def _value(measurement: dict[str, Any]) -> Literal | None:
    value = measurement["value"]
    if value is None:
        return None
    if isinstance(value, bool):
        return Literal(value, datatype=XSD.boolean)
    return Literal(int(value), datatype=XSD.integer)


def measurements(
    document: DatasetDocument,
    assessment: dict[str, Any],
    base_url: str,
    computed_at: dt.datetime | None,
) -> TripleSink:
    """The DQV triples of one stored assessment (``Assessment.as_dict()``)."""
    sink = TripleSink()
    subject = dataset_iri(base_url, document.slug)
    when = None
    if computed_at is not None:
        if computed_at.tzinfo is None:
            computed_at = computed_at.replace(tzinfo=dt.UTC)
        text = computed_at.astimezone(dt.UTC).replace(microsecond=0).isoformat()
        when = Literal(text.replace("+00:00", "Z"), datatype=XSD.dateTime)
    for measurement in assessment["measurements"]:
        if (
            BY_KEY[measurement["indicator"]].level == "dataset"
            and (value := _value(measurement)) is not None
        ):
            _add(
                sink,
                subject,
                BY_KEY[measurement["indicator"]].iri,
                measurement["indicator"],
                value,
                when,
            )
    distributions = document.technical.distributions
    for position, measured in enumerate(assessment["distributions"]):
        if position >= len(distributions):
            break
        node = web_iri(f"{subject}/distribution/{distributions[position].id or position}")
        for measurement in measured:
            if (value := _value(measurement)) is not None:
                _add(
                    sink,
                    node,
                    BY_KEY[measurement["indicator"]].iri,
                    measurement["indicator"],
                    value,
                    when,
                )
    for dimension in assessment["dimensions"]:
        key = dimension["dimension"]
        _add(
            sink,
            subject,
            DIMENSION_BY_KEY[key].scoring_iri,
            f"{key}Scoring",
            Literal(int(dimension["points"]), datatype=XSD.integer),
            when,
        )
    _add(
        sink,
        subject,
        SCORE_METRIC,
        "scoring",
        Literal(int(assessment["points"]), datatype=XSD.integer),
        when,
    )
    return sink


async def dataset_measurements(record: Any, base_url: str) -> tuple[TripleSink, str]:
    """The stored score of a dataset record as DQV (one indexed read), and when it was
    computed (what a document holding them is kept by)."""
    from catalogue.quality import store

    row = await store.stored(record.id)
    if row is None:
        return TripleSink(), ""
    sink = measurements(record.document, row["assessment"], base_url, row["computed_at"])
    return sink, str(row["computed_at"])
