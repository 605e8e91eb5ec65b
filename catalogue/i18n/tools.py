"""Keep the catalogues in step with the code: extract every marked string, update each
language's ``messages.po``, and say which entries still need a translator.

    .venv/bin/python -m catalogue.i18n.tools update   # or: make messages
    .venv/bin/python -m catalogue.i18n.tools check    # lists missing/fuzzy entries; exit 1

Strings are found in ``catalogue/**.py`` (``_()``, ``gettext()``, ``ngettext()``, ``N_()``)
and in ``ui/templates/**.html`` (``{% trans %}``, ``_()``). English is the source language:
its entries are filled with the English text itself, so it is complete by construction.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from catalogue.i18n.catalogues import LOCALE_DIR, SOURCE_LANGUAGE, po_path
from catalogue.i18n.declared import declared_strings

ROOT = LOCALE_DIR.parent.parent
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "N_": None,
    "pgettext": ((1, "c"), 2),
    "translate": None,
}
SOURCES: tuple[tuple[Path, list[tuple[str, str]], dict[str, Any]], ...] = (
    (ROOT / "catalogue", [("**.py", "python")], {}),
    (
        ROOT / "ui" / "templates",
        [("**.html", "jinja2")],
        {"**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}},
    ),
)


def extract() -> Catalog:
    template = Catalog(project="catalogue", fuzzy=False)
    for directory, method_map, options in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
            str(directory), method_map, options, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
        ):
            location = (str((directory / filename).relative_to(ROOT)), lineno)
            template.add(message, None, [location], auto_comments=comments, context=context)
    for text, module in declared_strings():
        if text and text not in template:
            template.add(text, None, [(module, 0)])
    return template


def _read(language: str) -> Catalog:
    path = po_path(language)
    if not path.is_file():
        return Catalog(locale=language, project="catalogue", fuzzy=False)
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def update(languages: list[str] | None = None) -> dict[str, list[str]]:
    """Merge the extracted strings into every catalogue; the entries each still lacks."""
    languages = languages or sorted(p.name for p in LOCALE_DIR.iterdir() if p.is_dir())
    missing: dict[str, list[str]] = {}
    for language in languages:
        catalogue = _read(language)
        # a fresh template each time: Catalog.update shares the template's message objects
        catalogue.update(extract(), no_fuzzy_matching=True)
        catalogue.obsolete.clear()
        if language == SOURCE_LANGUAGE:
            for message in catalogue:
                plural_missing = isinstance(message.id, tuple) and not all(message.string or ())
                if (message.id and not message.string) or plural_missing:
                    message.string = message.id
                message.flags.discard("fuzzy")
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalogue, width=100, sort_output=False, include_previous=False)
        missing[language] = incomplete(catalogue)
    return missing


def incomplete(catalogue: Catalog) -> list[str]:
    """Entries without a translation (any plural form empty) or marked fuzzy."""
    found = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            found.append(message.id if isinstance(message.id, str) else message.id[0])
    return found


def check() -> dict[str, list[str]]:
    return {p.name: incomplete(_read(p.name)) for p in sorted(LOCALE_DIR.iterdir()) if p.is_dir()}


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    result = update() if command == "update" else check()
    status = 0
    for language, entries in result.items():
        print(f"{language}: {len(entries)} entries need a translation")
        for entry in entries[:50]:
            print(f"  {entry!r}")
        status = status or (1 if entries else 0)
    return status if command == "check" else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
