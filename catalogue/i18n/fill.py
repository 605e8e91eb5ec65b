"""Fill a catalogue from a JSON file of translations (``{"msgid": "msgstr" | [plural forms]}``).

    .venv/bin/python -m catalogue.i18n.fill sl new-translations.json

For translators who prefer a plain list to a .po editor; entries already translated are kept
unless ``--replace`` is given. Entries whose text has no words (``%(path)s: %(count)s``) are
copied as they are.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from catalogue.i18n.catalogues import po_path

_PLACEHOLDER = re.compile(r"%\([^)]*\)[sd]|%%")


def no_words(text: str) -> bool:
    return not re.search(r"[^\W\d_]", _PLACEHOLDER.sub("", text))


def fill(language: str, translations: dict[str, str | list[str]], replace: bool = False) -> int:
    path = po_path(language)
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    filled = 0
    for message in catalogue:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        current = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(current) and not replace and not message.fuzzy:
            continue
        value = translations.get(key)
        if value is None and isinstance(message.id, str) and no_words(message.id):
            value = message.id
        if value is None:
            continue
        if isinstance(message.id, tuple):
            forms = value if isinstance(value, list) else [value]
            count = catalogue.num_plurals
            message.string = tuple((forms + [forms[-1]] * count)[:count])
        else:
            message.string = value if isinstance(value, str) else value[0]
        message.flags.discard("fuzzy")
        filled += 1
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=100, sort_output=False, include_previous=False)
    return filled


def main(argv: list[str]) -> int:
    language, *files = [arg for arg in argv if not arg.startswith("--")]
    translations: dict[str, str | list[str]] = {}
    for name in files:
        translations.update(json.loads(Path(name).read_text(encoding="utf-8")))
    print(f"{language}: {fill(language, translations, '--replace' in argv)} entries filled")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
