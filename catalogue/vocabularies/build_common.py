"""Shared model and Turtle writer for the vocabulary generator.

The generator (``build.py`` for the EU tables, ``build_dpv.py`` for DPV) turns
reference SKOS files into our own, smaller SKOS Turtle files. Both halves fill
the same plain model defined here, and one hand-written serialiser turns it into
Turtle. We write the Turtle ourselves, rather than with ``Graph.serialize``, so
the output is byte-for-byte stable (fixed prefix set, concepts sorted by code,
predicates in a fixed order, values sorted) and diffs of the committed files stay
readable when a reference table is updated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS, XSD

CAT = Namespace("https://w3id.org/strategic-data-catalogue/ns#")
"""Our own namespace for catalogue annotations (``cat:key``, ``cat:open`` ...)."""

VOCAB_BASE = "https://w3id.org/strategic-data-catalogue/vocab/"
"""Base of the scheme IRIs we mint where the source has no scheme of its own."""

EU_LANGUAGES: frozenset[str] = frozenset(
    (
        "bg",
        "cs",
        "da",
        "de",
        "el",
        "en",
        "es",
        "et",
        "fi",
        "fr",
        "ga",
        "hr",
        "hu",
        "it",
        "lt",
        "lv",
        "mt",
        "nl",
        "pl",
        "pt",
        "ro",
        "sk",
        "sl",
        "sv",
    )
)
"""The 24 official EU languages; labels in other languages are not copied."""

FlagValue = bool | str

_PREFIXES: tuple[tuple[str, str], ...] = (
    ("cat", str(CAT)),
    ("dct", str(DCTERMS)),
    ("skos", str(SKOS)),
    ("xsd", str(XSD)),
)
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


@dataclass
class ConceptOut:
    """One concept as we will write it: official IRI, our code, labels, flags."""

    iri: str
    code: str
    labels: dict[str, str]
    definitions: dict[str, str] = field(default_factory=dict)
    broader: set[str] = field(default_factory=set)
    flags: dict[str, FlagValue] = field(default_factory=dict)


@dataclass
class SchemeOut:
    """One output file: a single concept scheme and its concepts."""

    key: str
    iri: str
    labels: dict[str, str]
    source: str
    rights: str
    concepts: list[ConceptOut] = field(default_factory=list)

    def finalise(self) -> SchemeOut:
        """Check invariants the loader relies on; drop broader links leaving the scheme."""
        codes: set[str] = set()
        iris: set[str] = set()
        for concept in self.concepts:
            if not concept.code or concept.code in codes:
                raise ValueError(f"{self.key}: missing or duplicate code {concept.code!r}")
            if concept.iri in iris:
                raise ValueError(f"{self.key}: duplicate IRI {concept.iri}")
            if "en" not in concept.labels:
                raise ValueError(f"{self.key}: {concept.code} has no English label")
            codes.add(concept.code)
            iris.add(concept.iri)
        for concept in self.concepts:
            concept.broader = {b for b in concept.broader if b in iris and b != concept.iri}
        self.concepts.sort(key=lambda c: c.code)
        return self


def clean(text: object) -> str:
    """Collapse runs of whitespace: several reference labels carry line breaks and indentation."""
    return " ".join(str(text).split())


def local_name(iri: str) -> str:
    """The part after the last ``#`` or ``/``: DPV codes and fallback EU codes."""
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def lang_values(
    graph: Graph,
    subject: URIRef,
    predicate: URIRef,
    languages: Iterable[str] | None = None,
) -> dict[str, str]:
    """Language-tagged values of one predicate, one per language (deterministic pick)."""
    wanted = set(languages) if languages is not None else None
    found: dict[str, list[str]] = {}
    for value in graph.objects(subject, predicate):
        if not isinstance(value, Literal) or not value.language:
            continue
        lang = value.language.lower()
        if wanted is not None and lang not in wanted:
            continue
        text = clean(value)
        if text:
            found.setdefault(lang, []).append(text)
    return {lang: sorted(values)[0] for lang, values in found.items()}


def narrower_closure(graph: Graph, root: URIRef) -> set[URIRef]:
    """All concepts transitively ``skos:broader`` the root (root excluded)."""
    seen: set[URIRef] = set()
    todo = [root]
    while todo:
        current = todo.pop()
        for child in graph.subjects(SKOS.broader, current):
            if isinstance(child, URIRef) and child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def set_flag_below(
    scheme: SchemeOut, roots: Iterable[str], flag: str, value: FlagValue
) -> list[str]:
    """Set a flag on the given concepts and everything narrower within the scheme.

    Returns the codes flagged, so callers can fail loudly when a root is missing.
    """
    by_iri = {c.iri: c for c in scheme.concepts}
    children: dict[str, set[str]] = {}
    for concept in scheme.concepts:
        for parent in concept.broader:
            children.setdefault(parent, set()).add(concept.iri)
    flagged: list[str] = []
    todo = list(roots)
    missing = [r for r in todo if r not in by_iri]
    if missing:
        raise ValueError(f"{scheme.key}: cannot flag {flag}, not in scheme: {missing}")
    while todo:
        iri = todo.pop()
        concept = by_iri[iri]
        if flag not in concept.flags:
            concept.flags[flag] = value
            flagged.append(concept.code)
            todo.extend(children.get(iri, ()))
    return sorted(flagged)


