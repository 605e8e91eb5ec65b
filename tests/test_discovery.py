"""Found by people who do not know the catalogue exists: schema.org JSON-LD on dataset pages
(Google Dataset Search), sitemaps, robots.txt and the OpenSearch description."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from rdflib import Graph, URIRef, namespace
from rdflib.namespace import RDF

from catalogue.discovery import sitemap
from catalogue.discovery.schemaorg import TERMS
from tests.factories import make_organisation, make_user, open_dataset

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SCHEMA = "https://schema.org/"

# Google's structured-data documentation for Dataset: the required properties, and the
# recommended ones that a catalogue record can state (citation, funder, measurementTechnique
# and the like are facts this catalogue does not hold).
GOOGLE_REQUIRED = ("name", "description")
GOOGLE_RECOMMENDED = (
    "creator",
    "distribution",
    "identifier",
    "isAccessibleForFree",
    "keywords",
    "license",
    "spatialCoverage",
    "temporalCoverage",
    "url",
    "variableMeasured",
    "includedInDataCatalog",
)


def json_ld(html: str) -> list[dict[str, Any]]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(text) for text in found]


def schema_graph(body: dict[str, Any]) -> Graph:
    """The JSON-LD as RDF, with schema.org's context given inline (no network)."""
    local = {**body, "@context": {"@vocab": SCHEMA}}
    for key in ("license", "url", "contentUrl", "sameAs", "@id"):
        local = _iris(local, key)
    return Graph().parse(data=json.dumps(local), format="json-ld")


def _iris(value: Any, key: str) -> Any:
    if isinstance(value, dict):
        return {
            k: ({"@id": v} if k == key and k != "@id" and isinstance(v, str) else _iris(v, key))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_iris(item, key) for item in value]
    return value


