"""In which language a text is shown: the one fallback every page, feed and export uses.

Kept apart from ``disclosure`` (which re-exports it) so the document model can use it too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def text_and_language(
    values: Mapping[str, str] | str | None, language: str, languages: Sequence[str] = ()
) -> tuple[str, str]:
    """The text in ``language``, else in the first configured language that has it, else in
    any language it has, with the language it is in (``""`` when unknown: a plain string):
    the one fallback every page, feed and export uses."""
    if values is None:
        return "", language
    if isinstance(values, str):
        return values, ""
    for candidate in (language, *languages):
        if values.get(candidate):
            return values[candidate], candidate
    return next(((text, lang) for lang, text in values.items() if text), ("", language))


def text_in(
    values: Mapping[str, str] | str | None, language: str, languages: Sequence[str] = ()
) -> str:
    """The text of :func:`text_and_language`, without its language."""
    return text_and_language(values, language, languages)[0]
