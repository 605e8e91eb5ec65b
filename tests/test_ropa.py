"""Building the record of processing (GDPR Art. 30) from documents: plain functions, no database."""

from __future__ import annotations

import csv
import datetime as dt
import io

from catalogue.domain.dataset import DatasetDocument
from catalogue.ropa.export import COLUMNS, to_csv
from catalogue.ropa.records import (
    ApprovedUse,
    Labeller,
    Organisation,
    build_records,
)
from tests.factories import PUBLISHER, changed, open_dataset, personal_dataset

ORGANISATIONS = {
    PUBLISHER: Organisation(PUBLISHER, "Ministry of Examples", "info@example.gov"),
    "labour": Organisation("labour", "Ministry of Labour"),
}


def document(raw: dict) -> DatasetDocument:
    return DatasetDocument.model_validate(raw)


def use(reference: str = "DUA-1", **overrides) -> ApprovedUse:
    values = dict(
        reference=reference,
        dataset="personal-example",
        provider=PUBLISHER,
        provider_name="Ministry of Examples",
        consumer="labour",
        consumer_name="Ministry of Labour",
        service="Child benefit",
        attributes=("birth_date",),
        purpose="ServiceProvision",
        purpose_text="Decide on child benefit.",
        legal_basis="A6-1-e",
        special_category_condition=None,
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2027, 12, 31),
        measures=("EncryptionInTransfer",),
    )
    values.update(overrides)
    return ApprovedUse(**values)


def test_each_personal_dataset_is_a_register_activity_of_its_controller(vocabularies):
    documents = [
        document(personal_dataset()),
        document(changed(personal_dataset("personal-draft"), "status", "draft")),
        document(changed(personal_dataset("gone"), "status", "withdrawn")),
        document(open_dataset()),
    ]
    records = build_records(documents, [], ORGANISATIONS, Labeller(vocabularies))
    assert [r.organisation.name for r in records] == ["Ministry of Examples"]
    activities = records[0].activities
    assert [a["dataset"] for a in activities] == ["personal-draft", "personal-example"]
    activity = activities[1]
    assert activity["legal_bases"] == [
        {"code": "A6-1-e", "label": vocabularies["legal-bases"].get("A6-1-e").label("en")}
    ]
    assert activity["purposes"][0]["code"] == "ServiceProvision"
    assert activity["purposes"][0]["text"] == "Providing services."
    assert {c["code"] for c in activity["personal_data_categories"]} == {"OfficialID", "BirthDate"}
    assert activity["retention"]["period"] == "P10Y"
    assert activity["transfers"]["third_countries"] == []


def test_the_controller_is_the_publisher_when_none_is_named():
    raw = changed(personal_dataset(), "legal.personal_data.controller", None)
    assert document(raw).controller() == PUBLISHER
    named = changed(personal_dataset(), "legal.personal_data.controller.organisation", "labour")
    assert document(named).controller() == "labour"


def test_an_approved_use_is_a_recipient_and_the_consumers_activity(vocabularies):
    records = build_records(
        [document(personal_dataset())], [use()], ORGANISATIONS, Labeller(vocabularies)
    )
    by_controller = {r.organisation.slug: r for r in records}
    recipients = by_controller[PUBLISHER].activities[0]["recipients"]
    assert [(r["organisation"], r["agreement"]) for r in recipients] == [("labour", "DUA-1")]

    reuse = by_controller["labour"].activities[0]
    assert reuse["activity"] == "reuse" and reuse["source"]["organisation"] == PUBLISHER
    assert [c["code"] for c in reuse["personal_data_categories"]] == ["BirthDate"]
    assert [s["code"] for s in reuse["data_subjects"]] == ["Citizen"]
    assert reuse["measures"][0]["code"] == "EncryptionInTransfer"
    assert "2027-12-31" in reuse["retention"]["description"]


def test_uses_of_datasets_outside_the_record_are_left_out(vocabularies):
    records = build_records(
        [document(personal_dataset())],
        [use("DUA-2", dataset="open-example")],
        ORGANISATIONS,
        Labeller(vocabularies),
    )
    assert [r.organisation.slug for r in records] == [PUBLISHER]
    assert records[0].activities[0]["recipients"] == []


def test_a_record_can_be_limited_to_some_controllers(vocabularies):
    records = build_records(
        [document(personal_dataset())],
        [use()],
        ORGANISATIONS,
        Labeller(vocabularies),
        controllers={"labour"},
    )
    assert [r.organisation.slug for r in records] == ["labour"]


def test_the_csv_puts_labels_and_codes_in_separate_columns(vocabularies):
    records = build_records(
        [document(personal_dataset())], [use()], ORGANISATIONS, Labeller(vocabularies)
    )
    rows = list(csv.DictReader(io.StringIO(to_csv(records))))
    assert list(rows[0]) == list(COLUMNS)
    register = next(r for r in rows if r["activity"] == "register")
    assert register["personal_data_category_codes"] == "BirthDate; OfficialID"
    assert register["personal_data_categories"] != register["personal_data_category_codes"]
    assert register["recipient_codes"] == "labour" and register["agreements"] == "DUA-1"
    reuse = next(r for r in rows if r["activity"] == "reuse")
    assert reuse["controller"] == "labour" and reuse["source"].endswith(f"({PUBLISHER})")


def test_the_csv_never_lets_a_spreadsheet_run_a_formula(vocabularies):
    raw = changed(personal_dataset(), "title", {"en": '=HYPERLINK("http://evil")'})
    rows = list(
        csv.DictReader(
            io.StringIO(
                to_csv(build_records([document(raw)], [], ORGANISATIONS, Labeller(vocabularies)))
            )
        )
    )
    assert rows[0]["name"].startswith("'=")
