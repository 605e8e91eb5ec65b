"""``If-Match``: the one place that reads it. Services take the revision it names.

A dataset's or an agreement's ETag is its revision in quotes (``"3"``); a client may send it
back weak (``W/"3"``) or bare (``3``). A value that names no revision (``garbage``) becomes
:data:`NO_REVISION`, which matches nothing, so the write is refused as changed-since.
"""

from __future__ import annotations

from typing import Annotated

from litestar.params import HeaderParameter

NO_REVISION = 0
"""What an ``If-Match`` that names no revision stands for (revisions start at 1)."""

IfMatch = Annotated[
    str | None,
    HeaderParameter(name="If-Match", required=False, description='The ETag you read, e.g. "3"'),
]


def expected_revision(if_match: str | None) -> int | None:
    """The revision ``if_match`` names; None when there is no (or an empty) header."""
    if if_match is None or not if_match.strip():
        return None
    token = if_match.strip().removeprefix("W/").strip('"').strip()
    return int(token) if token.isascii() and token.isdigit() else NO_REVISION
