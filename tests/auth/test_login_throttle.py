"""Login throttling (services/login_throttle.py): a stranger slows only their own address, the
owner signs in from a usual address during an attack, the account-wide lock tells the owner and
the administrators, administrators clear it, and X-Forwarded-For counts only from proxies."""

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from models.user import LoginAttempt
from services.settings import get_settings
from tests.helpers import PASSWORD, GraphQLClient, make_user
from tests.world import gid

LOGIN = """
mutation Login($username: String!, $password: String!) {
  login(input: {username: $username, password: $password}) {
    session { accessToken } errors { code message }
  }
}"""
UNLOCK = """
mutation Unlock($input: UserUnlockInput!) {
  userUnlock(input: $input) { user { username } errors { code } }
}"""
NOTIFICATIONS = "{ notifications { nodes { message subjectId } } }"
AUDIT = """
{ auditEvents(filter: {action: "user.unlock"}) { nodes { objectId reason before after } } }"""

Address = Callable[..., GraphQLClient]


@pytest.fixture
async def at(app: FastAPI) -> AsyncIterator[Address]:
    """Clients connecting from a given address (optionally through a proxy's header)."""
    async with AsyncExitStack() as stack:

        def client(address: str, forwarded_for: str | None = None) -> GraphQLClient:
            transport = httpx.ASGITransport(app=app, client=(address, 40000))
            http = httpx.AsyncClient(transport=transport, base_url="http://lohub.test")
            stack.push_async_callback(http.aclose)
            headers = {"accept-language": "en"}
            if forwarded_for:
                headers["x-forwarded-for"] = forwarded_for
            return GraphQLClient(http).with_headers(**headers)

        yield client


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    def set_limits(**values: object) -> None:
        for name, value in values.items():
            monkeypatch.setattr(get_settings(), f"login_{name}", value)

    return set_limits


async def attempt(client: GraphQLClient, username: str, password: str = "wrong!") -> str:
    """ "ok", or the error code of the login."""
    result = (await client.data(LOGIN, {"username": username, "password": password}))["login"]
    return result["errors"][0]["code"] if result["errors"] else "ok"


async def wait_asked(client: GraphQLClient, username: str) -> int:
    result = (await client.data(LOGIN, {"username": username, "password": "wrong!"}))["login"]
    assert result["errors"][0]["code"] == "THROTTLED", result
    return int(re.findall(r"\d+", result["errors"][0]["message"])[0])


async def age_attempts(seconds: float) -> None:
    """As if every attempt so far had been made ``seconds`` earlier."""
    for row in await LoginAttempt.all():
        row.at = row.at - timedelta(seconds=seconds)
        await row.save(update_fields=["at"])


async def test_a_stranger_cannot_lock_out_the_owner_from_a_usual_address(
    at: Address, limits: Callable[..., None]
) -> None:
    limits(max_failures_per_account=4, pair_free_failures=10)
    await make_user("somchai")
    home, stranger, new_place = at("203.0.113.7"), at("198.51.100.66"), at("192.0.2.44")
    assert await attempt(home, "somchai", PASSWORD) == "ok"

    codes = [await attempt(stranger, "somchai") for _ in range(5)]

    assert codes == ["INVALID_CREDENTIALS"] * 4 + ["THROTTLED"]
    assert await attempt(stranger, "somchai", PASSWORD) == "THROTTLED"
    assert await attempt(new_place, "somchai", PASSWORD) == "THROTTLED"
    assert await attempt(home, "somchai", "typo") == "INVALID_CREDENTIALS"
    assert await attempt(home, "somchai", PASSWORD) == "ok"


async def test_failures_delay_only_their_own_address_and_the_delay_doubles(
    at: Address, limits: Callable[..., None]
) -> None:
    limits(pair_free_failures=2, pair_delay_base_seconds=60, pair_delay_max_seconds=900)
    await make_user("somchai")
    guesser, owner = at("198.51.100.66"), at("203.0.113.7")
    assert [await attempt(guesser, "somchai") for _ in range(2)] == ["INVALID_CREDENTIALS"] * 2

    first_wait = await wait_asked(guesser, "somchai")
    await age_attempts(61)
    allowed_again = await attempt(guesser, "somchai")
    second_wait = await wait_asked(guesser, "somchai")

    # Seconds pass between the failure and the question (argon2 is slow on purpose).
    assert 50 <= first_wait <= 61 and allowed_again == "INVALID_CREDENTIALS"
    assert 110 <= second_wait <= 121
    assert await attempt(owner, "somchai", PASSWORD) == "ok"
    assert await attempt(guesser, "nobody") == "INVALID_CREDENTIALS"  # per account


async def test_reaching_the_account_threshold_tells_the_owner_and_administrators_once(
    client: GraphQLClient, at: Address, limits: Callable[..., None]
) -> None:
    limits(max_failures_per_account=3, pair_free_failures=10)
    owner = await make_user("somchai")
    admin = await make_user("root", roles={"ADMIN"})
    bystander = await make_user("malee")
    home, stranger = at("203.0.113.7"), at("198.51.100.66")
    assert await attempt(home, "somchai", PASSWORD) == "ok"

    for _ in range(3):
        await attempt(stranger, "somchai")
    await attempt(home, "somchai")  # still counted, but told already

    english = client.with_headers(**{"accept-language": "en"})
    for user, expected in ((owner, 1), (admin, 1), (bystander, 0)):
        notes = (await english.signed_in_as(user).data(NOTIFICATIONS))["notifications"]["nodes"]
        assert len(notes) == expected
        for note in notes:
            assert note["subjectId"] == gid("User", owner.id)
            assert note["message"].startswith("3 wrong passwords for the account somchai")


