"""Errors a service raises. ``DomainError`` becomes the payload's ``errors`` list;
``AuthError`` becomes a top-level GraphQL error with ``extensions.code``."""

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any, TypeVar

import asyncpg
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from tortoise.exceptions import DBConnectionError

from services.labels import action_words, words
from services.messages import Language, render


class ErrorCode(StrEnum):
    INVALID_INPUT = "INVALID_INPUT"
    NOT_FOUND = "NOT_FOUND"
    DUPLICATE = "DUPLICATE"
    STALE_VERSION = "STALE_VERSION"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    THROTTLED = "THROTTLED"
    TOKEN_INVALID = "TOKEN_INVALID"
    TOKEN_EXPIRED = "TOKEN_EXPIRED"
    DOCUMENTS_MISSING = "DOCUMENTS_MISSING"
    CONFLICT_OF_INTEREST = "CONFLICT_OF_INTEREST"
    NOT_PERMITTED = "NOT_PERMITTED"
    CHANNEL_NOT_CONFIGURED = "CHANNEL_NOT_CONFIGURED"
    NOT_ASSIGNED = "NOT_ASSIGNED"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request: a code, the input path it concerns and a message key."""

    code: ErrorCode
    message_key: str
    field: tuple[str, ...] | None = None
    params: dict[str, object] = dataclasses.field(default_factory=dict)


class DomainError(Exception):
    """The request was understood but cannot be carried out; nothing was written."""

    def __init__(self, *problems: Problem) -> None:
        super().__init__(", ".join(p.message_key for p in problems))
        self.problems = list(problems)

    @classmethod
    def of(
        cls,
        code: ErrorCode,
        message_key: str,
        /,
        *,
        field: tuple[str, ...] | None = None,
        **params: object,
    ) -> "DomainError":
        return cls(Problem(code, message_key, field, params))

    @classmethod
    def from_validation(cls, error: ValidationError) -> "DomainError":
        return cls(*(_problem_from_pydantic(e) for e in error.errors()))


MAX_ID = 2**31 - 1


def parse_id(text: str) -> int | None:
    """A database id written as text, or None: ASCII digits only (``isdigit`` also accepts
    "²"), within the 32-bit range every database column here holds."""
    if text.isascii() and text.isdigit() and len(text) <= 10 and int(text) <= MAX_ID:
        return int(text)
    return None


def not_found(field: str, what_th: str, what_en: str) -> DomainError:
    """The object an input names does not exist (or is not the viewer's to see)."""
    return DomainError.of(
        ErrorCode.NOT_FOUND, "not_found", field=(field,), what=what_th, what_en=what_en
    )


def invalid_transition(
    action: str, status: Enum, allowed: Iterable[str], *, key: str = "invalid_transition"
) -> DomainError:
    """``action`` cannot be done in ``status``; ``allowed`` can. In Thai the message says what
    the actions and the state are called, in English it names their codes."""
    return DomainError.of(
        ErrorCode.INVALID_TRANSITION,
        key,
        action=action_words([action]),
        status=words(status),
        allowed=action_words(allowed),
    )


def check_version(current: int, given: int | None) -> None:
    """Refuse a write based on another version than the one stored (when one was given)."""
    if given is not None and given != current:
        raise DomainError.of(
            ErrorCode.STALE_VERSION, "stale_version", field=("version",), current=current
        )


M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], data: dict[str, Any]) -> M:
    """``data`` as ``model``, or a ``DomainError`` with one problem per invalid field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise DomainError.from_validation(error) from None


_PYDANTIC_KEYS = {
    "missing": "required",
    "string_too_short": "too_short",
    "string_too_long": "too_long",
    "string_pattern_mismatch": "invalid_format",
    "value_error": "invalid_format",
}


def _problem_from_pydantic(error: ErrorDetails) -> Problem:
    context: dict[str, object] = error.get("ctx") or {}
    key = _PYDANTIC_KEYS.get(error["type"], "invalid_input")
    params = {
        "min": context.get("min_length"),
        "max": context.get("max_length"),
        "detail": error["msg"],
    }
    path = tuple(_camel(str(part)) for part in error["loc"])
    return Problem(ErrorCode.INVALID_INPUT, key, path or None, params)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class ForbiddenReason(StrEnum):
    """What a refused actor lacks, said by the rule that refused (``extensions.reason``). A
    reason names only the actor's own standing, never an object the actor may not see."""

    NOT_LINKED_TO_UNIT = "NOT_LINKED_TO_UNIT"
    ROLE_REQUIRED = "ROLE_REQUIRED"
    UNIT_LEAD_REQUIRED = "UNIT_LEAD_REQUIRED"
    CHAIR_REQUIRED = "CHAIR_REQUIRED"
    COMMITTEE_MEMBER_REQUIRED = "COMMITTEE_MEMBER_REQUIRED"
    APPROVER_REQUIRED = "APPROVER_REQUIRED"
    AUTHOR_OR_LEAD_REQUIRED = "AUTHOR_OR_LEAD_REQUIRED"
    RESPONSIBLE_REQUIRED = "RESPONSIBLE_REQUIRED"
    NOT_ASSIGNED = "NOT_ASSIGNED"
    ACTIVITY_OWNER_REQUIRED = "ACTIVITY_OWNER_REQUIRED"
    ENTRANT_REQUIRED = "ENTRANT_REQUIRED"
    RESULTS_NOT_PUBLISHED = "RESULTS_NOT_PUBLISHED"
    INVITATION_REQUIRED = "INVITATION_REQUIRED"
    DASHBOARD_UNITS_ONLY = "DASHBOARD_UNITS_ONLY"


