"""In which language a text is shown: the one fallback every page, feed and export uses.

Kept apart from ``disclosure`` (which re-exports it) so the document model can use it too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def text_in(
    values: Mapping[str, str] | str | None, language: str, languages: Sequence[str] = ()
) -> str:
    """The text in ``language``, else in the first configured language that has it, else in
    any language it has: the one fallback every page, feed and export uses."""
    if values is None:
        return ""
    if isinstance(values, str):
        return values
    for candidate in (language, *languages):
        if values.get(candidate):
            return values[candidate]
    return next((value for value in values.values() if value), "")
