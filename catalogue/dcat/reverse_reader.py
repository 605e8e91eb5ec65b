"""Reading one node of a DCAT graph as plain values, in the forms real catalogues write.

The reverse mapping (:mod:`catalogue.dcat.reverse`) asks this reader for texts, web
addresses, codes, contacts and agents. Our own feed writes each in one form; foreign feeds
use others, which are read here too: web addresses as literals, concepts as blank nodes
(``[ a dct:IMT; rdf:value "text/csv" ]``) or as foreign IRIs with a label, e-mail addresses
with or without ``mailto:``, names as ``foaf:name``, ``vcard:fn`` or labels. A concept no
lookup knows comes back as the value the source gave, so validation can name it.

Each node's statements are read from the graph once (one index lookup) and kept until
:meth:`Reader.forget`, which keeps mapping thousands of datasets fast.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from catalogue.dcat.namespaces import DCT, FOAF, OWL, RDF, RDFS, SKOS, TIME, VCARD
from catalogue.domain.values import language_tag, web_address
from catalogue.vocabularies import Vocabularies
from catalogue.vocabularies.matching import concept_code

SLUG_CLEANER = re.compile(r"[^a-z0-9]+")
LABELS = (
    RDF.value,
    SKOS.notation,
    DCT.identifier,
    FOAF.name,
    SKOS.prefLabel,
    RDFS.label,
    DCT.title,
    OWL.sameAs,
    SKOS.exactMatch,
)
"""Where a concept given as a blank node or a foreign IRI says what it is."""
PERIOD_PARTS = ((TIME.years, "Y"), (TIME.months, "M"), (TIME.weeks, "W"), (TIME.days, "D"))
NAMES = (FOAF.name, VCARD.fn, VCARD["organization-name"], SKOS.prefLabel, RDFS.label, DCT.title)


def slug_from_iri(iri: str) -> str:
    """The last path segment, made into a slug (``.../dataset/Air_Quality`` -> ``air-quality``)."""
    tail = iri.rstrip("/#").rsplit("/", 1)[-1].split("#")[-1]
    return SLUG_CLEANER.sub("-", tail.lower()).strip("-")[:100].strip("-") or "imported-dataset"


def signature(graph: Graph, node: Node) -> str:
    """What a blank node says (its statements without other blank nodes), for ordering:
    blank node ids change with every parse, so the same feed must not order by them."""
    return "\n".join(
        sorted(f"{p} {o}" for p, o in graph.predicate_objects(node) if not isinstance(o, BNode))
    )


def without_none(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


class Reader:
    def __init__(
        self, graph: Graph, vocabularies: Vocabularies, base_url: str, default_language: str
    ) -> None:
        self.graph = graph
        self.vocabularies = vocabularies
        self.base_url = base_url
        self.default_language = default_language
        self._nodes: dict[Node, dict[Node, list[Node]]] = {}
        self._kept: dict[Node, dict[Node, list[Node]]] = {}
        self._bare: set[Node] = set()  # IRIs the graph says nothing about (EU concepts ...)

    def forget(self) -> None:
        """Drop the statements read so far (call between datasets: memory stays flat)."""
        self._nodes.clear()

    def keep(self, subjects: Iterable[Node]) -> None:
        """Keep these nodes' statements across :meth:`forget` (the datasets of one page)."""
        self._kept.update((s, self.statements(s)) for s in subjects)

    def release(self, subject: Node) -> None:
        self._kept.pop(subject, None)

    def statements(self, subject: Node) -> dict[Node, list[Node]]:
        found = self._nodes.get(subject) or self._kept.get(subject)
        if found is None:
            if subject in self._bare:
                return {}
            found = {}
            for predicate, value in self.graph.predicate_objects(subject):
                found.setdefault(predicate, []).append(value)
            for predicate, values in found.items():
                if len(values) > 1:
                    found[predicate] = sorted(values, key=self._order)
            if not found and isinstance(subject, URIRef):
                self._bare.add(subject)  # bounded by the distinct IRIs a feed refers to
                return found
            self._nodes[subject] = found
        return found

    def _order(self, node: Node) -> tuple[int, str, str]:
        """A stable order: IRIs, then blank nodes by what they say, then literals (rdflib's
        own comparison is slow, fails across literal types, and orders blank nodes by id)."""
        if isinstance(node, URIRef):
            return (0, str(node), "")
        if isinstance(node, BNode):
            return (1, signature(self.graph, node), "")
        return (2, str(node), getattr(node, "language", None) or "")

    def all(self, subject: Node, predicate: URIRef) -> list[Node]:
        return self.statements(subject).get(predicate, [])

    def one(self, subject: Node, predicate: URIRef) -> Node | None:
        values = self.all(subject, predicate)
        return values[0] if values else None

    def text(self, subject: Node, predicate: URIRef) -> str | None:
        value = self.one(subject, predicate)
        return str(value) if value is not None else None

    def literal(self, subject: Node, predicate: URIRef) -> str | None:
        """The text of the first literal (in the default language when there are several)."""
        literals = [v for v in self.all(subject, predicate) if isinstance(v, Literal)]
        preferred = [
            v for v in literals if language_tag(v.language, "") in ("", self.default_language)
        ]
        chosen = (preferred or literals)[:1]
        return str(chosen[0]).strip() or None if chosen else None

    def iri(self, subject: Node, predicate: URIRef) -> str | None:
        """A web address given as an IRI or as a literal (``"https://..."``)."""
        for value in self.all(subject, predicate):
            if isinstance(value, URIRef | Literal) and (address := web_address(str(value))):
                return address
        return None

    def address(self, subject: Node, predicate: URIRef) -> str | None:
        """:meth:`iri`, else the first value's text (``ftp://...``), for validation to report."""
        found = self.iri(subject, predicate)
        if found is None and (value := self.one(subject, predicate)) is not None:
            return str(value).strip() if not isinstance(value, BNode) else self.describe(value)
        return found

    def texts(self, subject: Node, predicate: URIRef) -> dict[str, str]:
        values: dict[str, str] = {}
        for value in self.all(subject, predicate):
            if isinstance(value, Literal) and str(value).strip():
                values.setdefault(language_tag(value.language, self.default_language), str(value))
        return values

    def flag(self, subject: Node, predicate: URIRef) -> bool:
        value = self.one(subject, predicate)
        return isinstance(value, Literal) and bool(value.toPython())

    def candidates(self, value: Node) -> list[str]:
        """What a concept node says it is: its IRI, then its values, notations and labels."""
        found = [] if isinstance(value, BNode) else [str(value)]
        if isinstance(value, Literal):
            return found
        if period := self.period(value):
            found.append(period)
        for predicate in LABELS:
            for item in self.all(value, predicate):
                if isinstance(item, BNode):
                    if period := self.period(item):
                        found.append(period)
                else:
                    found.append(str(item))
        return found

    def period(self, node: Node) -> str | None:
        """``P1Y`` from a ``time:DurationDescription`` (``time:years 1``), as datos.gob.es
        writes frequencies."""
        parts = [(self.text(node, predicate), unit) for predicate, unit in PERIOD_PARTS]
        text = "".join(f"{amount}{unit}" for amount, unit in parts if amount)
        hours = self.text(node, TIME.hours)
        return f"P{text}{f'T{hours}H' if hours else ''}" if text or hours else None

    def code(self, key: str, value: Node | None) -> str | None:
        """Our code for a concept however the source names it; else the value as given (an
        IRI, a literal's text, a blank node's label) so that validation can name it."""
        if value is None:
            return None
        candidates = self.candidates(value)
        for candidate in candidates:
            if code := concept_code(self.vocabularies, key, candidate):
                return code
        return candidates[0] if candidates else self.describe(value)

    def describe(self, node: Node) -> str:
        """A blank node as an issue shows it: its first literal (a geometry, a note)."""
        for values in self.statements(node).values():
            for item in values:
                if isinstance(item, Literal):
                    return f"(a blank node: {str(item)[:200]})"
        return "(a blank node with no value or label)"

    def codes(
        self,
        key: str,
        subject: Node,
        predicate: URIRef,
        accept: Callable[[Node], bool] = lambda node: True,
    ) -> list[str]:
        return list(
            dict.fromkeys(
                code
                for value in self.all(subject, predicate)
                if accept(value)
                if (code := self.code(key, value))
            )
        )

    def local(self, iri: str | None, kind: str) -> str | None:
        """The slug of one of our resources (``{base}/{kind}/{slug}``), else the IRI's tail."""
        if not iri:
            return None
        prefix = f"{self.base_url}/{kind}/"
        return iri[len(prefix) :] if iri.startswith(prefix) else slug_from_iri(iri)

    def name(self, node: Node) -> str | None:
        for predicate in NAMES:
            if found := self.literal(node, predicate):
                return found
        return None

    def email(self, node: Node, *predicates: URIRef) -> str | None:
        for predicate in predicates:
            for value in self.all(node, predicate):
                if isinstance(value, BNode):
                    value = self.one(value, VCARD.value) or value
                text = str(value).strip() if not isinstance(value, BNode) else ""
                if text:
                    return text.removeprefix("mailto:").removeprefix("MAILTO:").strip()
        return None

    def contact(self, node: Node | None) -> dict[str, Any] | None:
        if node is None or isinstance(node, Literal):
            return None
        return without_none(
            {
                "name": self.name(node),
                "email": self.email(node, VCARD.hasEmail, VCARD.email, FOAF.mbox),
                "url": self.iri(node, VCARD.hasURL)
                or self.iri(node, VCARD.url)
                or self.iri(node, FOAF.homepage),
            }
        )

    def agent(self, node: Node | None) -> dict[str, Any] | None:
        if node is None or isinstance(node, Literal):
            return None
        return without_none(
            {
                "name": self.name(node),
                "email": self.email(node, FOAF.mbox, VCARD.hasEmail),
                "url": self.iri(node, FOAF.homepage) or self.iri(node, VCARD.hasURL),
            }
        )
