"""The input boundary for text: lone surrogates, NUL and other controls, line breaks in names and
bidirectional controls in names are typed errors at their path, the same on both databases,
before anything is written; a malformed request body is a 400, never a 500."""

import json
from typing import Any

import httpx
import pytest

from models.org import Person
from models.survey import Stakeholder
from tests.helpers import GraphQLClient, error_codes
from tests.world import gid, make_unit

SURROGATE = "ab\ud800cd"
NUL = "ab\x00cd"
RLO = "invoice\u202efdp.exe"
C1 = "ab\x85cd"

PERSON_CREATE = """
mutation P($input: PersonCreateInput!) { personCreate(input: $input) {
  person { id firstNameTh } errors { code field message } } }"""
STAKEHOLDER_CREATE = """
mutation S($input: StakeholderCreateInput!) { stakeholderCreate(input: $input) {
  stakeholder { id } errors { code field message } } }"""
LOGIN = """
mutation L($input: LoginInput!) { login(input: $input) { errors { code field message } } }"""
TOKEN_REFRESH = """
mutation R($input: TokenRefreshInput!) { tokenRefresh(input: $input) {
  errors { code field message } } }"""
LOGOUT = """
mutation O($input: LogoutInput!) { logout(input: $input) { errors { code field message } } }"""
OVERRIDE_SET = """
mutation O($input: CalendarOverrideSetInput!) {
  calendarOverrideSet(input: $input) { errors { code field } } }"""
SURVEY_FORM = "query F($token: String!) { surveyForm(token: $token) { survey { id } } }"
WORKS_SEARCH = "query W($search: String) { works(search: $search) { totalCount } }"
NODE = "query N($id: ID!) { node(id: $id) { id } }"
UPLOAD = "mutation ($f: Upload!) { documentUpload(input: {file: $f}) { errors { code field } } }"


GRAPHQL_RESPONSE = {"accept": "application/graphql-response+json"}


async def post(
    client: GraphQLClient, document: str, variables: dict[str, Any] | None = None
) -> httpx.Response:
    """Posts as JSON escapes what UTF-8 cannot carry (a lone surrogate is ``\\ud800``)."""
    return await client.http.post(
        "/graphql",
        content=json.dumps({"query": document, "variables": variables or {}}),
        headers={**client.headers, "content-type": "application/json", **GRAPHQL_RESPONSE},
    )


async def data(
    client: GraphQLClient, document: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = await post(client, document, variables)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


async def _unit_id() -> str:
    unit = await make_unit("OSD", "สำนักงานเลขานุการกรม")
    return gid("Unit", unit.id)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (SURROGATE, "The text holds a lone surrogate, which cannot be stored"),
        (NUL, "The text holds a control character (such as NUL), which is not accepted"),
        (C1, "The text holds a control character (such as NUL), which is not accepted"),
        ("two\nlines", "This field takes one line of text: no line breaks or tabs"),
        (RLO, "Names may not hold bidirectional control characters (U+202A–U+202E, U+2066–U+2069)"),
    ],
)
async def test_a_name_with_refused_text_is_an_input_error_and_nothing_is_written(
    admin: GraphQLClient, text: str, message: str
) -> None:
    unit = await _unit_id()
    english = admin.with_headers(**{"accept-language": "en"})

    person = await data(
        english, PERSON_CREATE, {"input": {"unit": unit, "firstNameTh": text, "lastNameTh": "ใจดี"}}
    )
    stakeholder = await data(
        english, STAKEHOLDER_CREATE, {"input": {"unit": unit, "name": text, "group": "PARTNER"}}
    )

    assert person["personCreate"] == {
        "person": None,
        "errors": [
            {"code": "INVALID_INPUT", "field": ["input", "firstNameTh"], "message": message}
        ],
    }
    assert stakeholder["stakeholderCreate"]["errors"] == [
        {"code": "INVALID_INPUT", "field": ["input", "name"], "message": message}
    ]
    assert await Person.all().count() == 0
    assert await Stakeholder.all().count() == 0


async def test_prose_keeps_line_breaks_tabs_and_bidi_but_not_nul(admin: GraphQLClient) -> None:
    prose = "ประกาศ ครม.\n\tวันหยุดชดเชย \u2067ข้อความ\u2069"

    accepted = await data(
        admin,
        OVERRIDE_SET,
        {"input": {"day": "2022-01-04", "isWorkingDay": False, "reasonTh": prose}},
    )
    refused = await data(
        admin,
        OVERRIDE_SET,
        {"input": {"day": "2022-01-05", "isWorkingDay": False, "reasonTh": prose + NUL}},
    )

    assert accepted["calendarOverrideSet"]["errors"] == []
    assert refused["calendarOverrideSet"]["errors"] == [
        {"code": "INVALID_INPUT", "field": ["input", "reasonTh"]}
    ]


async def test_text_written_in_the_document_is_checked_like_variables(
    admin: GraphQLClient,
) -> None:
    unit = await _unit_id()
    document = (
        f'mutation {{ personCreate(input: {{unit: "{unit}", firstNameTh: "a\\u0000b"}}) '
        "{ errors { code field } } }"
    )

    body = await data(admin, document)

    assert body["personCreate"]["errors"] == [
        {"code": "INVALID_INPUT", "field": ["input", "firstNameTh"]}
    ]


