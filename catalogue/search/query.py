"""The query language, did-you-mean suggestions and highlighted snippets.

Syntax: words (all must match), ``"quoted phrases"``, ``-word`` to exclude, ``OR``/``AND``/
``NOT`` and parentheses, ``field:value`` (fields in :data:`USER_FIELDS`), ``word*`` prefixes.
"""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA
from whoosh import query as wq
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import TEXT, Schema
from whoosh.qparser import AndGroup, FieldAliasPlugin, MultifieldParser, OrGroup, PlusMinusPlugin

from catalogue.domain.problems import InvalidDocument, Problem
from catalogue.limits import limits
from catalogue.search.patterns import check_query_limits
from catalogue.search.schema import FACET_FIELDS, languages, normalise_title, schema, text_fields
from catalogue.search.snapshot import Snapshot
from catalogue.settings import get_settings

ALIASES = {
    "keywords": ["keyword", "tag", "tags"],
    "attributes": ["attribute", "column", "field"],
    "related_text": ["about"],
    "licence": ["license"],
}
SNIPPET_CHARS = 240
_FIELD_PREFIX = re.compile(r"(?:^|[\s(+\-])([A-Za-z_]\w*):(\S?)")
_TOKEN = re.compile(r"\w+")
_WORD = re.compile(r"^[^\W\d_]{3,}$")


def user_fields() -> list[str]:
    """Field names a query may use before a colon."""
    names = ["title", "description", "keywords", "attributes", "related_text", *FACET_FIELDS]
    for aliases in ALIASES.values():
        names.extend(aliases)
    return names


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    query: Any  # a whoosh query; None for an empty query string
    any_word: Any  # the same words with OR, to fall back on when nothing matches all
    exact_title: str  # normalised query text when it is plain words (an exact title ranks first)
    words: tuple[str, ...]  # plain words, for spelling suggestions


def _problem(message: str) -> InvalidDocument:
    return InvalidDocument([Problem("q", message, "invalid_query")])


@cache
def _parser_schema() -> Schema:
    """The index schema plus ``title``, which the parser accepts and
    :func:`_rewrite_fields` spreads over the per-language title fields."""
    fields = {name: schema()[name] for name in schema().names()}
    return Schema(title=TEXT(analyzer=StandardAnalyzer(stoplist=None)), **fields)


@cache
def _parser(group_name: str) -> MultifieldParser:
    group = AndGroup if group_name == "and" else OrGroup
    parser = MultifieldParser(list(text_fields()), _parser_schema(), group=group)
    # Only a leading - or + is an operator: "financial-administration" stays one word.
    parser.add_plugin(PlusMinusPlugin(plusexpr=r"(?<![^\s(])\+", minusexpr=r"(?<![^\s(])-"))
    default = get_settings().default_language
    parser.add_plugin(FieldAliasPlugin({**ALIASES, f"description_{default}": ["description"]}))
    return parser


def _outside_quotes(text: str) -> str:
    return re.sub(r'"[^"]*"', '"…"', text)


