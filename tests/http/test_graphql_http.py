"""GraphQL over HTTP at /graphql: content negotiation, status codes and refused requests, as the
GraphQL-over-HTTP specification asks (see api/graphql_http.py)."""

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from api.graphql_http import LoHubGraphQLRouter

ME = "{ me { id } }"
USERS = "{ users { totalCount } }"
LOGIN = 'mutation { login(input: {username: "x", password: "y"}) { errors { code } } }'
UNPARSABLE = "{ me { id "
INVALID = "{ noSuchField }"
TWO_OPERATIONS = "query A { me { id } } query B { me { id } }"
SKIPPABLE_ME = "query Me($skip: Boolean!) { me @skip(if: $skip) { id } }"

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"

# Well-formed requests that fail before execution: GraphQL request errors.
REQUEST_ERRORS = {
    "document does not parse": {"query": UNPARSABLE},
    "document does not validate": {"query": INVALID},
    "unknown operationName": {"query": ME, "operationName": "Nope"},
    "variable of the wrong type": {"query": SKIPPABLE_ME, "variables": {"skip": "yes"}},
    "required variable missing": {"query": SKIPPABLE_ME},
}

# Bodies that are not well-formed GraphQL-over-HTTP requests.
MALFORMED_REQUESTS = {
    "batch": [{"query": ME}],
    "string": "{ me { id } }",
    "number": 3,
    "null": None,
    "query missing": {"variables": {}},
    "query not a string": {"query": {"me": "id"}},
    "query null": {"query": None},
    "variables not an object": {"query": SKIPPABLE_ME, "variables": [True]},
    "extensions not an object": {"query": ME, "extensions": "yes"},
    "operationName not a string": {"query": ME, "operationName": 7},
}


@pytest.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://lohub.test") as client:
        yield client


async def post(
    http: httpx.AsyncClient, body: Any, accept: str = GRAPHQL_RESPONSE_JSON
) -> httpx.Response:
    return await http.post(
        "/graphql", content=json.dumps(body), headers={"content-type": JSON, "accept": accept}
    )


def media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].partition(";")[0]


def assert_error_body(response: httpx.Response, expected_media_type: str) -> None:
    """A request error: ``errors`` with messages, no ``data``, in the negotiated media type."""
    assert media_type(response) == expected_media_type
    body = response.json()
    assert "data" not in body, body
    assert body["errors"] and all(error["message"] for error in body["errors"]), body


# Content negotiation


async def test_graphql_response_json_is_answered_in_that_media_type(
    http: httpx.AsyncClient,
) -> None:
    # given a client that accepts only application/graphql-response+json
    # when it asks a query
    response = await post(http, {"query": ME}, accept=GRAPHQL_RESPONSE_JSON)

    # then the answer is 200 in that media type, in UTF-8, and caches know it varies on Accept
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"
    assert response.headers["vary"] == "Accept"
    assert response.json() == {"data": {"me": None}}


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (JSON, JSON),
        ("application/json; charset=utf-8", JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        (f"{GRAPHQL_RESPONSE_JSON}, {JSON};q=0.9", GRAPHQL_RESPONSE_JSON),
        (f"{GRAPHQL_RESPONSE_JSON};q=0.5, {JSON}", JSON),
        (f"{JSON};q=0.5, {GRAPHQL_RESPONSE_JSON}", GRAPHQL_RESPONSE_JSON),
        (f"{JSON};q=0.5, */*", GRAPHQL_RESPONSE_JSON),
        (f"{GRAPHQL_RESPONSE_JSON};q=0, */*", JSON),
        (f"text/html, {GRAPHQL_RESPONSE_JSON};q=0.1", GRAPHQL_RESPONSE_JSON),
    ],
)
async def test_the_response_media_type_follows_accept_and_its_q_values(
    http: httpx.AsyncClient, accept: str, expected: str
) -> None:
    # given a client with this Accept header
    # when it asks a query
    response = await post(http, {"query": ME}, accept=accept)

    # then it gets the media type it prefers among the two served
    assert response.status_code == 200
    assert media_type(response) == expected


async def test_a_request_without_accept_is_answered_as_graphql_response_json(
    http: httpx.AsyncClient,
) -> None:
    # given a request without an Accept header (the specification's default since 2025)
    request = http.build_request("POST", "/graphql", json={"query": INVALID})
    del request.headers["accept"]

    # when it is sent
    response = await http.send(request)

    # then it is answered in application/graphql-response+json, with its status codes
    assert response.status_code == 400
    assert_error_body(response, GRAPHQL_RESPONSE_JSON)