# --- Turtle output -------------------------------------------------------------------------


def _iri(value: str) -> str:
    if _IRI_FORBIDDEN.search(value):
        raise ValueError(f"not writable as an IRI: {value!r}")
    return f"<{value}>"


def _string(value: str) -> str:
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _flag(value: FlagValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _string(value)


def _tagged(values: dict[str, str]) -> list[str]:
    return [f"{_string(text)}@{lang}" for lang, text in sorted(values.items())]


def _block(subject: str, pairs: list[tuple[str, list[str]]]) -> Iterator[str]:
    """Yield one Turtle subject block, one object per line for readability."""
    yield subject
    pairs = [(p, objs) for p, objs in pairs if objs]
    for index, (predicate, objects) in enumerate(pairs):
        end = " ." if index == len(pairs) - 1 else " ;"
        for position, obj in enumerate(objects):
            sep = end if position == len(objects) - 1 else " ,"
            lead = f"    {predicate} " if position == 0 else " " * (len(predicate) + 5)
            yield f"{lead}{obj}{sep}"
    yield ""


def to_turtle(scheme: SchemeOut) -> str:
    """Serialise a finalised scheme as deterministic Turtle."""
    lines = [
        "# Generated by `python -m catalogue.vocabularies.build`; do not edit by hand.",
        f"# Source: {scheme.source}",
        "",
    ]
    lines += [f"@prefix {prefix}: {_iri(ns)} ." for prefix, ns in _PREFIXES]
    lines.append("")
    scheme_iri = _iri(scheme.iri)
    lines += _block(
        scheme_iri,
        [
            ("a", ["skos:ConceptScheme"]),
            ("cat:key", [_string(scheme.key)]),
            ("skos:prefLabel", _tagged(scheme.labels)),
            ("dct:source", [_string(scheme.source)]),
            ("dct:rights", [_string(scheme.rights)]),
        ],
    )
    for concept in scheme.concepts:
        flag_pairs = [
            (f"cat:{name}", [_flag(value)]) for name, value in sorted(concept.flags.items())
        ]
        lines += _block(
            _iri(concept.iri),
            [
                ("a", ["skos:Concept"]),
                ("skos:inScheme", [scheme_iri]),
                ("skos:notation", [_string(concept.code)]),
                ("skos:prefLabel", _tagged(concept.labels)),
                ("skos:definition", _tagged(concept.definitions)),
                ("skos:broader", [_iri(b) for b in sorted(concept.broader)]),
                *flag_pairs,
            ],
        )
    return "\n".join(lines)


def to_graph(scheme: SchemeOut) -> Graph:
    """The same content as an rdflib graph, used to verify the hand-written Turtle."""
    graph = Graph()
    s = URIRef(scheme.iri)
    graph.add((s, RDF.type, SKOS.ConceptScheme))
    graph.add((s, CAT.key, Literal(scheme.key)))
    graph.add((s, DCTERMS.source, Literal(scheme.source)))
    graph.add((s, DCTERMS.rights, Literal(scheme.rights)))
    for lang, text in scheme.labels.items():
        graph.add((s, SKOS.prefLabel, Literal(text, lang=lang)))
    for concept in scheme.concepts:
        c = URIRef(concept.iri)
        graph.add((c, RDF.type, SKOS.Concept))
        graph.add((c, SKOS.inScheme, s))
        graph.add((c, SKOS.notation, Literal(concept.code)))
        for lang, text in concept.labels.items():
            graph.add((c, SKOS.prefLabel, Literal(text, lang=lang)))
        for lang, text in concept.definitions.items():
            graph.add((c, SKOS.definition, Literal(text, lang=lang)))
        for parent in concept.broader:
            graph.add((c, SKOS.broader, URIRef(parent)))
        for name, value in concept.flags.items():
            graph.add((c, CAT[name], Literal(value)))
    return graph


def write_scheme(scheme: SchemeOut, out_dir: Path, *, check: bool = False) -> bool:
    """Write ``<key>.ttl`` if its content changed; return True when it was (or would be) changed.

    The Turtle is parsed back and compared triple by triple with the model, so a
    serialiser bug cannot silently ship a file that means something else.
    """
    text = to_turtle(scheme)
    parsed = Graph().parse(data=text, format="turtle")
    expected = to_graph(scheme)
    if set(parsed) != set(expected):
        raise AssertionError(f"{scheme.key}: Turtle round-trip mismatch")
    path = out_dir / f"{scheme.key}.ttl"
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if old == text:
        return False
    if not check:
        out_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return True