class AuthError(Exception):
    """Not signed in (UNAUTHENTICATED) or not allowed (FORBIDDEN): a top-level error."""

    code = "FORBIDDEN"
    message_key = "forbidden"
    reason: ForbiddenReason | None = None

    def __init__(self, message_key: str | None = None) -> None:
        self.message_key = message_key or self.message_key
        self.params: dict[str, object] = {}
        super().__init__(self.message_key)


class Unauthenticated(AuthError):
    code = "UNAUTHENTICATED"
    message_key = "unauthenticated"


class Forbidden(AuthError):
    code = "FORBIDDEN"
    message_key = "forbidden"

    def __init__(
        self,
        reason: ForbiddenReason | None = None,
        /,
        *,
        message_key: str | None = None,
        **params: object,
    ) -> None:
        """With a ``reason``, the message says what is missing (``forbidden.<REASON>``)."""
        super().__init__(message_key or (f"forbidden.{reason.value}" if reason else None))
        self.reason = reason
        self.params = params


# What a client is told to wait before trying again when a store is unavailable.
RETRY_AFTER_SECONDS = 5


class ServiceUnavailable(Exception):
    """A store LO Hub depends on (the database, the file storage) could not be reached: nothing
    was acknowledged, and the same request may be sent again (SERVICE_UNAVAILABLE)."""

    code = "SERVICE_UNAVAILABLE"
    message_key = "service_unavailable"


def unavailable_error(language: Language) -> dict[str, Any]:
    """The error every route answers (HTTP 503, ``Retry-After``) while a store is out of reach."""
    message = render(ServiceUnavailable.message_key, language, {"seconds": RETRY_AFTER_SECONDS})
    return {
        "message": message,
        "extensions": {"code": ServiceUnavailable.code, "retryAfter": RETRY_AFTER_SECONDS},
    }


# The database went away under a request: the server is down, restarting or refusing
# connections, or the connection was cut (OSError covers refused and reset connections).
_UNAVAILABLE: tuple[type[BaseException], ...] = (
    ServiceUnavailable,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,
    DBConnectionError,
    OSError,
)


def is_unavailable(error: BaseException | None) -> bool:
    """``error`` (or what caused it) says a store is out of reach, not that the request or the
    code is wrong: the client is told to retry (SERVICE_UNAVAILABLE, HTTP 503, Retry-After)."""
    seen = 0
    while error is not None and seen < 8:
        if isinstance(error, _UNAVAILABLE):
            return True
        # asyncpg says "connection is closed" as an InterfaceError, and a connection the
        # server cut in the middle of a query can be left "in another operation".
        if isinstance(error, asyncpg.InterfaceError) and "closed" in str(error):
            return True
        if isinstance(error, asyncpg.exceptions.InternalClientError) and (
            "another operation" in str(error)
        ):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False