async def test_a_public_dataset_page_carries_schema_org_dataset_json_ld(
    client: Any, seeded: None
) -> None:
    html = (await client.get("/dataset/air-quality-measurements", headers=BROWSER)).text
    [body] = json_ld(html)
    assert body["@context"] == SCHEMA and body["@type"] == "Dataset"
    for name in (*GOOGLE_REQUIRED, *GOOGLE_RECOMMENDED):
        assert body.get(name), f"{name} is missing"
    assert 50 <= len(body["description"]) <= 5000  # Google's bounds
    assert body["name"] == "Air quality measurements"
    assert body["url"] == "http://127.0.0.1:8000/dataset/air-quality-measurements"
    assert body["license"] == "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
    assert body["isAccessibleForFree"] is True
    assert body["creator"]["@type"] == "Organization" and body["creator"]["name"]
    assert body["publisher"] == body["creator"]
    downloads = body["distribution"]
    assert downloads[0] == {
        "@type": "DataDownload",
        "contentUrl": "https://www.arso.example.si/data/files/air-quality-current.csv",
        "name": "Air quality, current year (CSV)",
        "encodingFormat": "text/csv",
        "contentSize": "38000000 B",
        "license": "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
    }
    assert all(item["contentUrl"] and item["encodingFormat"] for item in downloads)
    assert body["spatialCoverage"][0]["@type"] == "Place"
    assert body["spatialCoverage"][0]["sameAs"].startswith(
        "http://publications.europa.eu/resource/authority/country/"
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\d/(\d{4}-\d\d-\d\d|\.\.)", body["temporalCoverage"])
    assert body["dateModified"] and body["inLanguage"]
    assert all(re.fullmatch(r"[a-z]{2,3}", tag) for tag in body["inLanguage"])


async def test_every_term_of_the_json_ld_exists_in_the_schema_org_vocabulary(
    client: Any, seeded: None
) -> None:
    """Parsed as RDF: every property and class IRI is a schema.org term (rdflib's list of
    the vocabulary) and one of those the module declares it writes."""
    slugs = (
        "air-quality-measurements",
        "central-population-register",
        "criminal-records",
        "business-register",
    )
    for slug in slugs:
        html = (await client.get(f"/dataset/{slug}", headers=BROWSER)).text
        [body] = json_ld(html)
        graph = schema_graph(body)
        dataset = URIRef(f"http://127.0.0.1:8000/dataset/{slug}")
        assert (dataset, RDF.type, namespace.SDO.Dataset) in graph
        used = {str(p) for p in graph.predicates() if p != RDF.type}
        used |= {str(o) for o in graph.objects(None, RDF.type)}
        for iri in used:
            assert iri.startswith(SCHEMA), iri
            term = iri.removeprefix(SCHEMA)
            assert term in namespace.SDO, f"{term} is not a schema.org term"
            assert term in TERMS, f"{term} is not declared in schemaorg.TERMS"
        assert all(term in namespace.SDO for term in TERMS)


async def test_json_ld_tells_only_what_the_public_may_read(client: Any, db: None) -> None:
    await make_organisation()
    steward = await make_user("s@example.si", {"ministry-of-examples": "steward"})
    document = open_dataset("with-note")
    document["status"] = "published"
    document["internal_note"] = "Do not mention the budget cut"
    document["description"]["en"] = "A </script><b>tricky</b> description & more " * 3
    assert (
        await client.post("/api/v1/datasets", json=document, headers=steward)
    ).status_code == 201
    draft = {**open_dataset("still-a-draft"), "internal_note": "secret draft note"}
    assert (await client.post("/api/v1/datasets", json=draft, headers=steward)).status_code == 201

    page = (await client.get("/dataset/with-note", headers={**BROWSER, **steward})).text
    assert "Do not mention the budget cut" in page  # members see the note on the page
    [body] = json_ld(page)
    assert "budget cut" not in json.dumps(body)
    assert body["description"].startswith("A </script><b>tricky</b>")  # escaped, read back
    assert page.count("</script>") == page.count("<script")  # no text closed the element
    draft_page = await client.get("/dataset/still-a-draft", headers={**BROWSER, **steward})
    assert draft_page.status_code == 200 and json_ld(draft_page.text) == []


async def test_closed_and_personal_datasets_are_described_without_their_legal_facts(
    client: Any, seeded: None
) -> None:
    html = (await client.get("/dataset/central-population-register", headers=BROWSER)).text
    [body] = json_ld(html)
    assert body["isAccessibleForFree"] is False
    text = json.dumps(body)
    for hidden in ("legal_bases", "A6-1", "retention", "dpo", "controller"):
        assert hidden not in text


def locs(xml: bytes) -> list[str]:
    root = ET.fromstring(xml)
    return [element.text or "" for element in root.iter(f"{SITEMAP}loc")]


async def test_the_sitemap_index_lists_pages_of_every_public_dataset(
    client: Any, seeded: None
) -> None:
    response = await client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}sitemapindex"
    pages = locs(response.content)
    assert pages[0] == "http://127.0.0.1:8000/sitemap-1.xml"
    assert "http://127.0.0.1:8000/sitemap-organisations.xml" in pages
    assert root.find(f"{SITEMAP}sitemap/{SITEMAP}lastmod") is not None

    page = await client.get("/sitemap-1.xml")
    urls = locs(page.content)
    public = (await client.get("/api/v1/datasets?size=100")).json()
    assert sorted(urls) == sorted(
        f"http://127.0.0.1:8000/dataset/{item['slug']}" for item in public["items"]
    )
    assert not any("maribor-municipal-spatial-plan" in url for url in urls)  # a draft
    assert len(urls) == len(set(urls))
    assert len(list(ET.fromstring(page.content).iter(f"{SITEMAP}lastmod"))) == len(urls)
    assert (await client.get("/sitemap-2.xml")).status_code == 404
    organisations = locs((await client.get("/sitemap-organisations.xml")).content)
    assert "http://127.0.0.1:8000/organisation/statistical-office" in organisations


