"""CKAN's ``fq`` and ``sort`` (a subset of Solr's syntax), parsed into plain objects.

Pure Python, no search engine: ``parse_fq`` turns ``organization:police -res_format:PDF``,
``groups:(envi OR heal)`` or ``metadata_modified:[2024-01-01T00:00:00Z TO *]`` into a tree
(``filters.plan`` then says it in the search service's terms). Clauses are joined by AND
unless ``OR`` says otherwise (CKAN sets ``q.op=AND``). Anything we cannot read raises
``FqError`` with a message that says what and where, never a silent match-all.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from catalogue.limits import limits

MAX_FQ_LENGTH = 4000
DATE_ARITHMETIC = re.compile(r"([+-]\d+|/)(YEAR|MONTH|DAY|HOUR|MINUTE|SECOND)S?", re.IGNORECASE)
UNIT_SECONDS = {"DAY": 86400, "HOUR": 3600, "MINUTE": 60, "SECOND": 1}


class FqError(ValueError):
    """The filter or sort cannot be read; the message names the problem."""


@dataclass(frozen=True)
class MatchAll:
    """``*:*``: every package."""


@dataclass(frozen=True)
class Term:
    """``field:value``; ``*`` and ``?`` in the value are wildcards; ``field:*`` means present."""

    field: str
    value: str


@dataclass(frozen=True)
class Range:
    """``field:[low TO high]`` (``{}`` excludes the ends); ``None`` is an open end (``*``)."""

    field: str
    low: str | dt.datetime | None
    high: str | dt.datetime | None
    include_low: bool = True
    include_high: bool = True


@dataclass(frozen=True)
class Not:
    clause: Clause


@dataclass(frozen=True)
class All:
    clauses: tuple[Clause, ...]


@dataclass(frozen=True)
class Any_:
    clauses: tuple[Clause, ...]


Clause = MatchAll | Term | Range | Not | All | Any_


def parse_solr_date(text: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """``2024-01-31``, ``2024-01-31T10:00:00Z``, ``NOW``, ``NOW-7DAYS``, ``NOW/DAY`` -> UTC."""
    value = text.strip()
    if value.upper().startswith("NOW"):
        moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        rest = value[3:]
        while rest:
            match = DATE_ARITHMETIC.match(rest)
            if not match:
                return None
            step, unit = match.group(1), match.group(2).upper()
            moment = _shift(moment, step, unit)
            rest = rest[match.end() :]
        return moment
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)


def _shift(moment: dt.datetime, step: str, unit: str) -> dt.datetime:
    if step == "/":  # round down to the unit
        parts = ["YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"]
        keep = parts.index(unit)
        values = {"month": 1, "day": 1, "hour": 0, "minute": 0, "second": 0, "microsecond": 0}
        rounded: dict[str, Any] = dict(list(values.items())[keep:])
        return moment.replace(**rounded)
    amount = int(step)
    if unit in UNIT_SECONDS:
        return moment + dt.timedelta(seconds=amount * UNIT_SECONDS[unit])
    months = moment.year * 12 + moment.month - 1 + (amount * 12 if unit == "YEAR" else amount)
    year, month = divmod(months, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return moment.replace(year=year, month=month + 1, day=min(moment.day, last_day))


# --- tokenising ------------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    """Split into words, brackets and quoted strings; backslash escapes any character."""
    tokens: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char.isspace():
            index += 1
        elif char in "()":
            tokens.append(char)
            index += 1
        else:
            start, in_quotes, in_range = index, False, ""
            while index < len(text):
                char = text[index]
                if char == "\\":
                    index += 2
                    continue
                if in_quotes:
                    in_quotes = char != '"'
                elif in_range:
                    in_range = "" if char in "]}" else in_range
                elif char == '"':
                    in_quotes = True
                elif char in "[{":
                    in_range = char
                elif char.isspace() or char in "()":
                    break
                index += 1
            if in_quotes or in_range:
                raise FqError(f"unclosed {'quote' if in_quotes else 'range'} in {text[start:]!r}")
            tokens.append(text[start:index])
    return tokens


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _split_field(token: str) -> tuple[str, str] | None:
    """``field:value`` -> (field, value) on the first unescaped colon."""
    match = re.match(r"^((?:[^:\\]|\\.)+):(.*)$", token, re.DOTALL)
    return (match.group(1), match.group(2)) if match else None


# --- parsing ---------------------------------------------------------------------------------


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.position = 0

    def peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def expression(self, field: str | None) -> Clause:
        alternatives = [self.conjunction(field)]
        while self.peek() in {"OR", "||"}:
            self.take()
            alternatives.append(self.conjunction(field))
        return alternatives[0] if len(alternatives) == 1 else Any_(tuple(alternatives))

    def conjunction(self, field: str | None) -> Clause:
        clauses = [self.unary(field)]
        while (token := self.peek()) is not None and token not in {"OR", "||", ")"}:
            if token in {"AND", "&&"}:
                self.take()
            clauses.append(self.unary(field))
        return clauses[0] if len(clauses) == 1 else All(tuple(clauses))

    def unary(self, field: str | None) -> Clause:
        token = self.peek()
        if token is None:
            raise FqError("the filter ends where a condition was expected")
        if token in {"NOT", "!"}:
            self.take()
            return Not(self.unary(field))
        if token in {"AND", "OR", "&&", "||"}:
            raise FqError(f"'{token}' needs a condition before it")
        if token.startswith(("-", "+")) and len(token) > 1:
            self.tokens[self.position] = token[1:]
            inner = self.unary(field)
            return Not(inner) if token[0] == "-" else inner
        if token in {"-", "+"}:
            self.take()
            if self.peek() != "(":
                raise FqError(f"'{token}' must be followed by a condition")
            inner = self.unary(field)
            return Not(inner) if token == "-" else inner
        return self.primary(field)

    def primary(self, field: str | None) -> Clause:
        token = self.take()
        if token == "(":
            inner = self.expression(field)
            if self.peek() != ")":
                raise FqError("a '(' is never closed")
            self.take()
            return inner
        if token == ")":
            raise FqError("a ')' has no matching '('")
        if token in {"*:*", "*"} and field is None:
            return MatchAll()
        split = _split_field(token)
        if field is None:
            if split is None:
                raise FqError(f"'{_unescape(token)}' must be written field:value")
            name, value = split
            name = _unescape(name)
            if value == "":
                if self.peek() != "(":
                    raise FqError(f"'{name}:' has no value")
                self.take()
                inner = self.expression(name)
                if self.peek() != ")":
                    raise FqError(f"the values of '{name}' are not closed with ')'")
                self.take()
                return inner
            return _value_clause(name, value)
        if split is not None and not token.startswith(('"', "[", "{")):
            raise FqError(f"'{token}' is a field inside the values of '{field}'")
        return _value_clause(field, token)


def _value_clause(field: str, value: str) -> Clause:
    if value[:1] in "[{":
        return _range(field, value)
    if value.startswith('"'):
        if len(value) < 2 or not value.endswith('"'):
            raise FqError(f"the quoted value of '{field}' is not closed")
        return Term(field, _unescape(value[1:-1]))
    return Term(field, _unescape(value))


def _range(field: str, value: str) -> Range:
    match = re.match(r"^([\[{])\s*(\S+)\s+TO\s+(\S+)\s*([\]}])$", value)
    if not match:
        raise FqError(f"'{field}:{value}' is not a range such as [2024-01-01T00:00:00Z TO *]")
    opening, low, high, closing = match.groups()
    return Range(
        field,
        _bound(field, _unescape(low)),
        _bound(field, _unescape(high)),
        include_low=opening == "[",
        include_high=closing == "]",
    )


def _bound(field: str, text: str) -> str | dt.datetime | None:
    if text == "*":
        return None
    if re.match(r"^(\d{4}-\d{2}-\d{2}|NOW)", text, re.IGNORECASE):
        moment = parse_solr_date(text)
        if moment is None:
            raise FqError(f"'{text}' in the range of '{field}' is not a date")
        return moment
    return text


def _check_depth(tokens: list[str]) -> None:
    """The parser recurses once per '(' and per NOT or sign: both are bounded first."""
    maximum, depth, deepest = limits().max_query_depth, 0, 0
    for token in tokens:
        depth += {"(": 1, ")": -1}.get(token, 0)
        deepest = max(deepest, depth)
    if deepest > maximum:
        raise FqError(f"parentheses nest {deepest} deep; at most {maximum} levels are read")
    run = longest = 0
    for token in tokens:  # NOT NOT x, - - x and --x recurse once per operator too
        signs = len(token) - len(token.lstrip("+-"))
        run = run + 1 if token in {"NOT", "!", "-", "+"} else run + signs
        longest = max(longest, run)
        if token not in {"NOT", "!", "-", "+"}:
            run = 0
    if longest > maximum:
        raise FqError(f"{longest} NOT, - or + operators in a row; at most {maximum} are read")


def parse_fq(text: str) -> Clause:
    """The filter as a tree; an empty filter is ``MatchAll``."""
    if len(text) > MAX_FQ_LENGTH:
        raise FqError(f"the filter is longer than {MAX_FQ_LENGTH} characters")
    tokens = _tokens(text)
    if not tokens:
        return MatchAll()
    _check_depth(tokens)
    parser = _Parser(tokens)
    clause = parser.expression(None)
    if parser.peek() is not None:
        raise FqError(f"unexpected '{parser.peek()}'")
    return clause


def fields_of(clause: Clause) -> set[str]:
    """Every field a filter names, so callers can reject the ones they do not know."""
    if isinstance(clause, Term | Range):
        return {clause.field}
    if isinstance(clause, Not):
        return fields_of(clause.clause)
    if isinstance(clause, All | Any_):
        return set().union(*(fields_of(inner) for inner in clause.clauses))
    return set()


# --- sort ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SortKey:
    field: str
    descending: bool


def parse_sort(text: str, allowed: set[str]) -> list[SortKey]:
    """``metadata_modified desc, name asc`` -> keys; each field must be in ``allowed``."""
    keys: list[SortKey] = []
    for part in text.split(","):
        words = part.split()
        if not words:
            continue
        if len(words) > 2:
            raise FqError(f"'{part.strip()}' must be 'field asc' or 'field desc'")
        field = words[0]
        direction = words[1].lower() if len(words) == 2 else "asc"
        if direction not in {"asc", "desc"}:
            raise FqError(f"'{words[1]}' must be asc or desc")
        if field not in allowed:
            raise FqError(f"cannot sort by '{field}'; use one of {', '.join(sorted(allowed))}")
        keys.append(SortKey(field, direction == "desc"))
    if not keys:
        raise FqError("the sort is empty")
    return keys
