"""Which interface language a request gets: ``?lang=``, then the cookie, then Accept-Language.

Plain functions on strings, so the middleware, the pages and the tests share one rule.
"""

from __future__ import annotations

from collections.abc import Sequence

LANGUAGE_COOKIE = "lang"
LANGUAGE_PARAMETER = "lang"


def parse_accept_language(header: str) -> list[str]:
    """Primary language tags of an Accept-Language header, most wanted first (q=0 dropped)."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:32]):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip().lower()
        if not tag or tag == "*":
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            weighted.append((-quality, position, tag.split("-")[0]))
    return [tag for _, _, tag in sorted(weighted)]


def choose_language(
    available: Sequence[str],
    default: str,
    query: str | None = None,
    cookie: str | None = None,
    accept_language: str | None = None,
) -> str:
    """The first of ``?lang=``, the cookie and the browser's languages that we have."""
    for candidate in (query, cookie):
        if candidate and candidate in available:
            return candidate
    for candidate in parse_accept_language(accept_language or ""):
        if candidate in available:
            return candidate
    return default if default in available else (available[0] if available else default)


def environment_language(environ: dict[str, str], available: Sequence[str]) -> str | None:
    """The command line's language from the usual variables (``LANGUAGE``, ``LC_ALL``,
    ``LC_MESSAGES``, ``LANG``; ``sl_SI.UTF-8`` is ``sl``), when we have a catalogue for it."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for value in environ.get(name, "").split(":"):
            code = value.split(".")[0].split("_")[0].split("-")[0].lower()
            if code in available:
                return code
    return None
