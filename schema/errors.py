"""User errors in payloads, and the policy for top-level errors."""

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors
from strawberry.relay import GlobalIDValueError
from tortoise.exceptions import IntegrityError, ValidationError

from services.errors import AuthError, DomainError, ErrorCode, is_unavailable, unavailable_error
from services.messages import Language, render

log = logging.getLogger("lohub.graphql")


@strawberry.type(description="Something wrong with a mutation's input or the object's state.")
class UserError:
    code: ErrorCode = strawberry.field(description="Machine-readable reason.")
    field: list[str] | None = strawberry.field(
        description='Path to the input field concerned, e.g. ["input", "username"]; null when '
        "the error concerns the whole input."
    )
    message: str = strawberry.field(
        description="Human-readable message in the request's language (Accept-Language: th or en)."
    )


def user_errors(error: DomainError, info: strawberry.Info) -> list[UserError]:
    language = info.context.language
    return [
        UserError(
            code=problem.code,
            field=["input", *problem.field] if problem.field else None,
            message=render(problem.message_key, language, problem.params),
        )
        for problem in error.problems
    ]


P = TypeVar("P")


async def payload(
    info: strawberry.Info,
    payload_type: Callable[..., P],
    action: Callable[[], Awaitable[dict[str, Any]]],
) -> P:
    """Run a mutation's service call; a ``DomainError`` becomes the payload's ``errors``."""
    try:
        result = await action()
    except DomainError as error:
        return payload_type(errors=user_errors(error, info))
    except IntegrityError:
        # Two requests racing to create the same thing: the loser's transaction was rolled back.
        problem = DomainError.of(ErrorCode.DUPLICATE, "duplicate_race")
        return payload_type(errors=user_errors(problem, info))
    except ValidationError as error:
        # A value the database refuses (e.g. too long) that no service rule caught first: the
        # transaction was rolled back, so it is the client's input error, not a crash.
        log.warning("database refused a value: %s", error)
        problem = DomainError.of(ErrorCode.INVALID_INPUT, "invalid_input", detail=str(error))
        return payload_type(errors=user_errors(problem, info))
    return payload_type(**result, errors=[])


class InvalidArgument(GraphQLError):
    """An argument of a query is out of range or malformed (top-level, BAD_USER_INPUT)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": "BAD_USER_INPUT"})


_CLIENT_ERRORS = (GraphQLError, AuthError, DomainError, GlobalIDValueError)


class ErrorPolicy(MaskErrors):
    """Top-level errors leave only as UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, GraphQL's own
    request errors, or a masked INTERNAL_SERVER_ERROR that is logged with its stack trace."""

    def __init__(self, *, field_suggestions: bool) -> None:
        super().__init__(should_mask_error=self._should_mask)
        self.field_suggestions = field_suggestions

    @staticmethod
    def _should_mask(error: GraphQLError) -> bool:
        original = error.original_error
        return (
            original is not None
            and not isinstance(original, _CLIENT_ERRORS)
            and not is_unavailable(original)
        )

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        context = self.execution_context.context
        log.error(
            "internal error in %s",
            ".".join(str(p) for p in (error.path or [])),
            exc_info=error.original_error,
            extra={"request_id": getattr(context, "request_id", None)},
        )
        return GraphQLError(
            render("internal", getattr(context, "language", "en")),
            nodes=error.nodes,
            path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR"},
        )

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [self._translate(error) for error in super()._process_errors(errors)]

    def _translate(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        context = self.execution_context.context
        language: Language = getattr(context, "language", "en")
        if original is not None and is_unavailable(original):
            # Not a bug: the database or the file storage is out of reach for a moment.
            log.warning("service unavailable: %r", original)
            answer = unavailable_error(language)
            error.message, error.extensions = answer["message"], answer["extensions"]
        elif isinstance(original, AuthError):
            # An anonymous actor whose bearer token was refused learns why (e.g. expired).
            key = (
                getattr(context, "auth_problem", None)
                if original.code == "UNAUTHENTICATED"
                else None
            )
            error.message = render(key or original.message_key, language, original.params)
            error.extensions = {"code": original.code}
            if original.reason is not None:
                error.extensions["reason"] = original.reason.value
        elif isinstance(original, DomainError):
            # A query's bad argument: there is no payload to carry it, so it is top-level.
            error.message = "; ".join(
                render(p.message_key, language, p.params) for p in original.problems
            )
            error.extensions = {"code": "BAD_USER_INPUT"}
        elif isinstance(original, GlobalIDValueError):
            error.extensions = {"code": "BAD_USER_INPUT"}
        elif error.path is None and not (error.extensions or {}).get("code"):
            # GraphQL's own request errors (and the limiters'), so clients can tell them apart.
            parse_failed = error.message.startswith("Syntax Error")
            error.extensions = {
                "code": "GRAPHQL_PARSE_FAILED" if parse_failed else "GRAPHQL_VALIDATION_FAILED"
            }
        if not self.field_suggestions and " Did you mean " in error.message:
            error.message = error.message.split(" Did you mean ", 1)[0]
        if not error.message.isascii():
            # Never let a message quoting refused input make the answer unencodable.
            error.message = error.message.encode(errors="replace").decode()
        return error
