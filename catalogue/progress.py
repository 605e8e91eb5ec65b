"""A counted progress line for long start-up work (the seed), shown only on a terminal.

Logs and pipes stay quiet: a line rewritten with ``\\r`` is noise anywhere but a TTY.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

Progress = Callable[[int, int], None]
"""Called with (done, total) as work advances."""


def counted_progress(label: str, stream: TextIO | None = None) -> Progress | None:
    """``label: done/total`` rewritten in place on a TTY; None (no output) otherwise."""
    out = stream or sys.stderr
    if not out.isatty():
        return None

    def show(done: int, total: int) -> None:
        out.write(f"\r{label}: {done}/{total}")
        if done >= total:
            out.write("\n")
        out.flush()

    return show


def status_line(label: str, stream: TextIO | None = None) -> Callable[[str], None] | None:
    """``label: text`` rewritten in place on a TTY, for work of unknown size (a harvest's
    pages); None (no output) otherwise. Call it with "" at the end to close the line."""
    out = stream or sys.stderr
    if not out.isatty():
        return None

    def show(text: str) -> None:
        out.write(f"\r{label}: {text}\033[K" if text else "\n")
        out.flush()

    return show
