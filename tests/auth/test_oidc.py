"""Signing in with the department against a real OpenID Connect provider on loopback: the
browser's redirects followed by hand, so every step of the flow can be watched and tampered
with."""

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pytest
from fastapi import FastAPI

from api.app import create_app
from models.audit import AuditEvent
from models.org import Person
from models.user import ExternalIdentity, User
from services.settings import OidcProvider, Settings
from tests.helpers import GraphQLClient
from tests.oidc_provider import oidc_provider, set_person
from tests.works.test_works import CREATE, _input
from tests.world import make_world

DOMAIN = "anamai.moph.go.th"
ME = "{ me { username } }"


@pytest.fixture
def issuer(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with oidc_provider(monkeypatch) as url:
        yield url


@pytest.fixture
def oidc_app(issuer: str, database: str) -> FastAPI:
    provider = OidcProvider(
        name="dept",
        issuer=issuer,
        client_id="lohub",
        client_secret="lohub-secret",
        allowed_domains=[DOMAIN],
        employee_id_claim="employee_id",
    )
    return create_app(Settings(oidc_providers=[provider]), manage_database=False)


@pytest.fixture
async def browser(oidc_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The user's browser at LO Hub: keeps cookies, follows no redirect by itself."""
    transport = httpx.ASGITransport(app=oidc_app, client=("203.0.113.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://lohub.test") as http:
        yield http


async def start(browser: httpx.AsyncClient) -> str:
    """Press "sign in with the department": the provider's authorization URL."""
    response = await browser.get("/auth/oidc/dept/login")
    assert response.status_code == 302, response.text
    return response.headers["location"]


async def consent(authorize_url: str, sub: str) -> str:
    """Sign in at the provider as ``sub``: the URL it sends the browser back to."""
    async with httpx.AsyncClient() as provider:
        response = await provider.post(authorize_url, data={"sub": sub})
    assert response.status_code == 302, response.text
    return response.headers["location"]


async def come_back(browser: httpx.AsyncClient, callback_url: str) -> httpx.Response:
    parts = urlsplit(callback_url)
    return await browser.get(f"{parts.path}?{parts.query}")


async def sign_in(browser: httpx.AsyncClient, sub: str) -> httpx.Response:
    return await come_back(browser, await consent(await start(browser), sub))


def with_param(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()} | changes
    return urlunsplit(parts._replace(query=urlencode(query)))


def graphql_as(browser: httpx.AsyncClient, tokens: dict[str, Any]) -> GraphQLClient:
    return GraphQLClient(browser, {"authorization": f"Bearer {tokens['accessToken']}"})


async def test_a_person_matched_by_e_mail_signs_in_and_creates_a_work_unaided(
    issuer: str, browser: httpx.AsyncClient
) -> None:
    world = await make_world(with_cycle=False)
    person = world.people["กัญญาดา"]  # a committee member without an account
    person.email = f"Kanyada.T@{DOMAIN}"
    await person.save(update_fields=["email"])
    set_person(issuer, "entra-4711", email=f"kanyada.t@{DOMAIN}", name="กัญญาดา ทดสอบ")

    authorize_url = await start(browser)
    asked = parse_qs(urlsplit(authorize_url).query)
    assert asked["code_challenge_method"] == ["S256"] and asked["code_challenge"][0]
    assert asked["state"][0] and asked["nonce"][0] and asked["response_type"] == ["code"]
    response = await come_back(browser, await consent(authorize_url, "entra-4711"))

    assert response.status_code == 200, response.text
    tokens = response.json()
    signed_in = graphql_as(browser, tokens)
    assert (await signed_in.data(ME))["me"] == {"username": f"kanyada.t@{DOMAIN}"}
    created = (await signed_in.data(CREATE, {"input": _input(world)}))["workCreate"]
    assert created["errors"] == [] and created["work"]["status"] == "DRAFT"
    user = await User.get(username=f"kanyada.t@{DOMAIN}")
    assert (await Person.get(id=person.id)).user_id == user.id
    assert user.password_hash == ""  # no local password to guess
    actions = await AuditEvent.filter(actor_id=user.id).values_list("action", flat=True)
    assert {"user.create", "person.link_user", "user.login"} <= set(actions)


async def test_the_subject_names_the_account_at_every_later_sign_in(
    issuer: str, browser: httpx.AsyncClient
) -> None:
    world = await make_world(with_cycle=False)
    person = world.people["กัญญาดา"]
    person.employee_id = "0042"
    await person.save(update_fields=["employee_id"])
    # Matched by the employee id claim, although no person has this e-mail.
    set_person(issuer, "kc-1", email=f"w.old@{DOMAIN}", employee_id="0042")
    assert (await sign_in(browser, "kc-1")).status_code == 200
    set_person(issuer, "kc-1", email=f"w.new@{DOMAIN}", employee_id="0042")

    again = await sign_in(browser, "kc-1")

    assert again.status_code == 200, again.text
    assert await User.all().count() == len(world.users) + 1
    identity = await ExternalIdentity.get(provider="dept", subject="kc-1")
    assert identity.email == f"w.new@{DOMAIN}"
    assert (await Person.get(id=person.id)).user_id == identity.user_id


async def test_two_first_sign_ins_of_one_subject_at_once_make_one_account(
    issuer: str, browser: httpx.AsyncClient, oidc_app: FastAPI
) -> None:
    """The same person signing in from two tabs (or a double click) at the same moment: both
    get a session, of the same single account."""
    world = await make_world(with_cycle=False)
    person = world.people["กัญญาดา"]
    person.email = f"twice@{DOMAIN}"
    await person.save(update_fields=["email"])
    set_person(issuer, "entra-2", email=f"twice@{DOMAIN}")
    transport = httpx.ASGITransport(app=oidc_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://lohub.test") as other_tab:
        callbacks = [await consent(await start(tab), "entra-2") for tab in (browser, other_tab)]

        responses = await asyncio.gather(
            come_back(browser, callbacks[0]), come_back(other_tab, callbacks[1])
        )

    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    assert await ExternalIdentity.filter(subject="entra-2").count() == 1
    assert await User.filter(username=f"twice@{DOMAIN}").count() == 1
    assert await User.all().count() == len(world.users) + 1


async def test_an_e_mail_of_another_domain_is_refused_and_no_account_is_made(
    issuer: str, browser: httpx.AsyncClient
) -> None:
    set_person(issuer, "g-1", email="somchai@gmail.com")

    response = await sign_in(browser, "g-1")

    assert response.status_code == 403
    assert response.json()["error"] == "NOT_PERMITTED"
    assert (
        DOMAIN in response.json()["message"] and "somchai@gmail.com" in response.json()["message"]
    )
    assert not await User.exists()


async def test_an_unmatched_e_mail_waits_for_an_administrator_then_signs_in(
    issuer: str, browser: httpx.AsyncClient
) -> None:
    world = await make_world(with_cycle=False)
    set_person(issuer, "entra-9", email=f"newcomer@{DOMAIN}", name="ผู้มาใหม่")

    waiting = await browser.get(
        (await consent(await start(browser), "entra-9")).replace("http://lohub.test", ""),
        headers={"accept-language": "en"},
    )

    assert waiting.status_code == 403
    assert waiting.json()["error"] == "WAITING_FOR_LINK"
    assert "an administrator must link the account" in waiting.json()["message"]
    assert await User.exists(username=f"newcomer@{DOMAIN}")
    # An administrator records the person's e-mail (or links the account): the next sign-in
    # finds the person.
    person = world.people["กัญญาดา"]
    person.email = f"newcomer@{DOMAIN}"
    await person.save(update_fields=["email"])

    response = await sign_in(browser, "entra-9")

    assert response.status_code == 200, response.text
    assert (await Person.get(id=person.id)).user_id is not None


async def test_a_callback_with_another_state_or_without_the_flows_cookie_is_refused(
    issuer: str, browser: httpx.AsyncClient, oidc_app: FastAPI
) -> None:
    set_person(issuer, "s-1", email=f"s1@{DOMAIN}")
    callback = await consent(await start(browser), "s-1")

    forged = await come_back(browser, with_param(callback, state="forged-state"))
    transport = httpx.ASGITransport(app=oidc_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://lohub.test") as stranger:
        elsewhere = await come_back(stranger, callback)

    assert (forged.status_code, forged.json()["error"]) == (400, "OIDC_FAILED")
    assert (elsewhere.status_code, elsewhere.json()["error"]) == (400, "OIDC_FAILED")
    assert not await User.exists()


async def test_an_id_token_for_another_nonce_is_refused(
    issuer: str, browser: httpx.AsyncClient
) -> None:
    """An ID token minted for another request (here: the nonce swapped on the way to the
    provider) does not sign anyone in."""
    set_person(issuer, "n-1", email=f"n1@{DOMAIN}")
    authorize_url = with_param(await start(browser), nonce="replayed-nonce")

    response = await come_back(browser, await consent(authorize_url, "n-1"))

    assert (response.status_code, response.json()["error"]) == (400, "OIDC_FAILED")
    assert not await User.exists()


async def test_a_code_obtained_for_another_challenge_is_refused_by_the_provider(
    issuer: str, browser: httpx.AsyncClient
) -> None:
    """PKCE: a code issued for someone else's code challenge (an intercepted code) cannot be
    exchanged with this browser's verifier."""
    set_person(issuer, "p-1", email=f"p1@{DOMAIN}")
    authorize_url = with_param(
        await start(browser), code_challenge="E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )

    response = await come_back(browser, await consent(authorize_url, "p-1"))

    assert (response.status_code, response.json()["error"]) == (400, "OIDC_FAILED")
    assert "Code challenge failed" in response.json()["message"]
    assert not await User.exists()


async def test_providers_are_listed_and_an_unknown_one_is_not_found(
    browser: httpx.AsyncClient,
) -> None:
    listed = (await browser.get("/auth/oidc/providers")).json()
    assert listed["providers"] == [
        {"name": "dept", "label": "dept", "login": "/auth/oidc/dept/login"}
    ]
    assert (await browser.get("/auth/oidc/nobody/login")).status_code == 404


async def test_password_login_can_be_switched_off(
    client: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("services.auth.get_settings", lambda: Settings(password_login=False))
    body = await client.data(
        'mutation { login(input: {username: "root", password: "x"}) { errors { code } } }'
    )
    assert body["login"]["errors"] == [{"code": "NOT_PERMITTED"}]
