"""How text becomes index terms: accent folding for every language, and a light Slovenian
stemmer (no maintained Slovenian stemmer exists for Python; this one strips inflection).

The same analyzer runs on the indexed text and on the query, so "emso" finds "EMŠO" and
"davki", "davek", "davčni" and "davčna" all become the term ``davk``. The stemmer works on
the folded word (people often type without č, š, ž), removes the longest inflectional ending
that leaves a stem of at least three letters, then an adjective suffix (-n, -sk, -ov), undoes
the fleeting e of nouns (davek/davka, register/registra, prebivalec/prebivalca) and maps the
softened final consonant back (davč- -> davk-, knjiž- -> knjig-).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.lang.porter import stem as english_stem
from whoosh.support.charset import accent_map

MIN_STEM = 3
_ENDINGS = tuple(
    sorted(
        {
            # nouns
            "a",
            "e",
            "i",
            "o",
            "u",
            "om",
            "em",
            "ov",
            "ev",
            "ih",
            "ah",
            "eh",
            "ami",
            "ama",
            "ema",
            "oma",
            "mi",
            "ija",
            "ije",
            "iji",
            "ijo",
            # adjectives
            "ega",
            "emu",
            "ima",
            "imi",
            "im",
            "ga",
            "mu",
            # verbs (the commonest forms in descriptions)
            "ati",
            "iti",
            "eti",
            "ajo",
            "jejo",
        },
        key=len,
        reverse=True,
    )
)
_ADJECTIVE = ("sk", "en", "n", "ov", "ev")
_SOFTENED = {"c": "k", "z": "g"}  # after folding: č -> c, ž -> z


def _soften(stem: str) -> str:
    if stem[-1] in _SOFTENED and len(stem) > MIN_STEM:
        return stem[:-1] + _SOFTENED[stem[-1]]
    return stem


@lru_cache(maxsize=200_000)
def slovenian_stem(word: str) -> str:
    """The stem of one folded, lowercased Slovenian word."""
    if len(word) <= MIN_STEM or not word.isalpha():
        return word
    stem = word
    for ending in _ENDINGS:
        if stem.endswith(ending) and len(stem) - len(ending) >= MIN_STEM:
            stem = stem[: -len(ending)]
            break
    stem = _soften(stem)
    for _ in range(2):
        suffix = next(
            (s for s in _ADJECTIVE if stem.endswith(s) and len(stem) - len(s) >= MIN_STEM), None
        )
        if suffix is None:
            break
        stem = stem[: -len(suffix)]
    fleeting = len(stem) > MIN_STEM + 1 and stem[-2] == "e" and stem[-1] in "krcnlmv"
    if fleeting and stem[-3] not in "aeiou":
        stem = stem[:-2] + stem[-1]  # the fleeting e: davek -> davk, register -> registr
    return _soften(stem)


class SlovenianStemFilter(Filter):
    """Stems each token's text with :func:`slovenian_stem`."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SlovenianStemFilter)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, tokens: Any) -> Any:
        for token in tokens:
            if not token.stopped:
                token.text = slovenian_stem(token.text)
            yield token


class BilingualStemFilter(Filter):
    """For fields without a language (keywords, attribute names): the English stem, then the
    Slovenian one, so words of either language meet their other forms."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BilingualStemFilter)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, tokens: Any) -> Any:
        for token in tokens:
            if not token.stopped:
                token.text = _bilingual(token.text)
            yield token


@lru_cache(maxsize=200_000)
def _bilingual(word: str) -> str:
    return slovenian_stem(english_stem(word))


def _base() -> Any:
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


def english_analyzer() -> Any:
    """Words, lowercased, accents folded, English stop words dropped, Porter-stemmed."""
    return _base() | StopFilter() | StemFilter()


def slovenian_analyzer() -> Any:
    """Words, lowercased, accents folded, Slovenian-stemmed (no stop list: short words are
    kept out of the stemmer by their length)."""
    return _base() | SlovenianStemFilter()


def bilingual_analyzer() -> Any:
    return _base() | StopFilter() | BilingualStemFilter()


def folding_analyzer() -> Any:
    """Words, lowercased, accents folded (languages without a stemmer)."""
    return _base() | StopFilter()


def fold(text: str) -> str:
    """``EMŠO`` -> ``EMSO``: the accent folding the analyzers apply, for other keys."""
    return text.translate(accent_map)
