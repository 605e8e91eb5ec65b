"""CKAN's ``fq`` and ``sort`` syntax, and how it becomes a search-service plan (pure Python)."""

from __future__ import annotations

import datetime as dt

import pytest

from catalogue.ckan.filters import plan, sort_fields
from catalogue.ckan.fq import (
    All,
    Any_,
    FqError,
    MatchAll,
    Not,
    Range,
    SortKey,
    Term,
    parse_fq,
    parse_solr_date,
    parse_sort,
)

ORGS = {"0f6a...uuid": "police"}
JAN_2024 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def test_field_value_pairs_are_anded():
    assert parse_fq("organization:police res_format:CSV") == All(
        (Term("organization", "police"), Term("res_format", "CSV"))
    )


def test_a_minus_negates_and_or_offers_alternatives():
    assert parse_fq("-res_format:PDF") == Not(Term("res_format", "PDF"))
    envi_or_heal = Any_((Term("groups", "envi"), Term("groups", "heal")))
    assert parse_fq("groups:(envi OR heal)") == envi_or_heal
    assert parse_fq("tags:a OR tags:b") == Any_((Term("tags", "a"), Term("tags", "b")))
    assert parse_fq("NOT -x:1") == Not(Not(Term("x", "1")))


def test_quoted_values_escapes_and_match_all():
    assert parse_fq('tags:"air quality"') == Term("tags", "air quality")
    assert parse_fq(r"url:http\://example.org") == Term("url", "http://example.org")
    assert parse_fq("*:*") == MatchAll()
    assert parse_fq("   ") == MatchAll()


def test_ranges_read_solr_dates():
    assert parse_fq("metadata_modified:[2024-01-01T00:00:00Z TO *]") == Range(
        "metadata_modified", JAN_2024, None
    )
    exclusive = parse_fq("metadata_modified:{2024-01-01 TO NOW}")
    assert isinstance(exclusive, Range) and not exclusive.include_low


def test_solr_date_maths():
    now = dt.datetime(2024, 3, 31, 15, 30, tzinfo=dt.UTC)
    assert parse_solr_date("NOW-1DAY", now) == now - dt.timedelta(days=1)
    assert parse_solr_date("NOW/DAY", now) == dt.datetime(2024, 3, 31, tzinfo=dt.UTC)
    assert parse_solr_date("NOW-1MONTH", now) == dt.datetime(2024, 2, 29, 15, 30, tzinfo=dt.UTC)
    assert parse_solr_date("2024-01-01") == JAN_2024
    assert parse_solr_date("yesterday") is None


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("police", "must be written field:value"),
        ("groups:(envi OR heal", "not closed"),
        ("metadata_modified:[2024-01-01 TO", "unclosed range"),
        ("(a:b", "never closed"),
        ("a:b)", "unexpected ')'"),
        ("OR a:b", "needs a condition before it"),
        ("a:b OR", "ends where a condition was expected"),
        ('tags:"open', "unclosed quote"),
        ("metadata_modified:[2024-01-01 UNTIL *]", "not a range"),
        ("metadata_modified:[2024-13-45 TO *]", "not a date"),
    ],
)
def test_unreadable_filters_say_what_is_wrong(text, complaint):
    with pytest.raises(FqError, match=complaint.replace("(", r"\(").replace(")", r"\)")):
        parse_fq(text)


def test_sort_takes_fields_and_directions():
    allowed = {"id", "metadata_modified", "score"}
    assert parse_sort("metadata_modified desc, id asc", allowed) == [
        SortKey("metadata_modified", True),
        SortKey("id", False),
    ]
    assert parse_sort("id", allowed) == [SortKey("id", False)]
    with pytest.raises(FqError, match="cannot sort by 'colour'"):
        parse_sort("colour asc", allowed)
    with pytest.raises(FqError, match="asc or desc"):
        parse_sort("id upwards", allowed)


def test_sort_names_become_the_search_services_columns():
    keys = parse_sort("score desc, metadata_modified desc, name asc, title_string asc", {
        "score", "metadata_modified", "name", "title_string"})  # fmt: skip
    assert sort_fields(keys) == [
        ("score", True),
        ("modified", True),
        ("slug", False),
        ("title", False),
    ]


def test_each_anded_condition_is_one_group_so_facets_count_the_filtered_set():
    result = plan([parse_fq("organization:police groups:(envi OR heal) res_format:CSV")], ORGS)
    assert result.any_of == [
        {"publisher": ["police"]},
        {"theme": ["ENVI", "HEAL"]},
        {"format": ["CSV"]},
    ]
    assert result.exclude == {} and result.modified_from is None


def test_negations_exclude_and_ranges_set_modified_from():
    result = plan(
        [parse_fq("-res_format:PDF -(license_id:CC0 OR license_id:CC_BY_4_0)"),
         parse_fq("metadata_modified:[2024-01-01T00:00:00Z TO *]")],
        ORGS,
    )  # fmt: skip
    assert result.exclude == {"format": ["PDF"], "licence": ["CC0", "CC_BY_4_0"]}
    assert result.modified_from == JAN_2024


def test_ckan_only_fields_are_translated():
    result = plan([parse_fq("owner_org:0f6a...uuid capacity:public type:dataset")], ORGS)
    assert result.any_of == [
        {"publisher": ["police"]},
        {"status": ["published", "deprecated"]},
    ]
    assert plan([parse_fq('tags:ozone -tags:"air quality"')], ORGS).text == [
        'tags:"ozone"',
        '-tags:"air quality"',
    ]


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("colour:blue", "cannot filter on 'colour'"),
        ("name:air*", "wildcards are not supported"),
        ("metadata_created:[2024-01-01 TO *]", "metadata_modified only"),
        ("metadata_modified:[2020-01-01 TO 2021-01-01]", "must be open-ended"),
        ("metadata_modified:[yesterday TO *]", "need a start date"),
        ("(a:1 AND b:2) OR c:3", "OR may only join"),
    ],
)
def test_what_the_search_service_cannot_express_is_refused(text, complaint):
    with pytest.raises(FqError, match=complaint):
        plan([parse_fq(text)], ORGS)
