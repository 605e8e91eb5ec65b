"""Find text a person would read in a template that is not in the catalogue.

A template is split into Jinja tags and the HTML between them; the HTML is fed to a parser
that collects text nodes and readable attributes (``alt``, ``title``, ``placeholder``,
``aria-label``, ``value`` of buttons). Anything inside ``{% trans %}`` or ``{{ _("...") }}`` is
in the catalogue; a Jinja expression counts as no text (its value comes from the program or
the data). Used by the test that fails on text outside the catalogue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
LETTER = re.compile(r"[^\W\d_]")
READABLE_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description"}
SKIPPED_ELEMENTS = {"script", "style", "code", "pre"}
NOT_WORDS = frozenset(
    {
        "DCAT-AP",
        "JSON",
        "CSV",
        "JSON-LD",
        "RDF/XML",
        "Turtle",
        "N-Triples",
        "API",
        "HTML",
        "×",
        "UTC",
    }
)
"""Names that are the same in every language (formats, standards)."""
ATTRIBUTE_FRAGMENT = re.compile(r'^(?:\s*[\w-]+="[^"]*"|\s*0)+\s*$')
"""A macro that writes attributes (``aria-describedby="{{ ids }}"``), not text."""
PLACEHOLDER = "0"
"""Stands for a Jinja tag (a digit: no word, and a valid tail of a tag name like ``<h{{ n }}``)."""


@dataclass(frozen=True)
class Untranslated:
    template: str
    line: int
    text: str


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.skipping = 0
        self.line_offset = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_ELEMENTS:
            self.skipping += 1
        names = dict(attrs)
        for name, value in attrs:
            readable = name in READABLE_ATTRIBUTES or (
                tag == "input"
                and name == "value"
                and names.get("type") in {"submit", "button", "reset"}
            )
            if readable and value:
                self._check(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_ELEMENTS and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self._check(data)

    def _check(self, text: str) -> None:
        words = " ".join(text.split())
        bare = " ".join(word for word in words.split() if word.strip(PLACEHOLDER))
        if ATTRIBUTE_FRAGMENT.match(text) or bare in NOT_WORDS:
            return
        if words and LETTER.search(words):
            self.found.append((self.getpos()[0], words))


def _blanked(source: str) -> str:
    """The template with every Jinja tag and every ``{% trans %}`` block replaced by a
    placeholder (newlines kept, so line numbers stay right)."""
    out: list[str] = []
    depth = 0
    position = 0
    for match in TAG.finditer(source):
        between = source[position : match.start()]
        out.append(PLACEHOLDER + "\n" * between.count("\n") if depth else between)
        tag = match.group(0)
        inner = tag[2:-2].strip("-+ \n\t")
        if tag.startswith("{%") and re.match(r"(trans|pluralize)\b", inner):
            depth += 1 if inner.startswith("trans") else 0
        elif tag.startswith("{%") and inner.startswith("endtrans"):
            depth = max(0, depth - 1)
        elif tag.startswith("{%") and re.match(r"raw\b", inner):
            pass
        out.append(PLACEHOLDER + "\n" * tag.count("\n"))
        position = match.end()
    out.append(source[position:])
    return "".join(out)


def untranslated_in(source: str, name: str = "") -> list[Untranslated]:
    collector = _Collector()
    collector.feed(_blanked(source))
    collector.close()
    return [Untranslated(name, line, text) for line, text in collector.found]


def untranslated(directory: Path) -> list[Untranslated]:
    found: list[Untranslated] = []
    for path in sorted(directory.rglob("*.html")):
        name = str(path.relative_to(directory))
        found.extend(untranslated_in(path.read_text(encoding="utf-8"), name))
    return found
