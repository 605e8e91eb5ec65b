"""Word patterns are cheap by construction: refused when they would walk the whole
dictionary, otherwise expanded once against it with caps (``catalogue/search/patterns.py``).

Each hostile query of issue 10 goes through every route that searches; the mechanism (the
caps, the time budget) is asserted on the expansion itself, never by timing a request.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from whoosh import query as wq

from catalogue import limits as limits_module
from catalogue.limits import Limits
from catalogue.search import index
from catalogue.search.bitsets import bits_from_ids
from catalogue.search.patterns import INCOMPLETE_NOTE, Budget, Expanded, expand, expansion
from catalogue.search.query import parse
from catalogue.search.snapshot import current

LIMITS = Limits()
REFUSED = ["*a*", "??*", "attribute:?*?*?*?*", "*" * 40, "*", " ".join(["a*"] * 17)]


@pytest.fixture(scope="module")
async def client() -> AsyncIterator[Any]:
    from litestar.testing import AsyncTestClient

    from catalogue.app import create_app
    from tests.conftest import load_demo_catalogue

    await load_demo_catalogue()
    async with AsyncTestClient(app=create_app(prepare=False, pool=False)) as test_client:
        yield test_client


@pytest.fixture
def use_limits() -> Iterator[Any]:
    def choose(**changes: Any) -> None:
        limits_module.use_limits(dataclasses.replace(LIMITS, **changes))

    yield choose
    limits_module.use_limits(None)


async def snapshot() -> Any:
    await index.sync()
    return current()


@pytest.mark.parametrize("text", REFUSED)
async def test_patterns_that_would_walk_the_dictionary_are_refused_everywhere(client, text):
    response = await client.get("/api/v1/search", params={"q": text})
    assert response.status_code == 400, response.text
    problem = response.json()["problems"][0]
    assert problem["field"] == "q" and "limit" in problem["message"]
    if text != "*":  # CKAN's q=* (like *:*) means every dataset
        response = await client.get("/api/3/action/package_search", params={"q": text})
        assert response.status_code == 409, response.text[:300]
        assert response.json()["error"]["__type"] == "Search Query Error"
    response = await client.get("/catalog.ttl", params={"q": text})
    assert response.status_code == 400, response.text
    assert response.json()["problems"][0]["field"] == "q"
    response = await client.get("/search", params={"q": text}, headers={"accept": "text/html"})
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("text", ["a*", "regist*", "te?t", "title:reg*", "a* b* c* d*"])
async def test_patterns_with_a_prefix_answer_on_every_route(client, text):
    response = await client.get("/api/v1/search", params={"q": text})
    assert response.status_code == 200, response.text
    total = response.json()["total"]
    assert total > 0
    response = await client.get("/api/3/action/package_search", params={"q": text})
    assert response.status_code == 200, response.text[:300]
    assert response.json()["result"]["count"] == total
    assert (await client.get("/catalog.ttl", params={"q": text})).status_code == 200
    assert (await client.get("/search", params={"q": text})).status_code == 200


@pytest.mark.parametrize("text", ["regist*", "a*", "te?t", "attribute:tax*"])
async def test_an_expanded_pattern_finds_exactly_what_whoosh_finds(client, use_limits, text):
    use_limits(max_pattern_words=100_000)  # uncapped, an expansion is exact
    current_snapshot = await snapshot()
    parsed = parse(text).query
    whoosh_bits = bits_from_ids(parsed.docs(current_snapshot.searcher), current_snapshot.size)
    budget = Budget.start()
    expanded = expand(parsed, current_snapshot, budget)
    assert not budget.cut
    assert current_snapshot.query_bits(expanded) == whoosh_bits & current_snapshot.live


def leaves(q: Any) -> list[Any]:
    return [q] if q.is_leaf() else [leaf for sub in q.children() for leaf in leaves(sub)]


async def test_an_expansion_keeps_the_commonest_words_up_to_the_cap(client, use_limits):
    use_limits(max_pattern_words=2)
    current_snapshot = await snapshot()
    words, complete = expansion(current_snapshot, wq.Prefix("description_en", "a"), Budget.start())
    assert len(words) == 2 and not complete
    reader = current_snapshot.searcher.reader()
    everything = [w.decode() for w in reader.expand_prefix("description_en", "a")]
    frequency = {word: reader.doc_frequency("description_en", word) for word in everything}
    assert min(frequency[word] for word in words) >= sorted(frequency.values())[-2]
    expanded = expand(parse("a*").query, current_snapshot, Budget.start())
    assert all(type(leaf) is wq.Term or leaf is wq.NullQuery for leaf in leaves(expanded))
    assert len(leaves(expanded)) <= 2 * len(expanded.subqueries)


async def test_a_capped_expansion_is_flagged_in_the_answer(client, use_limits):
    use_limits(max_pattern_words=1)
    body = (await client.get("/api/v1/search", params={"q": "a*"})).json()
    assert body["note"] == INCOMPLETE_NOTE and body["total"] > 0
    limits_module.use_limits(None)
    body = (await client.get("/api/v1/search", params={"q": "regist*"})).json()
    assert body["note"] is None


async def test_the_dictionary_walk_stops_at_the_scan_cap(client, use_limits):
    """The cap is per segment: one word scanned in each segment at the most."""
    use_limits(max_pattern_scan=1)
    current = await snapshot()
    words, complete = expansion(current, wq.Prefix("description_en", "a"), Budget.start())
    assert len(words) <= len(current.segments) and not complete


async def test_a_spent_time_budget_stops_the_expansion_and_flags_it(client):
    spent = Budget(deadline=0.0)
    expanded = expand(parse("regis*").query, await snapshot(), spent)  # not expanded before
    assert spent.cut
    assert not [leaf for leaf in leaves(expanded) if isinstance(leaf, wq.Term)]


async def test_ranking_does_not_score_each_expanded_word(client):
    from catalogue.search.ranking import positive_terms

    expanded = expand(parse("tax regist*").query, await snapshot(), Budget.start())
    assert any(isinstance(leaf, Expanded) for leaf in _nodes(expanded))
    assert {text for _field, text in positive_terms(expanded)} == {"tax"}


def _nodes(q: Any) -> list[Any]:
    return [q, *(node for sub in q.children() for node in _nodes(sub))]


@pytest.mark.parametrize(
    ("name", "at_limit", "over"),
    [
        (
            "max_search_terms",
            " ".join(["tax"] * LIMITS.max_search_terms),
            " ".join(["tax"] * (LIMITS.max_search_terms + 1)),
        ),
        (
            "max_search_patterns",
            " ".join(["ta*"] * LIMITS.max_search_patterns),
            " ".join(["ta*"] * (LIMITS.max_search_patterns + 1)),
        ),
        ("min_pattern_prefix", "t*", "*t"),
        (
            "max_query_depth",
            "(" * LIMITS.max_query_depth + "tax" + ")" * LIMITS.max_query_depth,
            "(" * (LIMITS.max_query_depth + 1) + "tax" + ")" * (LIMITS.max_query_depth + 1),
        ),
    ],
)
async def test_each_query_limit_passes_at_the_limit_and_refuses_one_over(
    client, name, at_limit, over
):
    response = await client.get("/api/v1/search", params={"q": at_limit})
    assert response.status_code == 200, response.text
    response = await client.get("/api/v1/search", params={"q": over})
    assert response.status_code == 400, response.text
    problem = response.json()["problems"][0]
    assert problem["field"] == "q" and name in problem["message"]


@pytest.mark.parametrize(
    "params",
    [{"q": "a*"}, {"q": "regist*", "classification": "open"}, {"q": "tax", "theme": "ECON"}],
)
async def test_the_feed_pages_a_search_from_the_index_with_its_filters(client, params):
    from rdflib import Graph

    from catalogue.dcat.namespaces import DCAT, HYDRA

    searched = (await client.get("/api/v1/search", params={**params, "size": 100})).json()
    response = await client.get("/catalog.ttl", params=params)
    assert response.status_code == 200, response.text[:300]
    graph = Graph().parse(data=response.text, format="turtle")
    assert int(next(graph.objects(None, HYDRA.totalItems))) == searched["total"]
    listed = {str(iri).rsplit("/", 1)[-1] for iri in graph.objects(None, DCAT.dataset)}
    assert listed == {item["slug"] for item in searched["items"]}
