"""Guessing passwords: after 10 failures for one address in 15 minutes, every way in (the
sign-in form and the token API, in any worker process) refuses that address for a while,
however many guesses arrive at the same moment."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
from collections import Counter

import httpx
import pytest
from argon2 import PasswordHasher

from catalogue.accounts import security, signin
from catalogue.accounts.tables import SignInThrottle
from catalogue.errors import TooManyAttempts
from tests.conftest import PROJECT_ROOT
from tests.factories import make_user
from tests.test_ui_steward_pages import csrf

EMAIL = "guessed@example.gov"
PASSWORD = "correct horse battery"  # what tests.factories.make_user gives every user


@pytest.fixture
async def user(client) -> dict[str, str]:
    return await make_user(EMAIL)


async def ask_for_token(client, password: str, email: str = EMAIL):
    return await client.post("/api/v1/tokens", json={"email": email, "password": password})


async def test_ten_wrong_passwords_through_the_api_lock_the_address_everywhere(client, user):
    for _ in range(signin.MAX_FAILURES):
        assert (await ask_for_token(client, "wrong guess")).status_code == 401

    refused = await ask_for_token(client, PASSWORD)  # even the right one, for now
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= 15 * 60 + 1
    assert "too many failed sign-ins" in refused.json()["detail"]

    page = await client.get("/signin")
    form = await client.post(
        "/signin",
        data={"email": EMAIL.upper(), "password": PASSWORD, "_csrf_token": csrf(page.text)},
    )
    assert form.status_code == 429
    assert "Too many attempts to sign in with this address" in form.text

    other = await client.post(
        "/api/v1/tokens", json={"email": "other@example.gov", "password": "anything at all"}
    )
    assert other.status_code == 401  # another address is not affected


async def test_concurrent_guesses_get_at_most_the_limit_of_password_checks(client, user):
    """30 guesses at once through the whole HTTP stack. (The test client runs one request at
    a time, so they go through httpx's ASGI transport, which really interleaves them: with a
    read-then-write count all 30 got 401.)"""
    guesses = 30
    transport = httpx.ASGITransport(app=client.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as racing:
        responses = await asyncio.gather(
            *(ask_for_token(racing, f"wrong guess {n}") for n in range(guesses))
        )
    statuses = Counter(response.status_code for response in responses)
    assert statuses == {401: signin.MAX_FAILURES, 429: guesses - signin.MAX_FAILURES}
    assert (await ask_for_token(client, PASSWORD)).status_code == 429


GUESSER = """
import asyncio, json, sys
from catalogue.accounts import signin
from catalogue.errors import TooManyAttempts

async def guess(n):
    try:
        found = await signin.authenticate(sys.argv[1], f"wrong guess {n}")
    except TooManyAttempts:
        return 429
    return 401 if found is None else 200

async def main():
    print(json.dumps(await asyncio.gather(*(guess(n) for n in range(int(sys.argv[2]))))))

asyncio.run(main())
"""


def guess_in_another_process(count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", GUESSER, EMAIL, str(count)],
        cwd=PROJECT_ROOT,
        env=os.environ.copy(),  # the same test database
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


async def test_two_worker_processes_guessing_at_once_share_one_limit(user):
    processes = [guess_in_another_process(15) for _ in range(2)]
    statuses: Counter[int] = Counter()
    for process in processes:
        out, err = await asyncio.to_thread(process.communicate, timeout=120)
        assert process.returncode == 0, err
        statuses.update(json.loads(out))
    assert statuses == {401: signin.MAX_FAILURES, 429: 30 - signin.MAX_FAILURES}


async def test_the_lock_ends_when_the_window_ages_out_and_a_success_clears_the_count(client, user):
    for _ in range(signin.MAX_FAILURES):
        assert await signin.authenticate(EMAIL, "wrong guess") is None
    with pytest.raises(TooManyAttempts):
        await signin.authenticate(EMAIL, PASSWORD)

    sixteen_minutes_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16)
    await SignInThrottle.update({SignInThrottle.window_start: sixteen_minutes_ago}).where(
        SignInThrottle.email == EMAIL
    )
    assert await signin.authenticate(EMAIL, PASSWORD) is not None
    assert await SignInThrottle.count() == 0  # a success clears the address

    for _ in range(signin.MAX_FAILURES - 1):
        await signin.authenticate(EMAIL, "wrong guess")
    assert await signin.authenticate(EMAIL, PASSWORD) is not None  # the 10th try succeeds
    assert await SignInThrottle.count().where(SignInThrottle.email == EMAIL) == 0


async def test_unknown_addresses_are_counted_like_known_ones(client):
    for _ in range(signin.MAX_FAILURES):
        assert await signin.authenticate("nobody@example.gov", "guess") is None
    with pytest.raises(TooManyAttempts):
        await signin.authenticate("Nobody@Example.gov ", "guess")


class CountingHasher(PasswordHasher):
    """The real argon2 hasher, which also notes each hash it checks a password against."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.checked: list[str] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.checked.append(hash if isinstance(hash, str) else hash.decode())
        return super().verify(hash, password)


async def test_an_unknown_address_costs_a_password_check_like_a_known_one(client, user):
    """Equal work, so the answer's timing does not tell who has an account."""
    hasher = CountingHasher()
    original, security._hasher = security._hasher, hasher
    try:
        assert await signin.authenticate("nobody@example.gov", PASSWORD) is None
        assert await signin.authenticate(EMAIL, "wrong guess") is None
        expected_dummy = security.dummy_hash()
    finally:
        security._hasher = original
    dummy, real = hasher.checked
    assert dummy == expected_dummy and real != dummy
    # the same algorithm and cost: the parameters before the salt agree
    assert dummy.rsplit("$", 2)[0] == hasher.hash("x").rsplit("$", 2)[0]


def test_the_dummy_hash_never_lets_anyone_in():
    assert security.verify_password(None, "") is False
    assert security.verify_password(None, "correct horse battery") is False
