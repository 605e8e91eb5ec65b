"""Whether a dataset's DCAT-AP description conforms: our DCAT-AP 3.0.1 shapes, compiled.

The same check as publishing (``catalogue.dcat.validation.publish_check``), in plain Python
(:mod:`catalogue.dcat.shapes`); only violations count, warnings do not. Building the graph
takes most of a score's time, so the publish check hands its result over
(:func:`remember`): a dataset published through the services is not checked twice. The
result is keyed by the whole document and the publisher as described (the dates the two
checks write differ, and no shape refuses a well-typed date).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import OrderedDict

from catalogue.dcat.mapping import DatasetContext, PublisherInfo, dataset_graph
from catalogue.dcat.shapes import TripleIndex
from catalogue.dcat.validation import check_graph, conforms_here
from catalogue.domain.dataset import DatasetDocument
from catalogue.vocabularies import default_vocabularies

log = logging.getLogger("catalogue.quality")
_known: OrderedDict[str, bool] = OrderedDict()
KEEP = 4096


def _key(
    document: DatasetDocument,
    base_url: str,
    languages: tuple[str, ...],
    publisher: PublisherInfo | None,
) -> str:
    text = "\x1f".join((document.model_dump_json(), base_url, ",".join(languages), repr(publisher)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def remember(
    document: DatasetDocument,
    base_url: str,
    languages: tuple[str, ...],
    publisher: PublisherInfo | None,
    conforms: bool,
) -> None:
    """Keep a check's result (the publish check calls this)."""
    _known[_key(document, base_url, languages, publisher)] = conforms
    while len(_known) > KEEP:
        _known.popitem(last=False)


def dcat_ap_conforms(
    document: DatasetDocument,
    base_url: str,
    languages: tuple[str, ...],
    publisher: PublisherInfo | None,
    issued: dt.datetime | None,
    modified: dt.datetime | None,
) -> bool:
    key = _key(document, base_url, languages, publisher)
    if (known := _known.get(key)) is not None:
        return known
    context = DatasetContext(
        base_url=base_url,
        languages=languages,
        issued=issued,
        modified=modified,
        publisher=publisher,
    )
    try:
        # a TripleIndex takes a Graph's add/triples: faster for the shapes than rdflib's store
        graph = dataset_graph(document, context, default_vocabularies(), TripleIndex())  # type: ignore[arg-type]
        conforms = conforms_here(check_graph(graph), document, base_url)
    except Exception:  # a record stored around the rules: it does not conform
        log.exception("the DCAT-AP check of %r failed", document.slug)
        return False
    remember(document, base_url, languages, publisher, conforms)
    return conforms
