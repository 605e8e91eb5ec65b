"""What a CKAN with ckanext-dcat gets from this catalogue: its URLs, its parameters, its reading.

ckanext-dcat (2.4.4) needs CKAN itself (Flask, SQLAlchemy, a configured site) to import its
``RDFParser``; it does not install into this project's environment. So the reading is done
here with rdflib exactly as its profiles read (``euro_dcat_ap_base._parse_dataset_base``,
``base._license``, ``base._distribution_format``, ``base._object_value``, ``base._spatial``):
the same predicates, the same matching of licences against CKAN's licence register (by URL,
then by ``dct:title``), the same format and media-type rules (CKAN's ``resource_formats``
for the media types the seed uses). Field by field: an open dataset arrives with its title
and description in every language, tags, a licence id, resources with formats and rights,
and its geometry.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef

from catalogue.dcat import snapshot
from catalogue.dcat.namespaces import DCAT, DCT, HYDRA, LOCN, RDF, RDFS

# CKAN 2.12's default licence register (ckan/model/license.py): id -> (url, title).
CKAN_LICENCES = {
    "cc-by": ("http://www.opendefinition.org/licenses/cc-by", "Creative Commons Attribution"),
    "cc-zero": ("http://www.opendefinition.org/licenses/cc-zero", "Creative Commons CCZero"),
    "cc-by-sa": (
        "http://www.opendefinition.org/licenses/cc-by-sa",
        "Creative Commons Attribution Share-Alike",
    ),
    "odc-odbl": (
        "http://www.opendefinition.org/licenses/odc-odbl",
        "Open Data Commons Open Database License (ODbL)",
    ),
}
# CKAN 2.12's resource_formats.json, the entries for the media types of the seed.
CKAN_FORMATS = {
    "text/csv": "CSV",
    "application/json": "JSON",
    "application/geo+json": "GeoJSON",
    "application/xml": "XML",
    "application/zip": "ZIP",
    "application/pdf": "PDF",
    "text/html": "HTML",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
}
SLUG = "air-quality-measurements"


@pytest.fixture(scope="module")
async def seeded_once() -> None:
    from tests.conftest import load_demo_catalogue

    await load_demo_catalogue()


@pytest.fixture
async def harvester(seeded_once: None) -> AsyncIterator[Any]:
    from litestar.testing import AsyncTestClient

    from catalogue.app import create_app

    snapshot.invalidate()
    async with AsyncTestClient(app=create_app(prepare=False, pool=False)) as test_client:
        yield test_client


async def graph_of(client: Any, url: str, parser: str = "turtle") -> Graph:
    response = await client.get(url)
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.content, format=parser)


# --- ckanext-dcat's reading, as its profiles read ----------------------------------------


def object_value(graph: Graph, subject: Any, predicate: URIRef, lang: str = "en") -> str:
    """``base._object_value``: the default language, else the first literal; a node's
    rdfs:label; else the IRI."""
    fallback = ""
    for value in graph.objects(subject, predicate):
        if isinstance(value, Literal):
            if value.language == lang:
                return str(value)
            fallback = fallback or str(value)
        elif (label := next(graph.objects(value, RDFS.label), None)) is not None:
            return str(label)
        else:
            return str(value)
    return fallback


def multilingual(graph: Graph, subject: Any, predicate: URIRef) -> dict[str, str]:
    return {
        value.language: str(value)
        for value in graph.objects(subject, predicate)
        if isinstance(value, Literal) and value.language
    }


def license_id(graph: Graph, dataset: URIRef) -> str:
    """``base._license``: the first distribution licence the register knows by URL or title."""
    by_url = {url: key for key, (url, _) in CKAN_LICENCES.items()}
    by_title = {title: key for key, (_, title) in CKAN_LICENCES.items()}
    for distribution in graph.objects(dataset, DCAT.distribution):
        licence = graph.value(distribution, DCT.license)
        if licence is not None:
            found = by_url.get(str(licence)) or by_title.get(
                object_value(graph, licence, DCT.title)
            )
            if found:
                return found
    return ""


def distribution_format(graph: Graph, distribution: Any) -> tuple[str | None, str | None]:
    """``base._distribution_format`` with ckanext.dcat.normalize_ckan_format on."""
    imt = object_value(graph, distribution, DCAT.mediaType) or None
    label = None
    fmt = graph.value(distribution, DCT["format"])
    if isinstance(fmt, Literal):
        label = str(fmt)
    elif isinstance(fmt, URIRef):
        label = str(fmt) if "iana.org/assignments/media-types" not in str(fmt) else None
    if imt in CKAN_FORMATS:
        label = CKAN_FORMATS[imt]
    return imt, label


def ckan_dataset(graph: Graph, dataset: URIRef) -> dict[str, Any]:
    resources = []
    for distribution in graph.objects(dataset, DCAT.distribution):
        imt, label = distribution_format(graph, distribution)
        resources.append(
            {
                "url": object_value(graph, distribution, DCAT.downloadURL)
                or object_value(graph, distribution, DCAT.accessURL),
                "mimetype": imt,
                "format": label or imt,
                "rights": object_value(graph, distribution, DCT.rights),
                "name_translated": multilingual(graph, distribution, DCT.title),
            }
        )
    spatial = graph.value(dataset, DCT.spatial)
    return {
        "title_translated": multilingual(graph, dataset, DCT.title),
        "notes_translated": multilingual(graph, dataset, DCT.description),
        "tags": sorted(str(k) for k in graph.objects(dataset, DCAT.keyword)),
        "license_id": license_id(graph, dataset),
        "version": object_value(graph, dataset, DCAT.version),
        "resources": resources,
        "spatial_uri": str(spatial) if spatial is not None else "",
        "spatial_bbox": object_value(graph, spatial, DCAT.bbox) if spatial else "",
        "spatial_centroid": object_value(graph, spatial, DCAT.centroid) if spatial else "",
        "spatial": object_value(graph, spatial, LOCN.geometry) if spatial else "",
    }


async def test_ckanext_dcat_reads_an_open_dataset_field_by_field(harvester: Any) -> None:
    from catalogue.datasets.queries import find_record

    document = (await find_record(SLUG)).document
    graph = await graph_of(harvester, f"/dataset/{SLUG}.ttl")
    dataset = ckan_dataset(graph, URIRef(f"http://127.0.0.1:8000/dataset/{SLUG}"))
    assert dataset["title_translated"] == document.title and set(document.title) == {"en", "sl"}
    assert dataset["notes_translated"] == document.description
    assert dataset["tags"] == sorted(document.semantic.keywords)
    assert dataset["license_id"] == "cc-by"  # was "": the EU IRI alone matched nothing
    assert dataset["version"] == document.technical.version
    by_url = {r["url"]: r for r in dataset["resources"]}
    for distribution in document.technical.distributions:
        resource = by_url[distribution.download_url or distribution.access_url]
        assert resource["mimetype"] == distribution.media_type  # was the IANA IRI
        assert resource["format"] == CKAN_FORMATS[distribution.media_type]  # was the EU IRI
        assert resource["rights"] == document.legal.rights["en"]  # the dataset's, repeated
        assert resource["name_translated"] == distribution.title
    assert dataset["spatial_uri"].endswith("/country/SVN")
    assert dataset["spatial_bbox"].startswith("POLYGON((13.38 45.42")
    assert dataset["spatial_centroid"] == "POINT(14.8157 46.1199)"
    assert '"Polygon"' in dataset["spatial"]


async def test_every_open_seed_dataset_arrives_with_a_licence_id(harvester: Any) -> None:
    graph = await graph_of(harvester, "/catalog.ttl?classification=open")
    datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) > 20
    found = {license_id(graph, dataset) for dataset in datasets}
    assert found <= {"cc-by", "cc-zero"} and "" not in found


# --- ckanext-dcat's URL shapes -------------------------------------------------------------


async def test_catalog_xml_and_n3_as_ckanext_dcat_names_them(harvester: Any) -> None:
    xml = await harvester.get("/catalog.xml")
    assert xml.headers["content-type"] == "application/rdf+xml; charset=utf-8"
    n3 = await harvester.get("/catalog.n3")
    assert n3.headers["content-type"] == "text/n3; charset=utf-8"
    turtle = await graph_of(harvester, "/catalog.ttl")
    assert len(Graph().parse(data=xml.content, format="xml")) == len(turtle)
    assert len(Graph().parse(data=n3.content, format="n3")) == len(turtle)


@pytest.mark.parametrize(
    "path", ["/catalog.ttl", f"/dataset/{SLUG}.ttl", "/catalog.n3", "/catalog.rdf"]
)
async def test_the_content_type_names_its_charset_once(harvester: Any, path: str) -> None:
    content_type = (await harvester.get(path)).headers["content-type"]
    assert content_type.count("charset") == 1, content_type


async def test_a_dataset_by_id_or_slug_in_every_extension(harvester: Any) -> None:
    from catalogue.datasets.queries import find_record

    record = await find_record(SLUG)
    for ext, parser in (("ttl", "turtle"), ("xml", "xml"), ("n3", "n3"), ("jsonld", "json-ld")):
        by_slug = await harvester.get(f"/dataset/{SLUG}.{ext}")
        by_id = await harvester.get(f"/dataset/{record.id}.{ext}")
        assert by_slug.status_code == by_id.status_code == 200
        assert by_id.content == by_slug.content
        assert len(Graph().parse(data=by_id.content, format=parser)) > 50
    missing = await harvester.get("/dataset/00000000-0000-0000-0000-000000000000.ttl")
    assert missing.status_code == 404


async def test_fq_narrows_the_catalogue_to_one_organisation(harvester: Any) -> None:
    """A harvest meant for one organisation gets only its datasets (before: everything)."""
    everything = await graph_of(harvester, "/catalog.ttl")
    one = await graph_of(harvester, "/catalog.ttl?fq=organization:environment-agency")
    datasets = set(one.subjects(RDF.type, DCAT.Dataset))
    assert 0 < len(datasets) < len(set(everything.subjects(RDF.type, DCAT.Dataset)))
    publishers = {str(one.value(dataset, DCT.publisher)) for dataset in datasets}
    assert publishers == {"http://127.0.0.1:8000/organisation/environment-agency"}
    page = next(one.subjects(RDF.type, HYDRA.PagedCollection))
    assert "fq=organization%3Aenvironment-agency" in str(page)
    csv = await graph_of(
        harvester, "/catalog.ttl?fq=res_format:CSV%20-organization:environment-agency"
    )
    assert set(csv.subjects(RDF.type, DCAT.Dataset)).isdisjoint(datasets)
    cc_by = await graph_of(harvester, "/catalog.ttl?fq=license_id:cc-by")
    assert set(cc_by.subjects(RDF.type, DCAT.Dataset))


async def test_sort_orders_the_catalogue(harvester: Any) -> None:
    """The datasets come in the order asked for (each one's block, in the page's order)."""
    orders = []
    for direction in ("asc", "desc"):
        response = await harvester.get(f"/catalog.nt?sort=name%20{direction}")
        assert response.status_code == 200
        typed = f"> <{RDF.type}> <{DCAT.Dataset}> ."
        slugs = [
            line.split("/dataset/", 1)[1].split(">", 1)[0]
            for line in response.text.splitlines()
            if line.endswith(typed)
        ]
        orders.append(slugs)
    assert len(orders[0]) > 40
    assert orders[0] == sorted(orders[0]) and orders[1] == orders[0][::-1]
    response = await harvester.get("/catalog.ttl?sort=metadata_modified%20desc")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("fq=organization:(police", "fq"),
        ("fq=colour:blue", "fq"),
        ("fq=name:a*", "fq"),
        ("sort=colour%20asc", "sort"),
        ("sort=name%20sideways", "sort"),
    ],
)
async def test_a_bad_fq_or_sort_is_a_400_naming_it(harvester: Any, query: str, field: str) -> None:
    response = await harvester.get(f"/catalog.ttl?{query}")
    assert response.status_code == 400, response.text
    assert response.json()["problems"][0]["field"] == field


async def test_the_catalogue_node_has_issued_licence_and_a_typed_publisher(
    harvester: Any,
) -> None:
    graph = await graph_of(harvester, "/catalog.ttl")
    catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
    assert graph.value(catalog, DCT.issued) is not None
    assert str(graph.value(catalog, DCT.license)).endswith("/licence/CC0")
    publisher = graph.value(catalog, DCT.publisher)
    assert str(graph.value(publisher, DCT.type)).endswith("/publishertype/NationalAuthority")


def test_the_catalogue_node_covers_its_countries_with_geometry(vocabularies: Any) -> None:
    import datetime as dt

    from catalogue.dcat.catalog import CatalogInfo, PageInfo, catalog_triples
    from catalogue.dcat.triples import TripleSink

    info = CatalogInfo(
        "https://data.example.si",
        "Catalogue",
        "All of it",
        ("en",),
        None,
        issued=dt.datetime(2020, 1, 2, tzinfo=dt.UTC),
        licence="CC_BY_4_0",
        spatial=("SVN", "NOPE"),
        publisher_type="LocalAuthority",
    )
    sink = TripleSink()
    catalog_triples(sink, info, [], PageInfo(1, 100, 0, "/catalog.ttl"), vocabularies, None)
    graph = sink.graph()
    catalog = URIRef("https://data.example.si/catalog")
    svn = URIRef("http://publications.europa.eu/resource/authority/country/SVN")
    assert set(graph.objects(catalog, DCT.spatial)) == {svn}  # an unknown code is left out
    assert str(graph.value(svn, DCAT.centroid)) == "POINT(14.8157 46.1199)"
    assert graph.value(catalog, DCT.issued).toPython() == dt.datetime(2020, 1, 2, tzinfo=dt.UTC)
    assert str(graph.value(catalog, DCT.license)).endswith("/licence/CC_BY_4_0")
    publisher = graph.value(catalog, DCT.publisher)
    assert str(graph.value(publisher, DCT.type)).endswith("/LocalAuthority")


async def test_a_stewards_bounding_box_goes_out_and_comes_back(vocabularies: Any) -> None:
    from catalogue.dcat.mapping import DatasetContext, dataset_graph, dataset_iri
    from catalogue.dcat.reverse import document_from_graph
    from catalogue.domain.dataset import DatasetDocument

    document = DatasetDocument.model_validate(
        {
            "slug": "ljubljana-trees",
            "classification": "open",
            "technical": {"spatial": ["SVN"], "bounding_box": "14.40, 45.98 14.62 46.14"},
        }
    )
    assert document.technical.bounding_box == "14.4,45.98,14.62,46.14"
    base = "https://data.example.si"
    graph = dataset_graph(document, DatasetContext(base_url=base), vocabularies)
    subject = dataset_iri(base, document.slug)
    location = URIRef(f"{subject}#location")
    assert (subject, DCT.spatial, location) in graph
    assert str(graph.value(location, DCAT.bbox)).startswith("POLYGON((14.4 45.98,14.4 46.14")
    back = document_from_graph(graph, subject, vocabularies, base)
    assert back.technical.bounding_box == document.technical.bounding_box
    assert back.technical.spatial == ["SVN"]


@pytest.mark.parametrize("box", ["1,2,3", "200,0,210,1", "10,50,5,55", "a,b,c,d"])
def test_a_bad_bounding_box_is_refused_saying_why(box: str) -> None:
    from pydantic import ValidationError

    from catalogue.domain.dataset import DatasetDocument

    with pytest.raises(ValidationError, match="bounding_box"):
        DatasetDocument.model_validate(
            {"slug": "x", "classification": "open", "technical": {"bounding_box": box}}
        )
