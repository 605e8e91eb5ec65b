"""Bodies gzipped once and kept, instead of by the compression middleware on each request.

A feed page is 700 KB of Turtle; gzip at level 6 took 10-20 ms of a worker for every
request that asked for it, more than everything else the page costs once it is kept. Routes
that send their own gzip carry ``opt={SKIP_COMPRESSION: True}`` so the middleware leaves
them alone.
"""

from __future__ import annotations

import gzip
from typing import Any

from litestar import Request

SKIP_COMPRESSION = "skip_compression"  # the app's CompressionConfig.exclude_opt_key
LEVEL = 6  # the middleware's level (catalogue.app)


def accepts_gzip(request: Request[Any, Any, Any]) -> bool:
    """``Accept-Encoding`` names gzip (or ``*``) without ``q=0``."""
    for part in request.headers.get("accept-encoding", "").split(","):
        coding, _, parameters = part.strip().partition(";")
        if coding.strip().lower() in {"gzip", "*"}:
            quality = parameters.strip().lower().removeprefix("q=")
            if parameters.strip().lower().startswith("q=") and _is_zero(quality):
                continue
            return True
    return False


def _is_zero(quality: str) -> bool:
    try:
        return float(quality) == 0
    except ValueError:
        return False


def pack(body: bytes) -> bytes:
    """The gzip of ``body``, the same bytes every time (no timestamp in the header)."""
    return gzip.compress(body, LEVEL, mtime=0)