def validate_syntax(text: str) -> None:
    """Reject what whoosh would silently misread, naming the problem."""
    if text.count('"') % 2:
        raise _problem('a quoted phrase is not closed: add the missing " (double quote)')
    depth, maximum = 0, limits().max_query_depth
    for char in _outside_quotes(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            raise _problem("a ')' closes nothing: remove it or add the matching '('")
        if depth > maximum:
            raise _problem(
                f"parentheses may nest at most {maximum} levels deep (limit max_query_depth)"
            )
    if depth:
        raise _problem("a '(' is not closed: add the matching ')'")
    known = set(user_fields())
    for match in _FIELD_PREFIX.finditer(_outside_quotes(text) + " "):
        name, following = match.group(1), match.group(2)
        if name not in known:
            raise _problem(
                f"unknown field '{name}:'; use one of {', '.join(sorted(known))} "
                f"(or put the text in double quotes)"
            )
        if not following or following.isspace():
            raise _problem(f"'{name}:' needs a value right after the colon")


def _in_titles(q: Any) -> Any:
    """``title:x`` looks in every language's title, each word analysed as that field is."""
    alternatives = []
    for language in languages():
        field = f"title_{language}"
        if type(q) is wq.Term:  # not a FuzzyTerm or Variations: those are copied as they are
            text = _analysed(field, q.text)
            if text is not None:
                alternatives.append(wq.Term(field, text, boost=q.boost))
        elif type(q) is wq.Phrase:
            words = [w for w in (_analysed(field, word) for word in q.words) if w is not None]
            if words:
                alternatives.append(wq.Phrase(field, words, boost=q.boost))
        else:
            copy = q.copy()
            copy.fieldname = field
            alternatives.append(copy)
    return wq.Or(alternatives) if alternatives else wq.NullQuery


def _rewrite_fields(q: Any) -> Any:
    """``description:x`` means the default language's description field, ``title:x`` any
    title; a phrase in a field indexed without positions becomes "all these words"."""
    default = get_settings().default_language
    if getattr(q, "fieldname", None) == "title" and q.is_leaf():
        return _in_titles(q)
    if isinstance(q, wq.Phrase) and not schema()[q.fieldname].format.supports("positions"):
        return wq.And([wq.Term(q.fieldname, word) for word in q.words], boost=q.boost)
    if isinstance(q, wq.Term | wq.Phrase | wq.Prefix | wq.Wildcard | wq.FuzzyTerm) and (
        q.fieldname == "description"
    ):
        q = q.copy()
        q.fieldname = f"description_{default}"
    return q.apply(_rewrite_fields) if isinstance(q, wq.CompoundQuery | wq.BinaryQuery) else q


def parse(text: str) -> ParsedQuery:
    return _parse(text.strip())


@lru_cache(maxsize=2048)
def _parse(text: str) -> ParsedQuery:
    if not text:
        return ParsedQuery("", None, None, "", ())
    if len(text) > 1000:
        raise _problem("the query is longer than 1000 characters")
    validate_syntax(text)
    check_query_limits(text)
    try:
        query = _rewrite_fields(_parser("and").parse(text))
        any_word = _rewrite_fields(_parser("or").parse(text))
    except Exception as error:  # whoosh's parser errors have no common base class
        raise _problem(
            f"the query could not be read ({type(error).__name__}: {error}); check the "
            "operators (AND, OR, NOT, -word) and parentheses"
        ) from None
    tokens = text.split()
    plain = all(_WORD.match(token) or token.isalnum() for token in tokens)
    words = tuple(t.lower() for t in tokens if _WORD.match(t))
    return ParsedQuery(text, query, any_word, normalise_title(text) if plain else "", words)


def with_facet_codes(q: Any, snapshot: Snapshot) -> Any:
    """``format:csv`` finds CSV: facet values are codes, matched regardless of case."""
    if q is None:
        return None
    if isinstance(q, wq.Term) and q.fieldname in FACET_FIELDS:
        values = snapshot.facet(q.fieldname)
        if q.text not in values:
            lowered = str(q.text).lower()
            match = next((value for value in values if value.lower() == lowered), None)
            if match is not None:
                q = q.copy()
                q.text = match
        return q
    return q.apply(lambda sub: with_facet_codes(sub, snapshot)) if q.is_leaf() is False else q


def matching_bits(snapshot: Snapshot, parsed: ParsedQuery, q: Any) -> int:
    bits = snapshot.query_bits(q)
    if parsed.exact_title:
        bits |= snapshot.term_bits("title_exact", parsed.exact_title) & snapshot.live
    return bits


def suggest(snapshot: Snapshot, parsed: ParsedQuery, visible: int) -> str | None:
    """A corrected query when some word is not in the catalogue's vocabulary.

    A word missing from the spelling dictionary (titles, keywords, attribute names) gets
    up to three close words (edit distance ≤ 2, same first letter); a word that matched
    through stemming ("registr") stays a candidate too. Of the combinations, the one that the
    one with the most dictionary words wins, then the one with the fewest edits ("wether" is
    "weather", not "water"), then the one the most visible datasets contain, so "populaton
    registr" becomes "population register".
    """
    if not parsed.words:
        return None
    dictionary = snapshot.spelling
    options: list[list[str]] = []
    for word in parsed.words:
        if dictionary.frequency(word):
            options.append([word])
            continue
        # A word that matched through stemming stays a candidate next to its close words.
        keep = [word] if word_bits(snapshot, word) & visible else []
        options.append([*close_words(snapshot, word), *keep] or [word])
    if all(choices == [word] for choices, word in zip(options, parsed.words, strict=True)):
        return None
    best, best_key = None, (False, 0, 0, 0)
    for combination in itertools.islice(itertools.product(*options), 64):
        bits = visible
        for word in combination:
            bits &= word_bits(snapshot, word)
        real = sum(1 for word in combination if dictionary.frequency(word))
        distance = sum(
            OSA.distance(typed, word) for typed, word in zip(parsed.words, combination, strict=True)
        )
        key = (bits.bit_count() > 0, real, -distance, bits.bit_count())
        if key[0] and key > best_key:
            best, best_key = combination, key
    if best is None or list(best) == list(parsed.words):
        return None
    return " ".join(best)


def word_bits(snapshot: Snapshot, word: str) -> int:
    """Documents a single plain word matches (in any text field, stemmed)."""
    key = ("word", word)
    if key not in snapshot.memo:
        snapshot.memo[key] = snapshot.query_bits(_parser("and").parse(word))
    return snapshot.memo[key]


def close_words(snapshot: Snapshot, word: str, limit: int = 3) -> list[str]:
    """Up to ``limit`` catalogue words within edit distance 2 (adjacent swaps count as one)
    that share the first letter, the closest and most common first. The distances are
    computed by rapidfuzz in C: in Python this was ~45 ms per unknown word at 100k datasets."""
    key = ("close", word)
    if key not in snapshot.memo:
        dictionary = snapshot.spelling
        candidates = [
            candidate
            for candidate in dictionary.starting_with(word[0])
            if abs(len(candidate) - len(word)) <= 2
        ]
        matches = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=2, limit=None)
        scored = sorted(
            (distance, -dictionary.frequency(candidate), candidate)
            for candidate, distance, _index in matches
        )
        snapshot.memo[key] = [candidate for *_rank, candidate in scored[:limit]]
    return snapshot.memo[key]


