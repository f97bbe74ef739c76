"""Who is acting, as services see it: never an HTTP request, only these facts."""

from dataclasses import dataclass, field

from models.user import Role


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    roles: frozenset[Role] = field(default_factory=frozenset)
    request_id: str | None = None
    client_address: str = "unknown"
    # The session a bearer token signed in: what a long-lived connection checks again.
    session_id: str | None = None
    # The CLI and background jobs act as the system: every permission, no user.
    is_system: bool = False

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None or self.is_system


ANONYMOUS = Actor(user_id=None)
SYSTEM = Actor(user_id=None, roles=frozenset({Role.ADMIN}), request_id="cli", is_system=True)
