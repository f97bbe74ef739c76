"""Signing in with the department: the OpenID Connect authorization-code flow with PKCE,
through Authlib's Starlette client, mounted at ``/auth/oidc``.

- ``GET /auth/oidc/providers`` lists the configured providers (for a front end's buttons).
- ``GET /auth/oidc/{provider}/login`` redirects the browser to the provider, with a fresh
  ``state``, ``nonce`` and PKCE ``code_challenge`` (S256). The state, the nonce and the code
  verifier are kept in a signed cookie scoped to these routes, for ten minutes.
- ``GET /auth/oidc/{provider}/callback`` is where the provider sends the browser back. Authlib
  checks the state against the cookie, exchanges the code with the verifier, and checks the ID
  token's signature (the provider's published keys), issuer, audience, expiry and nonce; then
  ``services/oidc.py`` decides which account and person the claims are. The answer is a LO Hub
  session — the same tokens as ``login`` — as JSON, or, when ``LOHUB_OIDC_RETURN_URL`` is set, a
  redirect there with the tokens (or the refusal) in the URL's fragment, which never reaches a
  server.
"""

from typing import Any
from urllib.parse import urlencode

from authlib.integrations.base_client import OAuthError
from authlib.integrations.starlette_client import OAuth, StarletteOAuth2App
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from joserfc.errors import JoseError
from starlette.middleware.sessions import SessionMiddleware
from strawberry.relay import to_base64

from api.middleware import client_address, request_id_of
from services import oidc
from services.actor import Actor
from services.errors import DomainError
from services.messages import language_from_header, render
from services.settings import OidcProvider, Settings

PATH = "/auth/oidc"
# How long a browser may take at the provider before the flow must start again.
FLOW_SECONDS = 600


def application(settings: Settings) -> FastAPI:
    """The sign-in routes, with the cookie that carries one flow from login to callback."""
    providers = {provider.name: provider for provider in settings.oidc_providers}
    registry = OAuth()
    for provider in providers.values():
        registry.register(
            name=provider.name,
            client_id=provider.client_id,
            client_secret=provider.client_secret.get_secret_value(),
            server_metadata_url=provider.issuer.rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={"scope": provider.scopes, "code_challenge_method": "S256"},
        )
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key.get_secret_value(),
        session_cookie="lohub_oidc_flow",
        max_age=FLOW_SECONDS,
        path=PATH,
        same_site="lax",  # the provider's redirect back is a top-level GET from its site
        https_only=settings.env == "production",
    )

    def client_for(name: str) -> tuple[OidcProvider, StarletteOAuth2App] | None:
        provider = providers.get(name)
        return None if provider is None else (provider, registry.create_client(name))

    @app.get("/providers")
    async def list_providers() -> dict[str, Any]:
        return {
            "providers": [
                {"name": p.name, "label": p.label or p.name, "login": f"{PATH}/{p.name}/login"}
                for p in providers.values()
            ],
            "passwordLogin": settings.password_login,
        }

    @app.get("/{provider_name}/login", name="oidc_login")
    async def login(request: Request, provider_name: str) -> Response:
        found = client_for(provider_name)
        if found is None:
            return _refusal(request, settings, 404, "UNKNOWN_PROVIDER", "oidc_unknown_provider")
        callback = str(request.url_for("oidc_callback", provider_name=provider_name))
        return await found[1].authorize_redirect(request, callback)

    @app.get("/{provider_name}/callback", name="oidc_callback")
    async def callback(request: Request, provider_name: str) -> Response:
        found = client_for(provider_name)
        if found is None:
            return _refusal(request, settings, 404, "UNKNOWN_PROVIDER", "oidc_unknown_provider")
        provider, client = found
        try:
            token = await client.authorize_access_token(request)
        except OAuthError as error:  # the state, or the provider's answer at the token endpoint
            detail = error.description or error.error or "invalid response"
            return _refusal(request, settings, 400, "OIDC_FAILED", "oidc_failed", detail=detail)
        except JoseError as error:  # the ID token: signature, issuer, audience, expiry, nonce
            detail = error.description or error.error
            return _refusal(request, settings, 400, "OIDC_FAILED", "oidc_failed", detail=detail)
        actor = Actor(
            user_id=None, request_id=request_id_of(request), client_address=client_address(request)
        )
        try:
            result = await oidc.sign_in(
                provider=provider, claims=token.get("userinfo") or {}, actor=actor
            )
        except DomainError as error:
            problem = error.problems[0]
            return _refusal(
                request, settings, 403, problem.code.value, problem.message_key, **problem.params
            )
        if result.session is None:
            return _refusal(
                request,
                settings,
                403,
                "WAITING_FOR_LINK",
                "oidc_waiting_for_link",
                username=result.user.username,
            )
        session = result.session
        tokens = {
            "accessToken": session.access_token,
            "accessTokenExpiresAt": session.access_token_expires_at.isoformat(),
            "refreshToken": session.refresh_token,
            "refreshTokenExpiresAt": session.refresh_token_expires_at.isoformat(),
            "user": to_base64("User", session.user.id),
        }
        if settings.oidc_return_url:
            return RedirectResponse(f"{settings.oidc_return_url}#{urlencode(tokens)}", 303)
        return JSONResponse(tokens, headers={"cache-control": "no-store"})

    return app


def _refusal(
    request: Request, settings: Settings, status: int, code: str, key: str, **params: object
) -> Response:
    """Why the sign-in did not give a session, in the browser's language."""
    message = render(key, language_from_header(request.headers.get("accept-language")), params)
    body = {"error": code, "message": message}
    if settings.oidc_return_url:
        return RedirectResponse(f"{settings.oidc_return_url}#{urlencode(body)}", 303)
    return JSONResponse(body, status_code=status, headers={"cache-control": "no-store"})
