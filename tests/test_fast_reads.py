"""Hot reads go straight to the driver and answer exactly what Piccolo's ``raw`` answers.

``catalogue.db.read_rows`` skips Piccolo's query machinery for the small reads every page
makes (the catalogue read version, when a dataset was scored). Inside a transaction it must
still read through the transaction's connection, or a write's own reads would miss its rows.
"""

from __future__ import annotations

import pytest

from catalogue.datasets.versions import current_version
from catalogue.db import read_rows
from catalogue.organisations.tables import Organisation
from tests.factories import make_organisation

pytestmark = pytest.mark.usefixtures("db")

BY_SLUG = "SELECT slug, name FROM organisation WHERE slug = {} OR slug = {} ORDER BY slug"


async def test_a_direct_read_answers_what_piccolo_answers() -> None:
    await make_organisation("agency-one")
    await make_organisation("agency-two")
    direct = await read_rows(Organisation, BY_SLUG, "agency-one", "agency-two")
    assert direct == list(await Organisation.raw(BY_SLUG, "agency-one", "agency-two"))
    assert [row["slug"] for row in direct] == ["agency-one", "agency-two"]
    assert await read_rows(Organisation, BY_SLUG, "nobody", "none") == []


async def test_inside_a_transaction_a_read_sees_the_transactions_own_rows() -> None:
    engine = Organisation._meta.db
    async with engine.transaction():
        await Organisation.insert(Organisation(slug="pending", name="Pending"))
        rows = await read_rows(Organisation, BY_SLUG, "pending", "none")
        assert [row["slug"] for row in rows] == ["pending"]
    assert [row["slug"] for row in await read_rows(Organisation, BY_SLUG, "pending", "x")] == [
        "pending"
    ]


async def test_the_read_version_moves_with_every_committed_change() -> None:
    before = await current_version()
    await make_organisation("agency-three")
    assert await current_version() > before
