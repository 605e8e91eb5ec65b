"""Wrap a template's plain text in ``{% trans %}`` blocks (a helper for marking new pages).

    .venv/bin/python -m catalogue.i18n.autowrap ui/templates/steward/new.html [...]

Text between tags becomes ``{% trans %}…{% endtrans %}``; text with ``{{ values }}`` in it
becomes one block with named variables (``{% trans count=total %}{{ count }} datasets…``), so
translators see the whole sentence; readable attributes (``aria-label="Main"``) become
``{{ _("Main") }}``. Review the result: string literals passed to macros are not touched
(wrap them in ``_()`` by hand), and ``catalogue.i18n.template_text`` reports what is left.
"""

from __future__ import annotations

import keyword
import re
import sys
from pathlib import Path

from catalogue.i18n.template_text import LETTER, NOT_WORDS, TAG

ATTRIBUTE = re.compile(r'\b(alt|title|placeholder|aria-label|aria-description)="([^"{}<>]*)"')
_IDENT = re.compile(r"[A-Za-z_]\w*")


def _name_for(expression: str, taken: set[str]) -> str:
    expression = expression.strip()
    if re.fullmatch(r"[A-Za-z_]\w*", expression):
        base = expression
    else:
        head = re.split(r"\||\(|\bor\b|\band\b|\bif\b|\[", expression)[0]
        names = [n for n in _IDENT.findall(head) if not keyword.iskeyword(n)]
        base = names[-1] if names else "value"
    if base in {"trans", "pluralize", "endtrans", "_", "gettext"}:
        base = "value"
    name, number = base, 2
    while name in taken:
        name, number = f"{base}{number}", number + 1
    taken.add(name)
    return name


def _wrap_group(pieces: list[tuple[str, str]]) -> str:
    """pieces: ("text", s) or ("var", "{{ expr }}"); returns the replacement text."""
    texts = "".join(p for kind, p in pieces if kind == "text")
    if not LETTER.search(texts) or " ".join(texts.split()) in NOT_WORDS:
        return "".join(p for _, p in pieces)
    joined = "".join(p for _, p in pieces)
    stripped = joined.strip()
    lead = joined[: len(joined) - len(joined.lstrip())]
    trail = joined[len(joined.rstrip()) :]
    taken: set[str] = set()
    assignments: list[str] = []
    body: list[str] = []
    for kind, piece in pieces:
        if kind == "text":
            body.append(piece)
        else:
            expression = piece[2:-2].strip("-+ ")
            name = _name_for(expression, taken)
            assignments.append(f"{name}={expression}")
            body.append(f"{{{{ {name} }}}}")
    content = "".join(body).strip()
    del stripped
    opening = "{% trans " + ", ".join(assignments) + " %}" if assignments else "{% trans %}"
    return f"{lead}{opening}{content}{{% endtrans %}}{trail}"


def wrap(source: str) -> str:
    out: list[str] = []
    group: list[tuple[str, str]] = []
    in_tag = False
    quote = ""
    skip = 0  # inside trans, script or style
    position = 0

    def flush() -> None:
        if group:
            out.append(_wrap_group(group) if not skip else "".join(p for _, p in group))
            group.clear()

    def html(segment: str) -> None:
        nonlocal in_tag, quote, skip
        buffer = ""
        index = 0
        while index < len(segment):
            char = segment[index]
            if in_tag:
                out.append(char)
                if quote:
                    quote = "" if char == quote else quote
                elif char in "\"'":
                    quote = char
                elif char == ">":
                    in_tag = False
            elif char == "<":
                if buffer:
                    group.append(("text", buffer))
                    buffer = ""
                flush()
                rest = segment[index:]
                if re.match(r"<(script|style)\b", rest):
                    skip += 1
                elif re.match(r"</(script|style)\b", rest):
                    skip = max(0, skip - 1)
                in_tag = True
                out.append(char)
            else:
                buffer += char
            index += 1
        if buffer:
            group.append(("text", buffer))

    for match in TAG.finditer(source):
        html(source[position : match.start()])
        tag = match.group(0)
        inner = tag[2:-2].strip("-+ \n\t")
        if in_tag:
            out.append(tag)
        elif tag.startswith("{{") and not skip:
            group.append(("var", tag))
        else:
            flush()
            if tag.startswith("{%") and re.match(r"trans\b", inner):
                skip += 1
            elif tag.startswith("{%") and inner.startswith("endtrans"):
                skip = max(0, skip - 1)
            out.append(tag)
        position = match.end()
    html(source[position:])
    flush()
    text = "".join(out)
    return ATTRIBUTE.sub(
        lambda m: (
            f'{m.group(1)}="{{{{ _({m.group(2)!r}) }}}}"'
            if LETTER.search(m.group(2))
            else m.group(0)
        ),
        text,
    )


def main(paths: list[str]) -> None:
    for name in paths:
        path = Path(name)
        source = path.read_text(encoding="utf-8")
        wrapped = wrap(source)
        if wrapped != source:
            path.write_text(wrapped, encoding="utf-8")
            print(f"wrapped {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