async def test_a_client_accepting_neither_media_type_gets_406(http: httpx.AsyncClient) -> None:
    # given a client that accepts only HTML
    # when it posts a query
    response = await post(http, {"query": ME}, accept="text/html")

    # then it is refused with 406 and nothing runs
    assert response.status_code == 406
    assert_error_body(response, JSON)


# Status codes with application/graphql-response+json


async def test_a_field_error_after_execution_started_is_200_with_data(
    http: httpx.AsyncClient,
) -> None:
    # given an anonymous client asking for users, which only signed-in users may list
    # when it asks with application/graphql-response+json
    response = await post(http, {"query": USERS})

    # then execution started: 200, with the data entry (null: the error reached the root)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert [error["path"] for error in body["errors"]] == [["users"]]


@pytest.mark.parametrize("body", REQUEST_ERRORS.values(), ids=REQUEST_ERRORS.keys())
async def test_a_request_error_is_400_without_data_for_graphql_response_json(
    http: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    # given a well-formed request that fails before execution
    # when it is sent accepting application/graphql-response+json
    response = await post(http, body, accept=GRAPHQL_RESPONSE_JSON)

    # then it is 400 with errors and no data entry at all
    assert response.status_code == 400
    assert_error_body(response, GRAPHQL_RESPONSE_JSON)


@pytest.mark.parametrize("body", REQUEST_ERRORS.values(), ids=REQUEST_ERRORS.keys())
async def test_a_request_error_is_200_for_application_json(
    http: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    # given a well-formed request that fails before execution
    # when it is sent accepting application/json only
    response = await post(http, body, accept=JSON)

    # then the legacy answer: 200 with errors
    assert response.status_code == 200
    assert media_type(response) == JSON
    assert response.json()["errors"]


async def test_a_document_with_several_operations_needs_an_operation_name(
    http: httpx.AsyncClient,
) -> None:
    # given a document with two operations
    # when it is posted without operationName
    response = await post(http, {"query": TWO_OPERATIONS})

    # then GetOperation() cannot choose: a request error
    assert response.status_code == 400
    assert_error_body(response, GRAPHQL_RESPONSE_JSON)


# Requests that are not well-formed


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE_JSON, JSON])
@pytest.mark.parametrize(
    "content",
    [b'{"query":', b"NONSENSE", b'{"query": "\xff"}'],
    ids=["cut", "nonsense", "not utf-8"],
)
async def test_a_body_that_is_not_json_is_400(
    http: httpx.AsyncClient, content: bytes, accept: str
) -> None:
    # given a body that is not JSON, or not UTF-8
    # when it is posted as JSON
    response = await http.post(
        "/graphql", content=content, headers={"content-type": JSON, "accept": accept}
    )

    # then it is 400 in the negotiated media type
    assert response.status_code == 400
    assert_error_body(response, accept)


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE_JSON, JSON])
@pytest.mark.parametrize("body", MALFORMED_REQUESTS.values(), ids=MALFORMED_REQUESTS.keys())
async def test_a_malformed_request_is_400(http: httpx.AsyncClient, body: Any, accept: str) -> None:
    # given JSON that is not a well-formed GraphQL-over-HTTP request
    # when it is posted
    response = await post(http, body, accept=accept)

    # then it is 400 with a message naming the problem
    assert response.status_code == 400
    assert_error_body(response, accept)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
async def test_an_unsupported_or_missing_content_type_is_415(
    http: httpx.AsyncClient, content_type: str | None
) -> None:
    # given a POST whose body is not declared as JSON (or multipart)
    request = http.build_request(
        "POST", "/graphql", content=json.dumps({"query": ME}), headers={"accept": JSON}
    )
    if content_type:
        request.headers["content-type"] = content_type

    # when it is sent
    response = await http.send(request)

    # then it is refused as an unsupported media type
    assert response.status_code == 415
    assert_error_body(response, JSON)


# GET and other methods


async def test_get_runs_a_query_with_json_variables(http: httpx.AsyncClient) -> None:
    # given a query in the URL, its variables as JSON and an empty operationName (= none)
    params = {"query": SKIPPABLE_ME, "variables": '{"skip": false}', "operationName": ""}

    # when it is sent with GET
    response = await http.get("/graphql", params=params, headers={"accept": GRAPHQL_RESPONSE_JSON})

    # then it runs
    assert response.status_code == 200
    assert response.json() == {"data": {"me": None}}


