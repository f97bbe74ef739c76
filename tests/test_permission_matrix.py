"""Every mutation × every kind of caller: who may call it at all. A mutation missing from
MATRIX fails the suite, so each new mutation states its rule here."""

import pytest

from api.settings import Settings
from schema.schema import build_schema
from tests.helpers import GraphQLClient, error_codes, make_user

CALLERS = ("anonymous", "no_role", "MANAGER", "ADMIN")
OPEN = dict.fromkeys(CALLERS, "ok")
ADMIN_ONLY = {
    "anonymous": "UNAUTHENTICATED",
    "no_role": "FORBIDDEN",
    "MANAGER": "FORBIDDEN",
    "ADMIN": "ok",
}

# mutation name: (document, expected outcome per caller)
MATRIX: dict[str, tuple[str, dict[str, str]]] = {
    "login": (
        'mutation { login(input: {username: "x", password: "y"}) { errors { code } } }',
        OPEN,
    ),
    "tokenRefresh": (
        'mutation { tokenRefresh(input: {refreshToken: "x"}) { errors { code } } }',
        OPEN,
    ),
    "logout": ('mutation { logout(input: {refreshToken: "x"}) { errors { code } } }', OPEN),
    "userCreate": (
        'mutation { userCreate(input: {username: "new.user", password: "long enough pw", '
        'displayName: "N"}) { errors { code } } }',
        ADMIN_ONLY,
    ),
    "userUpdate": (
        'mutation { userUpdate(input: {id: "VXNlcjox", version: 1}) { errors { code } } }',
        ADMIN_ONLY,
    ),
}


def test_every_mutation_is_in_the_matrix() -> None:
    mutations = set(build_schema(Settings())._schema.mutation_type.fields)  # type: ignore[union-attr]

    assert mutations == set(MATRIX)


async def _caller(client: GraphQLClient, caller: str) -> GraphQLClient:
    if caller == "anonymous":
        return client
    roles = set() if caller == "no_role" else {caller}
    return client.signed_in_as(await make_user(f"caller.{caller.lower()}", roles=roles))


@pytest.mark.parametrize("mutation", sorted(MATRIX))
@pytest.mark.parametrize("caller", CALLERS)
async def test_mutation_permission(client: GraphQLClient, mutation: str, caller: str) -> None:
    document, expected = MATRIX[mutation]

    body = await (await _caller(client, caller)).post(document)

    outcome = error_codes(body)[0] if body.get("errors") else "ok"
    assert outcome == expected[caller], body
