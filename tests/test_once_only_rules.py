"""The once-only rules in plain Python: facts, keys, slugs, search stems, authorisation."""

from __future__ import annotations

import datetime as dt

from catalogue.onceonly import authorisation, facts

REGISTER = {
    "organisational": {"is_base_register": True},
    "technical": {
        "attributes": [
            {
                "name": "personal_id",
                "is_identifier": True,
                "identifier_scheme": "personal-id",
                "personal_data_category": "OfficialID",
            },
            {
                "name": "permanent_address_id",
                "identifier_scheme": "address-id",
                "personal_data_category": "PhysicalAddress",
                "description": {
                    "en": "Address of permanent residence",
                    "sl": "Naslov stalnega prebivališča",
                },
            },
            {"name": "birth_date", "personal_data_category": "BirthDate"},
        ]
    },
}


def test_a_register_is_authoritative_for_the_scheme_of_its_key_only():
    rows = facts.attribute_rows(REGISTER, {"BirthDate": ["Date of birth", "Datum rojstva"]})
    assert [(row.name, row.is_key, row.fact) for row in rows] == [
        ("personal_id", True, "scheme:personal-id"),
        ("permanent_address_id", False, "scheme:address-id"),
        ("birth_date", False, "category:BirthDate"),
    ]
    assert {"naslov", "addres"} <= rows[1].words
    assert {"date", "birth", "datum", "rojstv"} <= rows[2].words
    assert facts.is_base_register(REGISTER)


def test_search_stems_drop_stop_words_and_find_inflections():
    assert facts.query_stems("Date of birth") == ["date", "birth"]
    assert facts.query_stems("addresses") == facts.query_stems("address")
    assert facts.query_stems("naslova") == ["naslov"]
    assert facts.query_stems("of the") == []


def test_a_service_is_named_by_its_english_title():
    assert facts.service_slug({"sl": "Otroški dodatek", "en": "Child benefit"}) == "child-benefit"
    assert facts.service_slug({"sl": "Otroški dodatek"}) == "otroski-dodatek"
    assert facts.service_slug({}, "https://e.example.si/x") == "https-e-example-si-x"


def _use(status: str, attributes: list[str], until: str = "2028-12-31") -> dict:
    return {
        "agreement_id": "a1",
        "reference": "DUA-1",
        "status": status,
        "attributes": attributes,
        "valid_from": dt.date(2024, 1, 1),
        "valid_until": dt.date.fromisoformat(until),
    }


def test_authorisation_names_why_a_request_is_refused():
    request = authorisation.Request("s", "d", ("personal_id",), dt.date(2026, 6, 1))
    assert authorisation.decide(request, [_use("approved", ["personal_id"])]).allowed
    refused = authorisation.decide(request, [_use("under_review", ["personal_id"])])
    assert (refused.allowed, refused.code) == (False, "not_approved")
    ended = authorisation.decide(request, [_use("approved", ["personal_id"], "2025-12-31")])
    assert ended.code == "expired" and "2025-12-31" in ended.reason