async def test_get_with_variables_that_are_not_json_is_400(http: httpx.AsyncClient) -> None:
    # given variables in the URL that are not JSON
    params = {"query": SKIPPABLE_ME, "variables": "{skip: false}"}

    # when they are sent with GET
    response = await http.get("/graphql", params=params, headers={"accept": JSON})

    # then the request is malformed
    assert response.status_code == 400
    assert_error_body(response, JSON)


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE_JSON, JSON])
async def test_a_mutation_over_get_is_405_allowing_post(
    http: httpx.AsyncClient, accept: str
) -> None:
    # given a mutation
    # when it is sent with GET
    response = await http.get("/graphql", params={"query": LOGIN}, headers={"accept": accept})

    # then it is refused, pointing at POST
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert_error_body(response, accept)


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
async def test_methods_other_than_get_and_post_are_405(
    http: httpx.AsyncClient, method: str
) -> None:
    # given a query
    # when it is sent with another method
    response = await http.request(
        method, "/graphql", json={"query": ME}, headers={"accept": GRAPHQL_RESPONSE_JSON}
    )

    # then it is refused, naming the methods served
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert_error_body(response, GRAPHQL_RESPONSE_JSON)


async def test_a_mutation_over_post_runs(http: httpx.AsyncClient) -> None:
    # given a mutation
    # when it is posted
    response = await post(http, {"query": LOGIN})

    # then it runs: bad credentials are a payload error, not a request error
    assert response.status_code == 200
    assert response.json()["data"]["login"]["errors"]


# Errors never leak internals


async def test_an_unexpected_failure_is_500_without_internals(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a failure inside the router whose message holds SQL
    async def fail(*_: object) -> None:
        raise RuntimeError("SELECT password_hash FROM users")

    monkeypatch.setattr(LoHubGraphQLRouter, "_execute", fail)

    # when a query is posted
    response = await post(http, {"query": ME})

    # then the client learns only that it failed
    assert response.status_code == 500
    assert response.json() == {"errors": [{"message": "Internal server error"}]}
    assert media_type(response) == GRAPHQL_RESPONSE_JSON


async def test_the_body_size_cap_still_refuses_a_streamed_body_with_413(
    http: httpx.AsyncClient,
) -> None:
    # given a body without Content-Length that outgrows the cap while it arrives
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ me { id } }", "variables": {"padding": "'
        for _ in range(11):
            yield b"x" * 100_000
        yield b'"}}'

    # when it is posted
    response = await http.post("/graphql", content=chunks(), headers={"content-type": JSON})

    # then the size-cap middleware answers, not a 500 from the router
    assert response.status_code == 413


# Multipart uploads


def multipart_request(http: httpx.AsyncClient, **headers: str) -> httpx.Request:
    operations = {"query": ME, "variables": {"file": None}}
    return http.build_request(
        "POST",
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": ("note.txt", b"hello", "text/plain")},
        headers={"accept": GRAPHQL_RESPONSE_JSON, **headers},
    )


async def test_a_multipart_request_without_a_preflight_header_is_refused(
    http: httpx.AsyncClient,
) -> None:
    # given a multipart upload such as a hostile page's form could send
    # when it carries no header that forces a CORS preflight
    response = await http.send(multipart_request(http))

    # then it is refused, naming the headers that would do
    assert response.status_code == 400
    assert_error_body(response, GRAPHQL_RESPONSE_JSON)
    assert "GraphQL-Require-Preflight" in response.json()["errors"][0]["message"]


async def test_a_malformed_multipart_body_is_400(http: httpx.AsyncClient) -> None:
    # given a multipart body without a boundary
    headers = {"content-type": "multipart/form-data", "graphql-require-preflight": "1"}

    # when it is posted
    response = await http.post("/graphql", content=b"garbage", headers=headers)

    # then it is a malformed request
    assert response.status_code == 400
    assert_error_body(response, JSON)


@pytest.mark.parametrize(
    "header", ["GraphQL-Require-Preflight", "Apollo-Require-Preflight", "X-Requested-With"]
)
async def test_a_multipart_request_with_a_preflight_header_runs(
    http: httpx.AsyncClient, header: str
) -> None:
    # given a multipart upload from a client that sends a preflight-forcing header
    # when it is posted
    response = await http.send(multipart_request(http, **{header: "1"}))

    # then it runs
    assert response.status_code == 200
    assert response.json() == {"data": {"me": None}}