async def test_sitemap_pages_split_at_the_page_size_and_follow_changes(
    client: Any, db: None, monkeypatch: Any
) -> None:
    """With pages of 3 (instead of 50,000), 7 datasets make 3 pages; a publication moves
    the lastmod of its own page only; a withdrawal leaves its page."""
    monkeypatch.setattr(sitemap, "PAGE_SIZE", 3)
    await make_organisation()
    steward = await make_user("s@example.si", {"ministry-of-examples": "steward"})
    for number in range(7):
        document = {
            **open_dataset(f"set-{number}"),
            "status": "draft" if number == 4 else "published",
        }
        assert (
            await client.post("/api/v1/datasets", json=document, headers=steward)
        ).status_code == 201
    index = ET.fromstring((await client.get("/sitemap.xml")).content)
    entries = index.findall(f"{SITEMAP}sitemap")
    assert [e.findtext(f"{SITEMAP}loc") for e in entries][:3] == [
        f"http://127.0.0.1:8000/sitemap-{n}.xml" for n in (1, 2, 3)
    ]
    pages = [locs((await client.get(f"/sitemap-{n}.xml")).content) for n in (1, 2, 3)]
    assert [[url.rsplit("/", 1)[1] for url in page] for page in pages] == [
        ["set-0", "set-1", "set-2"],
        ["set-3", "set-5"],
        ["set-6"],
    ]
    before = [e.findtext(f"{SITEMAP}lastmod") for e in entries][:3]

    current = await client.get("/api/v1/datasets/set-4", headers=steward)
    published = await client.patch(
        "/api/v1/datasets/set-4",
        json={"status": "published"},
        headers={**steward, "If-Match": current.headers["etag"]},
    )
    assert published.status_code == 200
    withdrawn = await client.delete(
        "/api/v1/datasets/set-0",
        headers={
            **steward,
            "If-Match": (await client.get("/api/v1/datasets/set-0")).headers["etag"],
        },
    )
    assert withdrawn.status_code in (200, 204)
    index = ET.fromstring((await client.get("/sitemap.xml")).content)
    after = [e.findtext(f"{SITEMAP}lastmod") for e in index.findall(f"{SITEMAP}sitemap")][:3]
    assert after[2] == before[2] and after[1] >= before[1] and after[0] >= before[0]
    assert locs((await client.get("/sitemap-2.xml")).content)[1].endswith("/set-4")
    assert "set-0" not in " ".join(locs((await client.get("/sitemap-1.xml")).content))


async def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_private_paths(
    client: Any,
) -> None:
    response = await client.get("/robots.txt")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert lines[0] == "User-agent: *"
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in lines
    for path in ("/api/", "/signin", "/dashboard", "/dataset/new", "/dataset/*/edit"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines  # the public pages stay open


async def test_every_page_links_the_opensearch_description(client: Any, seeded: None) -> None:
    for path in ("/", "/search?q=tax", "/organisations", "/dataset/gdp-quarterly"):
        html = (await client.get(path, headers=BROWSER)).text
        assert (
            '<link rel="search" type="application/opensearchdescription+xml" '
            'title="Public Data Catalogue" href="/opensearch.xml">'
        ) in html, path
    response = await client.get("/opensearch.xml")
    assert response.headers["content-type"].startswith("application/opensearchdescription+xml")
    root = ET.fromstring(response.content)
    ns = "{http://a9.com/-/spec/opensearch/1.1/}"
    assert root.tag == f"{ns}OpenSearchDescription"
    assert len(root.findtext(f"{ns}ShortName") or "") <= 16
    templates = {url.get("type"): url.get("template") for url in root.iter(f"{ns}Url")}
    assert templates["text/html"] == "http://127.0.0.1:8000/search?q={searchTerms}"
    assert templates["application/atom+xml"] == "http://127.0.0.1:8000/search.atom?q={searchTerms}"
    html_search = await client.get(
        templates["text/html"]
        .replace("{searchTerms}", "population")
        .removeprefix("http://127.0.0.1:8000"),
        headers=BROWSER,
    )
    assert html_search.status_code == 200 and "population" in html_search.text.lower()


async def test_a_sitemap_page_is_sent_gzipped_once_compressed(client: Any, seeded: None) -> None:
    import gzip

    plain = await client.get("/sitemap-1.xml", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    packed = await client.get("/sitemap-1.xml", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.content == plain.content  # httpx decodes it: the same document
    assert int(packed.headers["content-length"]) < len(gzip.compress(plain.content)) + 64
