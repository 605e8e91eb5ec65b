"""Load the controlled vocabularies (``vocabularies/*.ttl``) into small immutable objects.

Every file holds one ``skos:ConceptScheme`` with ``cat:key``; each concept has a
``skos:notation`` code (what the API and forms use), labels, definitions,
``skos:broader`` links and ``cat:*`` flags. The rest of the app only talks to the
classes below, never to rdflib.

Parsing all files with rdflib takes a few seconds, too slow for every start-up and
test run, so ``load_vocabularies`` can keep a compiled JSON cache keyed by a hash
of the files' names and contents: any edit to a file (or a new file) invalidates it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, cast

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

from catalogue.domain.languages import text_in
from catalogue.files import write_atomically

log = logging.getLogger(__name__)

CAT = Namespace("https://w3id.org/strategic-data-catalogue/ns#")
PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
CACHE_FORMAT = 1  # bump when the JSON layout or the parsing rules change
SOURCE_LANGUAGE = "en"  # the EU vocabularies are written in English first
_CACHE_PREFIX = "vocabularies-"


@dataclass(frozen=True)
class Concept:
    """One concept of one scheme, identified by its code within the scheme."""

    code: str
    iri: str
    scheme: str
    labels: Mapping[str, str]
    definitions: Mapping[str, str]
    broader: tuple[str, ...]
    flags: Mapping[str, object]

    def __hash__(self) -> int:
        return hash((self.scheme, self.iri))

    def label(self, lang: str = SOURCE_LANGUAGE) -> str:
        """The label in ``lang``, else English (the EU vocabularies' own), else any, else the
        code."""
        return text_in(self.labels, lang, (SOURCE_LANGUAGE,)) or self.code

    def definition(self, lang: str = SOURCE_LANGUAGE) -> str:
        """The definition in ``lang``, else English, else any (empty when there is none)."""
        return text_in(self.definitions, lang, (SOURCE_LANGUAGE,))


@dataclass(frozen=True)
class Vocabulary:
    """One concept scheme; ``concepts`` maps code to concept, ordered by English label."""

    key: str
    iri: str
    labels: Mapping[str, str]
    concepts: Mapping[str, Concept]
    _by_iri: dict[str, Concept] = field(init=False, repr=False, compare=False)
    _ancestors: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_iri", {c.iri: c for c in self.concepts.values()})
        object.__setattr__(self, "_ancestors", _ancestor_table(self.concepts))

    def __hash__(self) -> int:
        return hash((self.key, self.iri))

    def label(self, lang: str = SOURCE_LANGUAGE) -> str:
        """The scheme's label in ``lang``, else English, else any, else its key."""
        return text_in(self.labels, lang, (SOURCE_LANGUAGE,)) or self.key

    def get(self, code_or_iri: str) -> Concept | None:
        """The concept with this code or this full IRI, or None."""
        return self.concepts.get(code_or_iri) or self._by_iri.get(code_or_iri)

    def __contains__(self, code_or_iri: object) -> bool:
        return isinstance(code_or_iri, str) and self.get(code_or_iri) is not None

    def ancestors(self, code: str) -> frozenset[str]:
        """Codes of all broader concepts, transitively (empty for top and unknown concepts)."""
        concept = self.get(code)
        return self._ancestors.get(concept.code, frozenset()) if concept else frozenset()

    def is_same_or_narrower(self, code: str, other: str) -> bool:
        """True when ``code`` is ``other`` or falls under it (e.g. a kind of research purpose)."""
        concept, target = self.get(code), self.get(other)
        if concept is None or target is None:
            return False
        return concept.code == target.code or target.code in self._ancestors[concept.code]


def _ancestor_table(concepts: Mapping[str, Concept]) -> dict[str, frozenset[str]]:
    """Transitive broader codes for every concept; tolerant of cycles."""
    table: dict[str, frozenset[str]] = {}
    for code in concepts:
        seen: set[str] = set()
        todo = list(concepts[code].broader)
        while todo:
            parent = todo.pop()
            if parent not in seen and parent in concepts:
                seen.add(parent)
                todo.extend(concepts[parent].broader)
        seen.discard(code)
        table[code] = frozenset(seen)
    return table


class Vocabularies(Mapping[str, Vocabulary]):
    """All loaded schemes by key (``themes``, ``licences``, ``purposes`` ...)."""

    def __init__(self, vocabularies: Mapping[str, Vocabulary]) -> None:
        self._vocabularies = dict(sorted(vocabularies.items()))
        self._by_iri: dict[str, Concept] = {}
        for vocabulary in self._vocabularies.values():
            for concept in vocabulary.concepts.values():
                # An IRI in two schemes (a few DPV terms are both purpose and measure):
                # the first scheme in key order wins.
                self._by_iri.setdefault(concept.iri, concept)

    def __getitem__(self, key: str) -> Vocabulary:
        return self._vocabularies[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._vocabularies)

    def __len__(self) -> int:
        return len(self._vocabularies)

    def __repr__(self) -> str:
        return f"Vocabularies({', '.join(self._vocabularies)})"

    def by_iri(self, iri: str) -> Concept | None:
        """The concept with this IRI in any scheme, or None."""
        return self._by_iri.get(iri)


# --- reading the Turtle files --------------------------------------------------------------


def _lang_map(graph: Graph, subject: URIRef, predicate: URIRef) -> dict[str, str]:
    literals = [v for v in graph.objects(subject, predicate) if isinstance(v, Literal)]
    values: dict[str, str] = {}
    for value in sorted(literals, key=lambda v: (v.language or "", str(v))):
        values.setdefault((value.language or "").lower(), str(value))
    return values


def _parse_file(path: Path) -> dict[str, Any]:
    """One Turtle file as a plain dict (the same shape the JSON cache stores)."""
    graph = Graph().parse(path, format="turtle")
    schemes = [s for s in graph.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef)]
    if len(schemes) != 1:
        raise ValueError(f"{path.name}: expected one skos:ConceptScheme, found {len(schemes)}")
    scheme = schemes[0]
    key = graph.value(scheme, CAT.key)
    if key is None or str(key) != path.stem:
        raise ValueError(f"{path.name}: cat:key {key!r} does not match the file name")
    members = sorted(
        c
        for c in graph.subjects(SKOS.inScheme, scheme)
        if isinstance(c, URIRef) and (c, RDF.type, SKOS.Concept) in graph
    )
    codes: dict[URIRef, str] = {}
    for iri in members:
        notation = graph.value(iri, SKOS.notation)
        if notation is None:
            raise ValueError(f"{path.name}: {iri} has no skos:notation")
        codes[iri] = str(notation)
    if len(set(codes.values())) != len(codes):
        raise ValueError(f"{path.name}: duplicate skos:notation codes")
    concepts = []
    for iri in members:
        annotations = sorted(
            (
                (str(p).removeprefix(str(CAT)), o)
                for p, o in graph.predicate_objects(iri)
                if str(p).startswith(str(CAT))
            ),
            key=lambda item: (item[0], str(item[1])),
        )
        flags = {
            name: (value.toPython() if isinstance(value, Literal) else str(value))
            for name, value in annotations
        }
        concepts.append(
            {
                "code": codes[iri],
                "iri": str(iri),
                "labels": _lang_map(graph, iri, SKOS.prefLabel),
                "definitions": _lang_map(graph, iri, SKOS.definition),
                "broader": sorted(
                    codes[cast(URIRef, b)] for b in graph.objects(iri, SKOS.broader) if b in codes
                ),
                "flags": {
                    k: v if isinstance(v, bool | int | float | str) else str(v)
                    for k, v in flags.items()
                },
            }
        )
    return {
        "key": str(key),
        "iri": str(scheme),
        "labels": _lang_map(graph, scheme, SKOS.prefLabel),
        "concepts": concepts,
    }


