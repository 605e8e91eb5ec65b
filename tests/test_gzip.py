"""Answers are gzipped for clients that accept it; kept answers are gzipped once.

``catalogue.web.gzip``: the middleware compresses what a handler did not encode itself; kept
pages and lists are kept with their gzip, so a repeated read compresses nothing.
"""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar, Response, get
from litestar.response import Stream
from litestar.testing import AsyncTestClient

from catalogue.ui import page_cache
from catalogue.web import gzip as web_gzip
from tests.factories import PUBLISHER, make_organisation, make_user
from tests.test_page_cache import publish

API = "/api/v1/datasets"
GZIP = {"Accept-Encoding": "gzip"}
PLAIN = {"Accept-Encoding": "identity"}


@pytest.fixture
async def steward(client: Any) -> dict[str, str]:
    await make_organisation()
    return await make_user("steward@example.gov", {PUBLISHER: "steward"})


async def test_a_kept_page_is_packed_once_and_sent_packed_to_every_visitor_who_asks(
    client: Any, steward: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    await publish(client, steward, "packed-page", "Packed page")
    packs: list[int] = []
    real_pack = web_gzip.pack
    monkeypatch.setattr(web_gzip, "pack", lambda body: packs.append(len(body)) or real_pack(body))
    page_cache.clear()
    html = {"Accept": "text/html"}
    first = await client.get("/dataset/packed-page", headers={**html, **GZIP})
    second = await client.get("/dataset/packed-page", headers={**html, **GZIP})
    plain = await client.get("/dataset/packed-page", headers={**html, **PLAIN})
    assert first.headers["content-encoding"] == "gzip" == second.headers["content-encoding"]
    assert "Accept-Encoding" in first.headers["vary"]
    assert "content-encoding" not in plain.headers
    assert first.content == second.content == plain.content  # httpx unpacks it
    assert "Packed page" in plain.text
    assert len(packs) == 1  # the second visitor got the bytes packed for the first


async def test_a_kept_list_is_sent_packed_and_a_change_packs_it_anew(
    client: Any, steward: dict[str, str]
) -> None:
    await publish(client, steward, "packed-list", "Packed list")
    packed = await client.get(API, headers=GZIP)
    assert packed.headers["content-encoding"] == "gzip"
    assert [item["slug"] for item in packed.json()["items"]] == ["packed-list"]
    await publish(client, steward, "packed-later", "Packed later")
    again = await client.get(API, headers=GZIP)
    assert {item["slug"] for item in again.json()["items"]} == {"packed-list", "packed-later"}
    refused = await client.get(API, headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers
    assert refused.json() == again.json()


async def test_signed_in_pages_are_compressed_by_the_middleware(
    client: Any, steward: dict[str, str]
) -> None:
    await publish(client, steward, "own-page", "Own page")
    mine = await client.get("/dataset/own-page", headers={"Accept": "text/html", **steward, **GZIP})
    assert mine.status_code == 200
    assert mine.headers["content-encoding"] == "gzip"
    assert "Own page" in mine.text


async def test_a_small_answer_is_sent_as_it_is(client: Any) -> None:
    small = await client.get("/healthz", headers=GZIP)
    assert small.status_code == 200
    assert "content-encoding" not in small.headers


def test_accept_encoding_is_read_with_its_qualities() -> None:
    accepts = web_gzip.accepts_gzip_header
    assert accepts("gzip") and accepts("br, gzip;q=0.5") and accepts("*")
    assert not accepts("") and not accepts("identity") and not accepts("gzip;q=0")
    assert not accepts("gzip; q=0.0") and not accepts("br")


@get("/stream")
async def _stream() -> Stream:
    async def chunks() -> AsyncIterator[bytes]:
        for number in range(200):
            yield f"line {number} of a streamed answer\n".encode()

    return Stream(chunks(), media_type="text/plain")


@get("/already")
async def _already() -> Response[bytes]:
    return Response(web_gzip.pack(b"x" * 5000), headers={"Content-Encoding": "gzip"})


def _app() -> Litestar:
    return Litestar([_stream, _already], middleware=[web_gzip.gzip_answers])


async def test_a_streamed_answer_is_compressed_chunk_by_chunk_and_an_encoded_one_left_alone():
    async with AsyncTestClient(_app()) as test_client:
        streamed = await test_client.get("/stream", headers=GZIP)
        assert streamed.headers["content-encoding"] == "gzip"
        lines = streamed.text.splitlines()
        assert lines[0] == "line 0 of a streamed answer" and len(lines) == 200
        raw = await test_client.get("/already", headers=GZIP)
        assert raw.headers["content-encoding"] == "gzip"
        assert raw.content == b"x" * 5000  # unpacked once by httpx: packed once, not twice
    assert (
        gzip.decompress(web_gzip.pack(b"abc")) == b"abc" == gzip.decompress(web_gzip.pack(b"abc"))
    )
