"""Whether a dataset's DCAT-AP description conforms: our DCAT-AP 3.0.1 shapes, compiled.

The same check as publishing (``catalogue.dcat.validation.publish_check``), in plain Python
(:mod:`catalogue.dcat.shapes`, about a millisecond a dataset); only violations count,
warnings do not.
"""

from __future__ import annotations

import datetime as dt
import logging

from catalogue.dcat.mapping import DatasetContext, PublisherInfo, dataset_graph
from catalogue.dcat.shapes import TripleIndex
from catalogue.dcat.validation import compiled_shapes
from catalogue.domain.dataset import DatasetDocument
from catalogue.vocabularies import default_vocabularies

log = logging.getLogger("catalogue.quality")
VIOLATION = "http://www.w3.org/ns/shacl#Violation"


def dcat_ap_conforms(
    document: DatasetDocument,
    base_url: str,
    languages: tuple[str, ...],
    publisher: PublisherInfo | None,
    issued: dt.datetime | None,
    modified: dt.datetime | None,
) -> bool:
    context = DatasetContext(base_url=base_url, languages=languages, issued=issued,
                             modified=modified, publisher=publisher)
    try:
        graph = dataset_graph(document, context, default_vocabularies(), TripleIndex())
        results = compiled_shapes().validate(graph)
    except Exception:  # a record stored around the rules: it does not conform
        log.exception("the DCAT-AP check of %r failed", document.slug)
        return False
    return not any(str(result.severity) == VIOLATION for result in results)
