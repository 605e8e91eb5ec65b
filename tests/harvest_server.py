"""A local HTTP server for harvest tests: DCAT pages made from our own mapping of test
documents, with hydra paging, and the failures a real source shows (a 500 on a later page,
a paging loop, an oversized page, a slow answer, invalid RDF)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SOURCE_BASE = "http://source.example"


def page_turtle(
    documents: list[dict[str, Any]],
    page_url: str,
    next_url: str | None,
    view: str = "PagedCollection",
    predicate: str = "next",
) -> bytes:
    """One feed page: the documents' DCAT-AP (as this catalogue writes it) and hydra paging."""
    from rdflib import Literal, URIRef

    from catalogue.dcat.mapping import dataset_graph
    from catalogue.dcat.namespaces import DCAT, HYDRA, RDF, new_graph
    from catalogue.dcat.writer import DatasetContext
    from catalogue.domain.dataset import DatasetDocument
    from catalogue.vocabularies import default_vocabularies

    graph = new_graph()
    catalog = URIRef(f"{SOURCE_BASE}/catalog")
    graph.add((catalog, RDF.type, DCAT.Catalog))
    for raw in documents:
        document = DatasetDocument.model_validate({**raw, "status": "published"})
        dataset_graph(document, DatasetContext(base_url=SOURCE_BASE), default_vocabularies(), graph)
        graph.add((catalog, DCAT.dataset, URIRef(f"{SOURCE_BASE}/dataset/{document.slug}")))
    if next_url:
        here = URIRef(page_url)
        graph.add((here, RDF.type, HYDRA[view]))
        target = URIRef(next_url) if predicate == "next" else Literal(next_url)
        graph.add((here, HYDRA[predicate], target))
    return graph.serialize(format="turtle").encode()


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    media_type: str = "text/turtle"
    delay: float = 0.0


@dataclass
class Source:
    """What the server answers per path; tests change it between harvests."""

    routes: dict[str, Route] = field(default_factory=dict)
    port: int = 0
    requests: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def pages(
        self, documents: list[dict[str, Any]], per_page: int, prefix: str = "/feed", **paging: Any
    ) -> str:
        """Serve ``documents`` as pages ``/feed/1``, ``/feed/2``, ...; the first page's URL."""
        chunks = [documents[i : i + per_page] for i in range(0, len(documents), per_page)] or [[]]
        for number, chunk in enumerate(chunks, 1):
            url = self.url(f"{prefix}/{number}")
            following = self.url(f"{prefix}/{number + 1}") if number < len(chunks) else None
            self.routes[f"{prefix}/{number}"] = Route(page_turtle(chunk, url, following, **paging))
        return self.url(f"{prefix}/1")


@contextmanager
def serving(on_request: Callable[[str], None] | None = None) -> Iterator[Source]:
    source = Source()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            source.requests.append(self.path)
            route = source.routes.get(self.path.split("?")[0])
            if route is None:
                self.send_error(404)
                return
            if route.delay:
                time.sleep(route.delay)
            self.send_response(route.status)
            self.send_header("Content-Type", route.media_type)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            with suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(route.body)

        def log_message(self, *_: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    source.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield source
    finally:
        server.shutdown()
        server.server_close()
