"""GraphQL over HTTP at /graphql, following the GraphQL-over-HTTP specification
(https://graphql.github.io/graphql-over-http/).

Strawberry's router parses and executes; this module decides what HTTP says about it: which
media type answers (content negotiation on ``Accept``), which status code, and which requests are
refused before any GraphQL work is done.
"""

import json
import logging
import math
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry.exceptions import MissingQueryError
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLRequestData
from strawberry.http.streaming import HTTPStreamTransport
from strawberry.schema.base import BaseSchema
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET

from api.subscriptions import PROTOCOLS, GraphQLTransportWS, refusal_for
from services.errors import (
    RETRY_AFTER_SECONDS,
    ServiceUnavailable,
    is_unavailable,
    unavailable_error,
)
from services.messages import language_from_header

log = logging.getLogger("lohub.graphql")

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
# On a tie (only a wildcard such as */* matched both) the legacy type wins: clients that do not
# name the new type may not expect its status codes.
_RESPONSE_MEDIA_TYPES = (JSON, GRAPHQL_RESPONSE_JSON)
_CONTENT_TYPES = {
    media_type: f"{media_type}; charset=utf-8" for media_type in _RESPONSE_MEDIA_TYPES
}

# Headers a browser only sends cross-origin after a CORS preflight. A multipart POST is a "simple"
# request a hostile page could make with the user's credentials; requiring one of these stops it.
PREFLIGHT_HEADERS = ("graphql-require-preflight", "apollo-require-preflight", "x-requested-with")
_REFUSED_METHODS = ("PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
# GraphiQL, served with its assets (vendored by tests/js/vendor-graphiql.mjs) from /graphiql/.
GRAPHIQL_ASSETS = Path(__file__).parent / "static" / "graphiql"
GRAPHIQL_PAGE = Path(__file__).parent / "static" / "graphiql.html"
STREAM_REQUIRED = (
    "A subscription answers with a stream: send it with Accept: text/event-stream (GraphQL over "
    "SSE) or multipart/mixed;subscriptionSpec=1.0, or over a WebSocket (graphql-transport-ws)"
)


class RequestRefused(HTTPException):
    """A request answered with an error status before any GraphQL work; ``headers`` go with it."""

    def __init__(
        self, status_code: int, reason: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(status_code, reason)
        self.headers = headers


class LoHubGraphQLRouter(GraphQLRouter[Any, Any]):
    """Serves GraphQL over HTTP as the GraphQL-over-HTTP specification asks.

    - The response media type is negotiated on ``Accept`` (q-values honoured):
      ``application/graphql-response+json`` when preferred or when ``Accept`` is absent, else
      ``application/json``; 406 when neither is acceptable.
    - With ``application/graphql-response+json`` a request that fails before execution (parse,
      validation, unknown operation, variable coercion, query cost) is answered 400
      with ``errors`` and no ``data``; once execution starts the answer is 200, field errors or
      not. With ``application/json`` every well-formed request is answered 200, as before.
    - A request that is not a well-formed GraphQL-over-HTTP request is 400 (bad JSON, not an
      object, batched, ``query`` not a string, ``variables``/``extensions`` not objects,
      ``operationName`` not a string); an unsupported or missing ``Content-Type`` is 415.
    - GET runs queries only: anything else is 405 with ``Allow: POST``. Methods other than GET and
      POST are 405 with ``Allow: GET, POST``.
    - Multipart uploads (``multipart/form-data``) must carry a non-empty
      ``GraphQL-Require-Preflight``, ``Apollo-Require-Preflight`` or ``X-Requested-With`` header,
      else 400: browsers send none of them cross-origin without a CORS preflight, so a hostile
      page cannot post a form here (CSRF); Apollo Server guards uploads the same way.
    - Every error body is ``{"errors": [{"message": ...}]}`` in the negotiated media type; an
      unexpected failure is logged and answered 500 with a generic message.
    - Subscriptions stream: with ``Accept: text/event-stream`` (GraphQL over SSE, distinct
      connections) or ``multipart/mixed;subscriptionSpec=1.0``, signed in as api/subscriptions.py
      says; a subscription asking for a single JSON answer is 406. WebSockets speak
      graphql-transport-ws in text frames.
    """

    graphql_transport_ws_handler_class = GraphQLTransportWS

    def __init__(self, schema: BaseSchema, path: str = "", **kwargs: Any) -> None:
        super().__init__(schema, path, subscription_protocols=PROTOCOLS, **kwargs)
        self.add_api_route(
            path, self._method_not_allowed, methods=list(_REFUSED_METHODS), include_in_schema=False
        )

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        # LO Hub's own page: its assets come from this app (api/static/graphiql), not a CDN.
        return HTMLResponse(GRAPHIQL_PAGE.read_text(encoding="utf-8"))

    def encode_json(self, data: object) -> str:
        # A str, not bytes: strawberry sends bytes as binary WebSocket frames, which
        # graphql-transport-ws clients do not read.
        return encode_json(data).decode()

    async def run(  # type: ignore[override]  # strawberry overloads it per request type
        self, request: Request | WebSocket, context: Any = UNSET, root_value: Any = UNSET
    ) -> Response | WebSocket:
        if isinstance(request, WebSocket):
            return await super().run(request, context, root_value)
        return await self._serve(request, context, root_value)

    async def _serve(self, request: Request, context: Any, root_value: Any) -> Response:
        # Strawberry passes the per-request sub-response through the router itself: take it
        # before anything awaits.
        sub_response = await self.get_sub_response(request)
        http_request = self.request_adapter_class(request)
        if self.graphql_ide and self.should_render_graphql_ide(http_request):
            return await self.render_graphql_ide(request)
        stream = self._get_stream_transport_from_headers(request.headers)
        media_type = JSON if stream else negotiate_media_type(request.headers.get("accept"))
        if media_type is None:
            return error_response(406, f"Accept must allow {GRAPHQL_RESPONSE_JSON} or {JSON}", JSON)
        try:
            request_data = await self._graphql_request(http_request)
        except HTTPException as refusal:
            return refusal_response(refusal, media_type)
        if stream:
            return await self._stream(request, stream, request_data, context, root_value)
        try:
            result = await self._execute(http_request.method, request_data, context, root_value)
            return await self._result_response(request, result, media_type, sub_response)
        except HTTPException as refusal:
            return refusal_response(refusal, media_type)
        except Exception as error:
            # Caught only once the body is read: while it is read, an exception may be outer
            # middleware's signal (the body size cap raises through receive) and must reach it.
            if is_unavailable(error):
                log.warning("GraphQL request: service unavailable: %r", error)
                language = language_from_header(request.headers.get("accept-language"))
                return Response(
                    self.encode_json({"errors": [unavailable_error(language)]}),
                    status_code=503,
                    media_type=_CONTENT_TYPES[media_type],
                    headers={"Vary": "Accept", "Retry-After": str(RETRY_AFTER_SECONDS)},
                )
            log.exception("GraphQL request failed")
            return error_response(500, "Internal server error", media_type)

    async def _stream(
        self,
        request: Request,
        transport: HTTPStreamTransport,
        request_data: GraphQLRequestData,
        context: Any,
        root_value: Any,
    ) -> Response:
        """A subscription over an HTTP stream (api/subscriptions.py); refused as a WebSocket's
        ``connection_init`` would be, but with the HTTP status."""
        refusal = refusal_for(context.actor)
        if refusal is not None:
            return error_response(refusal.status, refusal.reason, JSON)
        result = await self.schema.stream(
            request_data.query,  # type: ignore[arg-type]  # a str: graphql_request_data checks
            variable_values=request_data.variables,
            context_value=context,
            root_value=root_value,
            operation_name=request_data.operation_name,
            operation_extensions=request_data.extensions,
            allowed_operation_types=transport.allowed_operation_types(
                {OperationType.QUERY, OperationType.SUBSCRIPTION}
            ),
        )
        return await self.create_streaming_response(
            request,
            # strawberry's own streaming passes schema.stream()'s generator the same way.
            self._stream_result(request, result, transport),  # type: ignore[arg-type]
            await self.get_sub_response(request),
            headers=transport.headers,
        )

    async def _graphql_request(self, http_request: AsyncHTTPRequestAdapter) -> GraphQLRequestData:
        if http_request.method == "GET":
            return graphql_request_data(query_string_params(http_request.query_params))
        return graphql_request_data(await self._body_params(http_request))

    async def _body_params(self, http_request: AsyncHTTPRequestAdapter) -> object:
        content_type = media_type_of(http_request.content_type)
        if content_type == JSON:
            return parse_json(await http_request.get_body())
        if content_type == "multipart/form-data" and self.multipart_uploads_enabled:
            require_preflight_header(http_request.headers)
            try:
                return await self.parse_multipart(http_request)
            except StarletteHTTPException as error:  # Starlette's own refusal, e.g. no boundary
                raise RequestRefused(400, "The multipart body is malformed") from error
        accepted = f"{JSON} or multipart/form-data" if self.multipart_uploads_enabled else JSON
        raise RequestRefused(415, f"Content-Type must be {accepted}")

    async def _execute(
        self, method: str, request_data: GraphQLRequestData, context: Any, root_value: Any
    ) -> ExecutionResult:
        queries_only = {OperationType.QUERY} if self.allow_queries_via_get else set()
        not_streamed = {OperationType.QUERY, OperationType.MUTATION}
        try:
            return await self.schema.execute(
                request_data.query,
                variable_values=request_data.variables,
                context_value=context,
                root_value=root_value,
                operation_name=request_data.operation_name,
                allowed_operation_types=queries_only if method == "GET" else not_streamed,
                operation_extensions=request_data.extensions,
            )
        except InvalidOperationTypeError as error:
            if error.operation_type == OperationType.SUBSCRIPTION:
                raise RequestRefused(406, STREAM_REQUIRED) from error
            reason = error.as_http_error_reason(method)
            raise RequestRefused(405, reason, {"Allow": "POST"}) from error
        except CannotGetOperationTypeError as error:
            # GetOperation() failing is a GraphQL request error, not a malformed request.
            return request_error(error.as_http_error_reason())
        except MissingQueryError:
            return request_error("The GraphQL document is empty")

    async def _result_response(
        self, request: Request, result: ExecutionResult, media_type: str, sub_response: Response
    ) -> Response:
        body = await self.process_result(request, result)
        status = 200
        headers = {"Vary": "Accept"}
        if media_type == GRAPHQL_RESPONSE_JSON and not execution_started(result):
            body.pop("data", None)
            status = 400
        if _unavailable(body):
            # Said in HTTP too, so clients, proxies and load balancers retry it as such.
            status = 503
            headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response = Response(
            encode_json(body),
            status_code=sub_response.status_code or status,
            media_type=_CONTENT_TYPES[media_type],
            headers=headers,
        )
        response.headers.raw.extend(sub_response.headers.raw)
        return response

    async def _method_not_allowed(self, request: Request) -> Response:
        media_type = negotiate_media_type(request.headers.get("accept")) or JSON
        reason = f"GraphQL is served over GET and POST, not {request.method}"
        return error_response(405, reason, media_type, {"Allow": "GET, POST"})


def encode_json(data: object) -> bytes:
    """Compact JSON in UTF-8, Thai as itself rather than \\uXXXX escapes (half the bytes)."""
    try:
        return orjson.dumps(data)
    except TypeError:  # what orjson refuses, such as an integer over 64 bits in a JSON scalar
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


@lru_cache(maxsize=256)
def negotiate_media_type(accept: str | None) -> str | None:
    """The response media type for an ``Accept`` header (RFC 9110 §12.5.1), None if neither is
    acceptable. Cached: clients send the same few headers over and over."""
    if accept is None or not accept.strip():
        # The specification's rule for a missing Accept since 1 January 2025.
        return GRAPHQL_RESPONSE_JSON
    ranges = [_media_range(item) for item in accept.split(",")]
    chosen, best = None, None
    for media_type in _RESPONSE_MEDIA_TYPES:
        preference = _preference(media_type, ranges)
        if preference is not None and preference[0] > 0 and (best is None or preference > best):
            chosen, best = media_type, preference
    return chosen


def _media_range(item: str) -> tuple[str, float]:
    media_range, *parameters = item.split(";")
    quality = 1.0
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
    return media_range.strip().lower(), quality if 0 <= quality <= 1 else 0.0


def _preference(media_type: str, ranges: list[tuple[str, float]]) -> tuple[float, int, int] | None:
    """(quality, specificity, -position) of the most specific range matching ``media_type``: an
    exact type outranks ``type/*``, which outranks ``*/*``; on equal terms the earlier one wins."""
    specificity = {media_type: 2, media_type.split("/")[0] + "/*": 1, "*/*": 0}
    matches = [
        (specificity[media_range], -position, quality)
        for position, (media_range, quality) in enumerate(ranges)
        if media_range in specificity
    ]
    if not matches:
        return None
    most_specific, position, quality = max(matches)
    return quality, most_specific, position


def media_type_of(content_type: str | None) -> str:
    return (content_type or "").partition(";")[0].strip().lower()


def parse_json(raw: str | bytes) -> object:
    try:
        # Decoded strictly: json.loads would let UTF-8-encoded surrogates through.
        text = raw.decode() if isinstance(raw, bytes) else raw
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except (ValueError, RecursionError) as error:  # also bad UTF-8, absurd nesting, huge ints
        raise RequestRefused(400, "The request body is not valid JSON") from error


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError("a number too large for a float")
    return number


def query_string_params(params: Mapping[str, str | None]) -> dict[str, object]:
    """GET parameters: ``variables`` and ``extensions`` are JSON; empty means absent."""
    decoded: dict[str, object] = dict(params)
    for name in ("variables", "extensions"):
        value = params.get(name)
        decoded[name] = parse_json(value) if value else None
    return decoded


def graphql_request_data(params: object) -> GraphQLRequestData:
    """The GraphQL-over-HTTP request in ``params``; 400 unless it is well-formed."""
    if isinstance(params, list):
        raise RequestRefused(400, "Batched requests (a JSON array) are not supported")
    if not isinstance(params, dict):
        raise RequestRefused(400, "The request must be a JSON object")
    query = params.get("query")
    if not isinstance(query, str):
        raise RequestRefused(400, "`query` must be a string holding a GraphQL document")
    operation_name = params.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestRefused(400, "`operationName` must be a string")
    return GraphQLRequestData(
        query=query,
        operation_name=operation_name or None,  # an empty name means none
        variables=_optional_object(params, "variables"),
        extensions=_optional_object(params, "extensions"),
    )


def _optional_object(params: dict[str, Any], name: str) -> dict[str, Any] | None:
    value = params.get(name)
    if value is not None and not isinstance(value, dict):
        raise RequestRefused(400, f"`{name}` must be a JSON object")
    return value


def require_preflight_header(headers: Mapping[str, str]) -> None:
    if not any(headers.get(name) for name in PREFLIGHT_HEADERS):
        raise RequestRefused(
            400,
            "Multipart requests must carry a non-empty GraphQL-Require-Preflight, "
            "Apollo-Require-Preflight or X-Requested-With header",
        )


def request_error(message: str) -> ExecutionResult:
    return ExecutionResult(data=None, errors=[GraphQLError(message)])


def execution_started(result: ExecutionResult) -> bool:
    """Whether execution began. It yields data, or, when a null reached the root, errors that carry
    the path of their field (GraphQL spec §7.1.2). Request errors (parse, validation, operation,
    variable coercion, query cost) never have a path. An extension's ``on_execute`` would not
    tell: strawberry enters it before graphql-core coerces the variables."""
    return result.data is not None or any(error.path for error in result.errors or ())


def _unavailable(body: Mapping[str, Any]) -> bool:
    return any(
        (error.get("extensions") or {}).get("code") == ServiceUnavailable.code
        for error in body.get("errors") or ()
    )


def refusal_response(refusal: HTTPException, media_type: str) -> Response:
    headers = refusal.headers if isinstance(refusal, RequestRefused) else None
    return error_response(refusal.status_code, refusal.reason, media_type, headers)


def error_response(
    status: int, message: str, media_type: str, headers: Mapping[str, str] | None = None
) -> Response:
    return Response(
        json.dumps({"errors": [{"message": message}]}, separators=(",", ":")),
        status_code=status,
        media_type=_CONTENT_TYPES[media_type],
        headers={"Vary": "Accept", **(headers or {})},
    )