@lru_cache(maxsize=50_000)
def _analysed(field: str, word: str) -> str | None:
    """The indexed form of one word in ``field`` (its stem), or None for a stop word."""
    token = next(iter(schema()[field].analyzer(word)), None)
    return token.text if token is not None else None


def _mark(text: str, matches: list[re.Match[str]], start: int, end: int) -> str:
    parts, position = [], start
    for match in matches:
        if match.start() < start or match.end() > end:
            continue
        parts.append(html.escape(text[position : match.start()], quote=False))
        parts.append(f"<mark>{html.escape(match.group(), quote=False)}</mark>")
        position = match.end()
    parts.append(html.escape(text[position:end], quote=False))
    return ("… " if start else "") + "".join(parts) + (" …" if end < len(text) else "")


def snippet(descriptions: dict[str, str], q: Any, language: str = "") -> str:
    """About 240 characters of the description around the first matched word, with matched
    words in ``<mark>`` and everything else escaped; its beginning when nothing matched.

    Words are matched by their indexed form (stem), like the search itself; a small
    tokenizer is used instead of whoosh's highlighter, which analyses every hit's whole text.
    """
    order = [*([language] if language else []), get_settings().default_language, *languages()]
    found = next((lang for lang in order if descriptions.get(lang)), None)
    if found is None:
        return ""
    language = found
    text = descriptions[language]
    field = f"description_{language}"
    terms = {
        t.decode("utf-8") if isinstance(t, bytes) else t
        for name, t in (q.all_terms() if q is not None else ())
        if name == field
    }
    found_words = (
        m for m in _TOKEN.finditer(text) if terms and _analysed(field, m.group()) in terms
    )
    matches = list(itertools.islice(found_words, 1))
    start = 0
    if matches and matches[0].start() > SNIPPET_CHARS - 80:
        start = text.rfind(" ", 0, max(0, matches[0].start() - 60)) + 1
    # Only words before the snippet's end are marked: the rest of the text is not analysed.
    matches.extend(itertools.takewhile(lambda m: m.start() < start + SNIPPET_CHARS, found_words))
    end = (
        len(text)
        if len(text) - start <= SNIPPET_CHARS
        else text.rfind(" ", start, start + SNIPPET_CHARS)
    )
    if end <= start:
        end = min(len(text), start + SNIPPET_CHARS)
    return _mark(text, matches, start, end)
