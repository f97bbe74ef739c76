"""Every permission rule in one place. Later modules add scoped rules (unit approver, committee
role, judge assignment, authorship) here, next to the role rules."""

from models.user import Role
from services.actor import Actor
from services.errors import Forbidden, Unauthenticated


def require_authenticated(actor: Actor) -> None:
    if not actor.is_authenticated:
        raise Unauthenticated()


def require_role(actor: Actor, *roles: Role) -> None:
    """Allow when the actor holds any of ``roles``; ADMIN holds every installation role."""
    require_authenticated(actor)
    if Role.ADMIN in actor.roles or actor.roles.intersection(roles):
        return
    raise Forbidden()