def _build(data: dict[str, Any]) -> Vocabulary:
    key = data["key"]
    concepts = [
        Concept(
            code=c["code"],
            iri=c["iri"],
            scheme=key,
            labels=c["labels"],
            definitions=c["definitions"],
            broader=tuple(c["broader"]),
            flags=c["flags"],
        )
        for c in data["concepts"]
    ]
    concepts.sort(key=lambda c: (c.label("en").casefold(), c.code))
    return Vocabulary(
        key=key, iri=data["iri"], labels=data["labels"], concepts={c.code: c for c in concepts}
    )


# --- cache ---------------------------------------------------------------------------------


def _fingerprint(files: list[Path]) -> str:
    digest = hashlib.sha256(f"format {CACHE_FORMAT}\n".encode())
    for path in files:
        digest.update(path.name.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _read_cache(path: Path, fingerprint: str) -> list[dict[str, Any]] | None:
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable vocabulary cache %s: %s", path, exc)
        return None
    if not isinstance(payload, dict) or payload.get("fingerprint") != fingerprint:
        return None
    schemes = payload.get("schemes")
    return schemes if isinstance(schemes, list) else None


def _write_cache(
    cache_dir: Path, path: Path, fingerprint: str, schemes: list[dict[str, Any]]
) -> None:
    """Write atomically (several workers may start at once) and drop stale caches."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        content = {"fingerprint": fingerprint, "schemes": schemes}
        write_atomically(path, json.dumps(content, ensure_ascii=False, separators=(",", ":")))
        for old in cache_dir.glob(f"{_CACHE_PREFIX}*.json"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:  # a read-only deployment still works, only slower to start
        log.warning("could not write vocabulary cache in %s: %s", cache_dir, exc)


def load_vocabularies(directory: Path, cache_dir: Path | None = None) -> Vocabularies:
    """Load every ``*.ttl`` in ``directory``; with ``cache_dir``, use or refresh a JSON cache."""
    directory = Path(directory)
    files = sorted(directory.glob("*.ttl"))
    if not files:
        raise FileNotFoundError(f"no vocabulary files (*.ttl) in {directory}")
    schemes: list[dict[str, Any]] | None = None
    if cache_dir is not None:
        fingerprint = _fingerprint(files)
        cache_path = Path(cache_dir) / f"{_CACHE_PREFIX}{fingerprint[:16]}.json"
        schemes = _read_cache(cache_path, fingerprint)
    if schemes is None:
        schemes = [_parse_file(path) for path in files]
        if cache_dir is not None:
            _write_cache(Path(cache_dir), cache_path, fingerprint, schemes)
    return Vocabularies({data["key"]: _build(data) for data in schemes})


@cache
def default_vocabularies() -> Vocabularies:
    """The app's vocabularies: ``CATALOGUE_VOCABULARIES_DIR`` or ``<project>/vocabularies``.

    Cached in ``<data dir>/cache/`` (``CATALOGUE_DATA_DIR``, default ``<project>/data``, as in
    the settings: a read-only checkout must not be written to) and loaded once per process.
    """
    directory = Path(os.environ.get("CATALOGUE_VOCABULARIES_DIR") or PROJECT_ROOT / "vocabularies")
    data_dir = Path(os.environ.get("CATALOGUE_DATA_DIR") or PROJECT_ROOT / "data")
    return load_vocabularies(directory, cache_dir=data_dir / "cache")
