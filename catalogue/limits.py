"""Every request limit in one place, so no input can crash a request or hold a worker.

The values an operator may want to change come from :class:`catalogue.settings.Settings`
(``CATALOGUE_MAX_BODY_BYTES`` and friends, see the README's "Limits"); the rest are fixed
here. Nothing in this module knows HTTP: the exceptions below say which limit was passed,
and :mod:`catalogue.web.errors` gives each its status code.
"""

from __future__ import annotations

import itertools
import re
from array import array
from dataclasses import dataclass
from functools import cache

from catalogue.settings import Settings, get_settings

KIB = 1024
MIB = 1024 * KIB


@dataclass(frozen=True)
class Limits:
    """What one request may ask for. Each limit's name is what the error bodies call it."""

    max_body_bytes: int = 1 * MIB
    """A request body, unless :attr:`body_bytes_by_route` says otherwise."""
    body_bytes_by_route: tuple[tuple[str, int], ...] = (
        ("/api/v1/validate", 2 * MIB),
        ("/api/v1/datasets", 1 * MIB),
        ("/api/3/action", 64 * KIB),
        ("/api/action", 64 * KIB),
    )
    """(path prefix, bytes); the longest matching prefix wins."""
    max_json_depth: int = 32
    """Nesting of arrays and objects in any JSON body (a dataset document needs about 8)."""
    max_query_string_bytes: int = 4096
    max_query_parameters: int = 64
    max_int: int = 2**31 - 1
    """Integers in paths and parameters: PostgreSQL's ``integer`` (SQLite takes 64 bits)."""
    max_search_terms: int = 32
    """Words, phrases and field:value parts of one search query."""
    max_search_patterns: int = 4
    """Words with ``*`` or ``?`` in one query."""
    min_pattern_prefix: int = 1
    """Letters a pattern must start with before its first ``*`` or ``?`` (no ``*a``)."""
    max_pattern_words: int = 32
    """Dictionary words one pattern may stand for in each field (the commonest win, and
    the answer says that it may be incomplete)."""
    max_pattern_scan: int = 2_000
    """Dictionary words looked at, per field, to find a pattern's words."""
    max_query_depth: int = 8
    """Parentheses inside parentheses, in a search query and in CKAN's ``fq``."""
    search_budget_seconds: float = 0.5
    """Time for expanding a search's patterns; past it the search goes on with the words
    found so far and says that the result may be incomplete."""
    max_rdf_triples: int = 20_000
    """Triples in one document sent to ``POST /api/v1/validate``."""
    validation_budget_seconds: float = 10.0
    """Time for one ``POST /api/v1/validate``; past it the answer is a 400."""
    slow_request_seconds: float = 1.0
    """Requests slower than this are logged on ``catalogue.web.slow``."""

    def body_limit(self, path: str) -> int:
        matches = [
            (len(prefix), size)
            for prefix, size in self.body_bytes_by_route
            if path == prefix or path.startswith(prefix.rstrip("/") + "/")
        ]
        return max(matches)[1] if matches else self.max_body_bytes

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            max_body_bytes=settings.max_body_bytes,
            body_bytes_by_route=(
                ("/api/v1/validate", settings.max_rdf_bytes),
                ("/api/v1/datasets", settings.max_body_bytes),
                ("/api/3/action", 64 * KIB),
                ("/api/action", 64 * KIB),
            ),
            max_rdf_triples=settings.max_rdf_triples,
            search_budget_seconds=settings.search_budget_seconds,
            validation_budget_seconds=settings.validation_budget_seconds,
            slow_request_seconds=settings.slow_request_seconds,
        )


_chosen: Limits | None = None


@cache
def _limits_for(settings: Settings) -> Limits:
    return Limits.from_settings(settings)


def limits() -> Limits:
    """The limits in force: the process-wide settings', unless :func:`use_limits` chose."""
    return _chosen if _chosen is not None else _limits_for(get_settings())


def use_limits(chosen: Limits | None) -> None:
    """Put other limits in force (``None``: back to the settings'), e.g. a test's."""
    global _chosen
    _chosen = chosen


class LimitExceeded(Exception):
    """A request passed one of the :class:`Limits`; ``field`` names what was too big.

    ``kind`` says what sort of limit it was, and so which status code it gets:
    ``body`` (413), ``query_string`` (414), ``time`` and everything else (400).
    """

    def __init__(self, field: str, limit: str, message: str, kind: str = "value") -> None:
        super().__init__(message)
        self.field = field
        self.limit = limit
        self.message = message
        self.kind = kind


# A string, or an unclosed one up to the end: every match succeeds, so the scan is linear
# (a pattern that could fail would be retried at each quote: quadratic on '"\\"\\"\\"…').
_JSON_STRING = re.compile(rb'"(?:[^"\\]++|\\.?)*+(?:"|\Z)', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_BRACKET_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


def json_depth(body: bytes) -> int:
    """How deeply arrays and objects nest in a JSON text, without parsing it.

    Strings are removed first (a bracket inside one does not count), then the depth is the
    highest running sum of +1 per opening and -1 per closing bracket, all in C: a megabyte
    takes milliseconds, and a million opening brackets cannot overflow any stack.
    """
    brackets = _JSON_STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    if not brackets:
        return 0
    steps = array("b", brackets.translate(_BRACKET_STEPS))
    return max(itertools.accumulate(steps))


def check_json_depth(body: bytes, field: str = "(body)") -> None:
    maximum = limits().max_json_depth
    if json_depth(body) > maximum:
        raise LimitExceeded(
            field,
            "max_json_depth",
            f"JSON may nest arrays and objects at most {maximum} levels deep",
        )