@pytest.mark.parametrize("text", [SURROGATE, NUL])
async def test_sign_in_mutations_refuse_unstorable_text_as_input_errors(
    client: GraphQLClient, text: str
) -> None:
    login = await data(client, LOGIN, {"input": {"username": text, "password": text}})
    refresh = await data(client, TOKEN_REFRESH, {"input": {"refreshToken": text}})
    logout = await data(client, LOGOUT, {"input": {"refreshToken": text}})

    assert {e["code"] for e in login["login"]["errors"]} == {"INVALID_INPUT"}
    assert {tuple(e["field"]) for e in login["login"]["errors"]} == {
        ("input", "username"),
        ("input", "password"),
    }
    assert refresh["tokenRefresh"]["errors"][0]["field"] == ["input", "refreshToken"]
    assert logout["logout"]["errors"][0]["field"] == ["input", "refreshToken"]


@pytest.mark.parametrize(
    ("document", "variables", "field"),
    [
        (SURVEY_FORM, {"token": SURROGATE}, ["surveyForm", "token"]),
        (WORKS_SEARCH, {"search": SURROGATE}, ["works", "search"]),
        (WORKS_SEARCH, {"search": NUL}, ["works", "search"]),
        (NODE, {"id": SURROGATE}, ["node", "id"]),
        (NODE, {"id": NUL}, ["node", "id"]),
    ],
)
async def test_query_arguments_with_refused_text_are_bad_user_input(
    admin: GraphQLClient, document: str, variables: dict[str, Any], field: list[str]
) -> None:
    response = await post(admin, document, variables)

    assert response.status_code == 400
    body = response.json()
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == field
    assert "\\ud800" not in response.text and "ab" not in body["errors"][0]["message"]


async def test_an_id_that_cannot_be_encoded_is_never_echoed(admin: GraphQLClient) -> None:
    # Not a global id at all: refused by the id's own decoding, whose message quotes it.
    response = await post(admin, NODE, {"id": "VXNlcjox\udc80"})

    assert response.status_code == 400
    assert error_codes(response.json()) == ["BAD_USER_INPUT"]


async def test_a_file_name_with_a_bidi_override_is_refused(admin: GraphQLClient) -> None:
    response = await admin.http.post(
        "/graphql",
        data={
            "operations": f'{{"query": "{UPLOAD}", "variables": {{"f": null}}}}',
            "map": '{"0": ["variables.f"]}',
        },
        files={"0": (RLO, b"%PDF-1.4\n", "application/pdf")},
        headers={**admin.headers, "GraphQL-Require-Preflight": "1"},
    )

    assert response.status_code == 200, response.text
    assert response.json()["data"]["documentUpload"]["errors"] == [
        {"code": "INVALID_INPUT", "field": ["input", "file", "filename"]}
    ]


@pytest.mark.parametrize(
    "body",
    [
        b'{"query": "{ __typename }", "variables": {"a": "\xff\xfe"}}',  # not UTF-8
        b'{"query": "{ __typename \xed\xa0\x80 }"}',  # an encoded surrogate: not UTF-8 either
        b'{"query": "{ __typename }", "variables": {"a": ' + b"1" * 5_000 + b"}}",
        b'{"query": "{ __typename }", "variables": {"a": 1e999999}}',
        b'{"query": "{ __typename }", "variables": {"a": ' + b"[" * 50_000 + b"]" * 50_000 + b"}}",
        b'{"query": "{ __typename }", "extensions": ' + b'{"a":' * 5_000 + b"1" + b"}" * 5_001,
        b'{"query": "\\ud800"}',
        b'{"query": 1e999999}',
        b"\x00\x00\x00",
    ],
)
async def test_a_malformed_body_is_a_400_in_the_graphql_over_http_shape(
    client: GraphQLClient, body: bytes
) -> None:
    response = await client.http.post(
        "/graphql", content=body, headers={"content-type": "application/json", **GRAPHQL_RESPONSE}
    )

    assert response.status_code == 400, response.text
    assert list(response.json()) == ["errors"]


async def test_deeply_nested_variables_within_the_body_limit_are_refused_not_crashed(
    client: GraphQLClient,
) -> None:
    nested: Any = "VXNlcjox"
    for _ in range(900):
        nested = [nested]

    response = await post(
        client, "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": nested}
    )

    assert response.status_code == 400, response.text
    assert isinstance(response.json()["errors"], list)


async def test_a_surrogate_in_a_header_used_as_data_is_harmless(client: GraphQLClient) -> None:
    response = await client.http.post(
        "/graphql",
        json={"query": "{ __typename }"},
        headers={"accept-language": "th\udc80".encode("utf-8", "surrogateescape")},
    )

    assert response.status_code == 200
    assert isinstance(response, httpx.Response)


async def test_an_error_that_quotes_a_refused_value_never_breaks_the_answer(
    client: GraphQLClient,
) -> None:
    # Variable coercion fails before the boundary and graphql-core's message quotes the value.
    response = await post(
        client, "query ($n: Int) { users(first: $n) { totalCount } }", {"n": SURROGATE}
    )

    assert response.status_code == 400
    assert error_codes(response.json()) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "\ud800" not in response.json()["errors"][0]["message"]
