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
