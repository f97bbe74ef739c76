"""A real OpenID Connect provider on loopback for tests: ``oidc-provider-mock`` (Authlib's
authorization server behind Flask), with PKCE required as the department's providers do.

The package's authorization-code grant does not keep the code challenge, so it is taught to
here: the challenge is kept per code and Authlib's own RFC 7636 extension checks the verifier
at the token endpoint. Any client id and secret are accepted; the person who signs in is chosen
with the provider's form (``sub``), their claims set beforehand with ``PUT /users/{sub}``."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import werkzeug.serving
from authlib.oauth2.rfc7636 import CodeChallenge
from oidc_provider_mock import _app

from tests.live import HOST, free_port

_challenges: dict[str, tuple[str | None, str | None]] = {}


class _CodeGrantKeepingChallenges(_app.AuthorizationCodeGrant):
    def save_authorization_code(self, code: str, request: Any) -> None:
        super().save_authorization_code(code, request)
        data = request.payload.data
        _challenges[code] = (data.get("code_challenge"), data.get("code_challenge_method"))


class _RequiredCodeChallenge(CodeChallenge):
    def get_authorization_code_challenge(self, authorization_code: Any) -> str | None:
        return _challenges.get(authorization_code.code, (None, None))[0]

    def get_authorization_code_challenge_method(self, authorization_code: Any) -> str | None:
        return _challenges.get(authorization_code.code, (None, None))[1]


class _OpenIDCodeWithPkce(_app.OpenIDCode):
    def __call__(self, grant: Any) -> None:
        super().__call__(grant)
        _RequiredCodeChallenge(required=True)(grant)


@contextmanager
def oidc_provider(monkeypatch: Any) -> Iterator[str]:
    """Serve the provider on a free loopback port; yields its issuer URL."""
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain HTTP on loopback
    monkeypatch.setattr(_app, "AuthorizationCodeGrant", _CodeGrantKeepingChallenges)
    monkeypatch.setattr(_app, "OpenIDCode", _OpenIDCodeWithPkce)
    server = werkzeug.serving.make_server(
        HOST, free_port(), _app.app(require_nonce=True), threaded=True
    )
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


def set_person(issuer: str, sub: str, **claims: object) -> None:
    """What the provider will say about ``sub``."""
    httpx.put(f"{issuer}/users/{sub}", json=claims).raise_for_status()
