"""Our SHACL shapes compiled into plain Python checks: pyshacl's results, 50x faster.

pyshacl re-reads the shapes graph and walks rdflib's store on every validation (~15-30 ms a
dataset), which caps a bulk load at a few dozen datasets a second. :func:`compile_shapes`
reads the shapes once and builds one closure per constraint; :class:`TripleIndex` is a
dict-of-dicts graph that :func:`catalogue.dcat.mapping.dataset_graph` can write into
directly (it only calls ``add``). Only the SHACL Core features our shapes use are compiled;
any other one makes :func:`compile_shapes` refuse (:class:`UnsupportedShape`), so the
compiled checks can never silently differ from pyshacl. ``tests/test_dcat_shapes.py`` runs
both on the seed and on generated, also failing, documents and compares every result.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import NamedTuple, cast

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node


def _has_class(cls: Node) -> Callable[[TripleIndex, Node], bool]:
    """sh:class: the value is an instance of ``cls`` (or of a subclass)."""
    return lambda data, value: data.has_class(value, cls)


class UnsupportedShape(ValueError):
    """The shapes use a SHACL feature this compiler does not implement."""


class Result(NamedTuple):
    severity: URIRef
    focus: Node
    path: Node | None
    message: str
    value: Node | None


# Read per triple added and per lookup: an rdflib namespace makes a new term on every access.
_TYPE, _SUBCLASS_OF = RDF.type, RDFS.subClassOf


class TripleIndex:
    """A set of triples indexed by subject and by object: what the checks need, no more."""

    def __init__(self) -> None:
        self._out: dict[Node, dict[Node, dict[Node, None]]] = {}
        self._inverse: dict[Node, list[tuple[Node, Node]]] | None = None
        self._typed: dict[Node, list[Node]] | None = None
        self._subclasses = False

    def add(self, triple: tuple[Node, Node, Node]) -> None:
        subject, predicate, value = triple
        try:
            self._out[subject][predicate][value] = None
        except KeyError:
            self._out.setdefault(subject, {}).setdefault(predicate, {})[value] = None
        self._inverse = self._typed = None
        if predicate == _SUBCLASS_OF:
            self._subclasses = True

    @classmethod
    def from_graph(cls, graph: Graph) -> TripleIndex:
        index = cls()
        for triple in graph:
            index.add(triple)
        return index

    def _in(self) -> dict[Node, list[tuple[Node, Node]]]:
        """Subjects and predicates by object, built when first asked for."""
        if self._inverse is None:
            self._inverse = {}
            for subject, predicate, value in self:
                self._inverse.setdefault(value, []).append((subject, predicate))
        return self._inverse

    def objects(self, subject: Node, predicate: Node) -> Iterable[Node]:
        return self._out.get(subject, {}).get(predicate, ())

    def subjects(self, predicate: Node, value: Node) -> Iterator[Node]:
        if predicate == _TYPE:  # the common case: a small index of its own
            if self._typed is None:
                self._typed = {}
                for subject, predicates in self._out.items():
                    for kind in predicates.get(_TYPE, ()):
                        self._typed.setdefault(kind, []).append(subject)
            return iter(self._typed.get(value, ()))
        return (s for s, p in self._in().get(value, ()) if p == predicate)

    def subject_predicates(self, value: Node) -> list[tuple[Node, Node]]:
        return list(self._in().get(value, ()))

    def __iter__(self) -> Iterator[tuple[Node, Node, Node]]:
        for subject, predicates in self._out.items():
            for predicate, values in predicates.items():
                for value in values:
                    yield subject, predicate, value

    def __len__(self) -> int:
        return sum(len(v) for p in self._out.values() for v in p.values())

    def superclasses(self, cls: Node) -> set[Node]:
        """``cls`` and everything above it by ``rdfs:subClassOf`` (in the data graph)."""
        seen, todo = {cls}, [cls] if self._subclasses else []
        while todo:
            for parent in self.objects(todo.pop(), _SUBCLASS_OF):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def instances(self, cls: Node) -> set[Node]:
        """Nodes of type ``cls`` or of a subclass of it, as SHACL class targets find them."""
        classes, todo = {cls}, [cls] if self._subclasses else []
        while todo:
            for child in self.subjects(_SUBCLASS_OF, todo.pop()):
                if child not in classes:
                    classes.add(child)
                    todo.append(child)
        return {node for c in classes for node in self.subjects(_TYPE, c)}

    def has_class(self, node: Node, cls: Node) -> bool:
        if not isinstance(node, (URIRef, BNode)):
            return False
        if not self._subclasses:
            return cls in self.objects(node, _TYPE)
        return any(cls in self.superclasses(kind) for kind in self.objects(node, _TYPE))


# A value check: (data, value) -> conforms. A shape check: (data, focus) -> results.
ValueCheck = Callable[[TripleIndex, Node], bool]
Constraint = Callable[[TripleIndex, Node, list[Node]], Iterator[Node | None]]
"""Yields one item per failure: the value node reported, or None (count-like constraints)."""

ALLOWED = {
    RDF.type,
    SH.targetClass,
    SH.property,
    SH.path,
    SH.minCount,
    SH.maxCount,
    SH.nodeKind,
    SH["class"],
    SH.node,
    SH.datatype,
    SH.pattern,
    SH.hasValue,
    SH["or"],
    SH.severity,
    SH.message,
    SH.name,
    SH.description,
    RDFS.label,
    RDFS.comment,
    SH.order,
    SH.group,
}
NODE_KINDS = {
    SH.IRI: (URIRef,),
    SH.Literal: (Literal,),
    SH.BlankNode: (BNode,),
    SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal),
    SH.IRIOrLiteral: (URIRef, Literal),
}
# pyshacl's own test of a literal's value for the datatypes it knows (others: well-formed).
VALUE_TYPES: dict[Node, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: dt.date,
    XSD.time: dt.time,
    XSD.dateTime: dt.datetime,
}


def _datatype(rule: Node) -> ValueCheck:
    def check(_: TripleIndex, value: Node) -> bool:
        if not isinstance(value, Literal):
            return False
        if value.datatype == rule:
            if getattr(value, "ill_typed", None) is True:
                return False
            expected = VALUE_TYPES.get(rule)
            return expected is None or isinstance(value.value, expected)
        if rule == RDFS.Literal:
            return True
        if rule == RDFS.Datatype and value.datatype is not None:
            return True
        if value.datatype is None and value.language is None and rule == XSD.string:
            return isinstance(value.value, (str, bytes))
        if rule == RDF.langString and value.language:
            return isinstance(value.value, (str, bytes))
        return False

    return check


def _text(value: Node) -> str:
    if (
        isinstance(value, Literal)
        and value.value is not None
        and value.datatype in (None, RDF.langString, XSD.string)
    ):
        return str(value.value)
    return str(value)


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.conforms: dict[Node, ValueCheck] = {}

    def one(self, node: Node, predicate: URIRef) -> Node | None:
        values = list(self.shapes.objects(node, predicate))
        if len(values) > 1:
            raise UnsupportedShape(f"{node} has several {predicate}")
        return values[0] if values else None

    def check_vocabulary(self, node: Node) -> None:
        for predicate in set(self.shapes.predicates(node, None)):
            if predicate not in ALLOWED:
                raise UnsupportedShape(f"{node} uses {predicate}, which is not compiled")

    def constraints(self, node: Node) -> list[Constraint]:
        """Every value constraint of a shape, each yielding its failures."""
        found: list[Constraint] = []

        def per_value(test: ValueCheck) -> Constraint:
            def run(data: TripleIndex, _: Node, values: list[Node]) -> Iterator[Node | None]:
                return (v for v in values if not test(data, v))

            return run

        if (low := self.one(node, SH.minCount)) is not None:
            minimum = int(cast(Literal, low))
            found.append(lambda d, f, values: iter([None] if len(values) < minimum else []))
        if (high := self.one(node, SH.maxCount)) is not None:
            maximum = int(cast(Literal, high))
            found.append(lambda d, f, values: iter([None] if len(values) > maximum else []))
        if (kind := self.one(node, SH.nodeKind)) is not None:
            types = NODE_KINDS[cast(URIRef, kind)]
            found.append(per_value(lambda d, v: isinstance(v, types)))
        for cls in self.shapes.objects(node, SH["class"]):
            found.append(per_value(_has_class(cls)))
        if (datatype := self.one(node, SH.datatype)) is not None:
            found.append(per_value(_datatype(datatype)))
        if (pattern := self.one(node, SH.pattern)) is not None:
            regex = re.compile(str(pattern))
            found.append(
                per_value(
                    lambda d, v: not isinstance(v, BNode) and regex.search(_text(v)) is not None
                )
            )
        if (wanted := self.one(node, SH.hasValue)) is not None:
            found.append(lambda d, f, values: iter([] if wanted in values else [None]))
        for shape in self.shapes.objects(node, SH.node):
            test = self.node_conforms(shape)
            found.append(per_value(test))
        if (members := self.one(node, SH["or"])) is not None:
            tests = [self.node_conforms(m) for m in Collection(self.shapes, members)]
            found.append(per_value(lambda d, v: any(t(d, v) for t in tests)))
        return found

    def path(self, shape: Node) -> Callable[[TripleIndex, Node], list[Node]]:
        path = self.one(shape, SH.path)
        if isinstance(path, URIRef):
            return lambda data, focus: list(data.objects(focus, path))
        alternatives = self.one(path, SH.alternativePath) if path is not None else None
        if alternatives is None or set(self.shapes.predicates(path, None)) != {SH.alternativePath}:
            raise UnsupportedShape(f"{shape} has a path that is not compiled")
        steps = list(Collection(self.shapes, alternatives))
        if not all(isinstance(step, URIRef) for step in steps):
            raise UnsupportedShape(f"{shape} has a nested alternative path")

        def values(data: TripleIndex, focus: Node) -> list[Node]:
            return list(dict.fromkeys(v for step in steps for v in data.objects(focus, step)))

        return values

    def shape(
        self, node: Node, reporting: bool = True
    ) -> Callable[[TripleIndex, Node], Iterator[Result]]:
        """A node or property shape applied to one focus node: its results (``reporting``:
        they reach the report, so each needs its message; else only conformance counts)."""
        self.check_vocabulary(node)
        is_property = self.one(node, SH.path) is not None
        values_of = self.path(node) if is_property else (lambda data, focus: [focus])
        result_path = self.one(node, SH.path) if is_property else None
        severity = self.one(node, SH.severity) or SH.Violation
        message = self.one(node, SH.message)
        constraints = self.constraints(node)
        children = [
            self.shape(child, reporting) for child in self.shapes.objects(node, SH.property)
        ]
        if reporting and constraints and message is None:
            raise UnsupportedShape(f"{node} has no sh:message (pyshacl would write its own)")
        text = str(message or "")

        def run(data: TripleIndex, focus: Node) -> Iterator[Result]:
            values = values_of(data, focus)
            for constraint in constraints:
                for value in constraint(data, focus, values):
                    yield Result(cast(URIRef, severity), focus, result_path, text, value)
            for child in children:
                yield from child(data, focus)

        if is_property and list(self.shapes.objects(node, SH.property)):
            raise UnsupportedShape(f"{node}: a property shape with sh:property")
        return run

    def node_conforms(self, node: Node) -> ValueCheck:
        """Whether a value conforms to a shape (sh:node, sh:or): no result is kept."""
        if node not in self.conforms:
            self.conforms[node] = lambda d, v: True  # recursion guard while compiling
            run = self.shape(node, reporting=False)
            self.conforms[node] = lambda data, value: next(iter(run(data, value)), None) is None
        test = self.conforms
        return lambda data, value: test[node](data, value)


class CompiledShapes:
    """The targeted shapes of a shapes graph, ready to validate a :class:`TripleIndex`."""

    def __init__(self, shapes: Graph) -> None:
        compiler = _Compiler(shapes)
        for predicate in (
            SH.targetNode,
            SH.targetSubjectsOf,
            SH.targetObjectsOf,
            SH.deactivated,
            SH.sparql,
            SH.rule,
            SH.target,
        ):
            if next(iter(shapes.subject_objects(predicate)), None) is not None:
                raise UnsupportedShape(f"{predicate} is not compiled")
        for kind in (RDFS.Class,):
            for node in shapes.subjects(RDF.type, kind):
                if (node, RDF.type, SH.NodeShape) in shapes:
                    raise UnsupportedShape("implicit class targets are not compiled")
        self.targets: list[tuple[Node, Callable[[TripleIndex, Node], Iterator[Result]]]] = [
            (cls, compiler.shape(node))
            for node, cls in sorted(shapes.subject_objects(SH.targetClass))
        ]

    def validate(self, data: TripleIndex | Graph) -> list[Result]:
        if isinstance(data, Graph):
            data = TripleIndex.from_graph(data)
        results: list[Result] = []
        for cls, run in self.targets:
            for focus in data.instances(cls):
                results.extend(run(data, focus))
        return results


def compile_shapes(shapes: Graph) -> CompiledShapes:
    return CompiledShapes(shapes)


__all__ = ["CompiledShapes", "Result", "TripleIndex", "UnsupportedShape", "compile_shapes"]