async def test_administrators_unlock_an_account_and_it_is_audited(
    admin: GraphQLClient, at: Address, limits: Callable[..., None]
) -> None:
    limits(max_failures_per_account=2, pair_free_failures=10)
    owner = await make_user("somchai")
    stranger, new_place = at("198.51.100.66"), at("192.0.2.44")
    for _ in range(2):
        await attempt(stranger, "somchai")
    assert await attempt(new_place, "somchai", PASSWORD) == "THROTTLED"

    unlocked = await admin.data(
        UNLOCK, {"input": {"id": gid("User", owner.id), "reason": "called the help desk"}}
    )
    unknown = await admin.data(UNLOCK, {"input": {"id": gid("User", 999)}})

    assert unlocked["userUnlock"] == {"user": {"username": "somchai"}, "errors": []}
    assert unknown["userUnlock"]["errors"] == [{"code": "NOT_FOUND"}]
    assert await attempt(new_place, "somchai", PASSWORD) == "ok"
    trail = (await admin.data(AUDIT))["auditEvents"]["nodes"]
    assert trail == [
        {
            "objectId": str(owner.id),
            "reason": "called the help desk",
            "before": {"failedLogins": 2},
            "after": {"failedLogins": 0},
        }
    ]


async def test_one_address_spraying_many_accounts_spares_those_who_signed_in_there(
    at: Address, limits: Callable[..., None]
) -> None:
    limits(max_failures_per_address=3, pair_free_failures=10)
    for name in ("regular", "newcomer"):
        await make_user(name)
    office = at("203.0.113.7")
    assert await attempt(office, "regular", PASSWORD) == "ok"

    sprayed = [await attempt(office, name) for name in ("a1", "a2", "a3", "a4")]

    assert sprayed == ["INVALID_CREDENTIALS"] * 3 + ["THROTTLED"]
    assert await attempt(office, "newcomer", PASSWORD) == "THROTTLED"
    assert await attempt(office, "regular", PASSWORD) == "ok"


async def test_forwarded_for_is_believed_only_from_configured_proxies(
    at: Address, limits: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    limits(pair_free_failures=1, pair_delay_base_seconds=60)
    proxy = "192.0.2.10"

    assert await attempt(at(proxy, "198.51.100.1"), "somchai") == "INVALID_CREDENTIALS"
    # Not a configured proxy: both "clients" are the peer itself, one pair.
    assert await attempt(at(proxy, "198.51.100.2"), "somchai") == "THROTTLED"

    await LoginAttempt.all().delete()
    monkeypatch.setattr(get_settings(), "trusted_proxies", ["192.0.2.0/28"])
    assert await attempt(at(proxy, "198.51.100.1"), "somchai") == "INVALID_CREDENTIALS"
    assert await attempt(at(proxy, "198.51.100.2"), "somchai") == "INVALID_CREDENTIALS"
    # What a client writes to the left of the proxy's own entry is not believed.
    assert await attempt(at(proxy, "198.51.100.3, 198.51.100.2"), "somchai") == "THROTTLED"
    # A chain of trusted proxies is walked through to the client.
    assert await attempt(at(proxy, "198.51.100.1, 192.0.2.11"), "somchai") == "THROTTLED"
    stored = await LoginAttempt.all().order_by("id").values_list("client_address", flat=True)
    assert stored == ["198.51.100.1", "198.51.100.2"]


async def test_parallel_wrong_passwords_are_throttled(
    client: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "login_max_failures_per_account", 3)
    await make_user("somchai")

    codes = await asyncio.gather(*(attempt(client, "somchai") for _ in range(8)))

    assert codes.count("INVALID_CREDENTIALS") <= 3
    assert "THROTTLED" in codes


async def test_attempts_are_kept_only_as_long_as_a_rule_reads_them(at: Address) -> None:
    """Failures count for a day at most and successes make an address known for 30 days: older
    rows go at the next attempt, so a long attack leaves no growing table behind."""
    await make_user("somchai")
    home, stranger = at("203.0.113.7"), at("198.51.100.66")
    assert await attempt(home, "somchai", PASSWORD) == "ok"
    for username in ("somchai", "nobody", "admin"):
        await attempt(stranger, username)

    await age_attempts(timedelta(days=2).total_seconds())
    assert await attempt(home, "somchai", PASSWORD) == "ok"

    kept = await LoginAttempt.all().values_list("client_address", "succeeded")
    assert sorted(kept) == [("203.0.113.7", True)] * 2
    await age_attempts(timedelta(days=31).total_seconds())
    assert await attempt(stranger, "nobody") == "INVALID_CREDENTIALS"
    assert await LoginAttempt.all().values_list("client_address", flat=True) == ["198.51.100.66"]
