"""Guessing passwords: after 10 failures for one address in 15 minutes, every way in (the
sign-in form and the token API, in any worker process) refuses that address for a while."""

from __future__ import annotations

import datetime as dt

import pytest

from catalogue.accounts import service
from catalogue.accounts.tables import SignInFailure
from catalogue.errors import TooManyAttempts
from tests.factories import make_user
from tests.test_ui_steward_pages import csrf

EMAIL = "guessed@example.gov"
PASSWORD = "correct horse battery"  # what tests.factories.make_user gives every user


@pytest.fixture
async def user(client) -> dict[str, str]:
    return await make_user(EMAIL)


async def ask_for_token(client, password: str):
    return await client.post("/api/v1/tokens", json={"email": EMAIL, "password": password})


async def test_ten_wrong_passwords_through_the_api_lock_the_address_everywhere(client, user):
    for _ in range(service.MAX_FAILURES):
        assert (await ask_for_token(client, "wrong guess")).status_code == 401

    refused = await ask_for_token(client, PASSWORD)  # even the right one, for now
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= 15 * 60 + 1
    assert "too many failed sign-ins" in refused.json()["detail"]

    page = await client.get("/signin")
    form = await client.post("/signin", data={"email": EMAIL.upper(), "password": PASSWORD,
                                              "_csrf_token": csrf(page.text)})
    assert form.status_code == 429
    assert "Too many attempts to sign in with this address" in form.text

    other = await client.post("/api/v1/tokens", json={"email": "other@example.gov",
                                                      "password": "anything at all"})
    assert other.status_code == 401  # another address is not affected


async def test_the_lock_ends_when_the_failures_age_out_and_a_success_clears_the_count(
    client, user
):
    for _ in range(service.MAX_FAILURES):
        assert await service.authenticate(EMAIL, "wrong guess") is None
    with pytest.raises(TooManyAttempts):
        await service.authenticate(EMAIL, PASSWORD)

    sixteen_minutes_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16)
    await SignInFailure.update({SignInFailure.at: sixteen_minutes_ago}).where(
        SignInFailure.email == EMAIL
    )
    assert await service.authenticate(EMAIL, PASSWORD) is not None
    assert await SignInFailure.count() == 0  # a success clears the address

    for _ in range(service.MAX_FAILURES - 1):
        await service.authenticate(EMAIL, "wrong guess")
    assert await service.authenticate(EMAIL, PASSWORD) is not None  # the 10th try succeeds
    assert await SignInFailure.count().where(SignInFailure.email == EMAIL) == 0


async def test_unknown_addresses_are_counted_like_known_ones(client):
    for _ in range(service.MAX_FAILURES):
        assert await service.authenticate("nobody@example.gov", "guess") is None
    with pytest.raises(TooManyAttempts):
        await service.authenticate("Nobody@Example.gov ", "guess")
