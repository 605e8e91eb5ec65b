"""How fast a foreign DCAT feed maps to harvest records (run by hand; figures in the report).

Generates a synthetic feed of N datasets in the forms other portals write (blank-node
publishers and contact points, formats as ``[ a dct:IMT; rdf:value "text/csv" ]``, Creative
Commons and opendefinition licence URLs, ``purl.org/cld/freq`` frequencies, ISO 639-1
languages, literal URLs, ``schema:startDate`` periods as date-times, a foreign theme, short
id IRIs, one bad value in every tenth dataset), parses it with rdflib and maps it with
``records_from_graph``, timing each step.

    .venv/bin/python benchmarks/harvest_mapping_benchmark.py [--datasets 10000] [--pages 1]

``--pages`` splits the feed into that many graphs, as a paged harvest reads them (memory
stays flat with the number of pages when each is mapped and let go).
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

from rdflib import Graph

from catalogue.harvest.records import records_from_graph
from catalogue.vocabularies import default_vocabularies

PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix schema: <http://schema.org/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
LICENCES = (
    "https://creativecommons.org/licenses/by/4.0/",
    "http://www.opendefinition.org/licenses/odc-odbl",
    "http://publications.europa.eu/resource/authority/licence/CC0",
)
FREQUENCIES = (
    "http://purl.org/cld/freq/annual",
    "http://purl.org/cld/freq/monthly",
    "http://publications.europa.eu/resource/authority/frequency/DAILY",
)
THEMES = ("ENVI", "TRAN", "ECON", "SOCI", "EDUC")
MEDIA = ("text/csv", "application/json", "application/vnd.ms-excel")


def dataset(number: int) -> str:
    theme = THEMES[number % len(THEMES)]
    bad = ' ; dcat:byteSize "about 2 MB"' if number % 10 == 0 else ""
    return f"""
<https://portal.example/datasets/{number}> a dcat:Dataset ;
    dct:identifier "{number}" ;
    dct:title "Synthetic dataset number {number} about {theme.lower()} statistics"@en ,
              "Synthetischer Datensatz {number}"@de ;
    dct:description "Rows of measurements for area {number % 97}, collected every day."@en ;
    dcat:keyword "synthetic", "area {number % 97}", "{theme.lower()}" ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/{theme}>,
               <https://portal.example/themes/{number % 13}> ;
    dct:language "en", "de" ;
    dct:publisher [ a foaf:Organization ; foaf:name "Agency {number % 50}" ] ;
    dcat:contactPoint [ a vcard:Organization ; vcard:fn "Desk {number % 50}" ;
                        vcard:hasEmail "mailto:desk{number % 50}@portal.example" ] ;
    dct:issued "2020-01-{1 + number % 28:02d}T10:00:00Z"^^xsd:dateTime ;
    dct:modified "2024-06-{1 + number % 28:02d}T08:30:00Z"^^xsd:dateTime ;
    dct:accrualPeriodicity <{FREQUENCIES[number % 3]}> ;
    dct:temporal [ a dct:PeriodOfTime ; schema:startDate "2019-01-01T00:00:00"^^xsd:dateTime ;
                   schema:endDate "2023-12-31"^^xsd:date ] ;
    dcat:landingPage "https://portal.example/page/{number}" ;
    dcat:distribution [ a dcat:Distribution ;
        dct:title "Data file {number}"@en ;
        dcat:accessURL "https://files.portal.example/{number}/data.csv" ;
        dct:format [ a dct:IMT ; rdf:value "{MEDIA[number % 3]}" ] ;
        dct:license <{LICENCES[number % 3]}>{bad} ] ,
      [ a dcat:Distribution ;
        dcat:downloadURL <https://files.portal.example/{number}/data.json> ;
        dcat:mediaType <https://www.iana.org/assignments/media-types/application/json> ;
        dct:license <{LICENCES[number % 3]}> ] .
"""


def feed(start: int, count: int) -> str:
    return PREFIXES + "".join(dataset(number) for number in range(start, start + count))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--pages", type=int, default=1)
    parser.add_argument(
        "--memory",
        action="store_true",
        help="also trace peak memory (tracemalloc slows everything down)",
    )
    arguments = parser.parse_args()
    vocabularies = default_vocabularies()
    per_page = -(-arguments.datasets // arguments.pages)
    generate = parse = parse_cpu = mapping = mapping_cpu = 0.0
    records = issues = 0
    taken: set[str] = set()
    if arguments.memory:
        tracemalloc.start()
    for page in range(arguments.pages):
        count = min(per_page, arguments.datasets - page * per_page)
        started = time.perf_counter()
        text = feed(page * per_page, count)
        generated, cpu_generated = time.perf_counter(), time.process_time()
        graph = Graph().parse(data=text, format="turtle")
        parsed, cpu_parsed = time.perf_counter(), time.process_time()
        for record in records_from_graph(
            graph,
            vocabularies,
            source_url="https://portal.example/feed",
            base_url="https://portal.example",
            taken_slugs=taken,
        ):
            records += 1
            issues += len(record.issues)
        mapped = time.perf_counter()
        mapping_cpu += time.process_time() - cpu_parsed
        parse_cpu += cpu_parsed - cpu_generated
        generate += generated - started
        parse += parsed - generated
        mapping += mapped - parsed
        del graph, text
    peak = tracemalloc.get_traced_memory()[1] if arguments.memory else 0
    print(f"datasets: {records} in {arguments.pages} page(s); issues: {issues}")
    print(f"generate feed: {generate:.2f} s")
    print(f"parse (rdflib Turtle): {parse:.2f} s wall, {parse_cpu:.2f} s CPU")
    each = mapping / max(records, 1) * 1000
    print(f"records_from_graph: {mapping:.2f} s wall, {mapping_cpu:.2f} s CPU")
    print(f"  {each:.2f} ms wall per dataset")
    if arguments.memory:
        print(f"peak traced memory: {peak / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
