"""Signing in with the department (OpenID Connect): from the claims a provider vouched for to a
LO Hub session.

The protocol — redirects, state, nonce, PKCE, the ID token's signature and issuer — is
``api/oidc.py``'s, through Authlib. The rules are here:

1. Only an e-mail the provider has not marked unverified, of an allowed domain, signs in.
2. The provider's subject (``sub``) names the account for good: the first sign-in makes the
   link (``ExternalIdentity``) to the person's existing account, or to a new account with no
   password; later sign-ins follow it whatever the e-mail becomes.
3. An account is linked to the person of the same employee id (when the provider sends that
   claim and a person has it) or else of the same work e-mail, when exactly one person matches
   and that person has no account yet. Without a person the account waits for an administrator
   (``userLinkPerson``): it gets no session, and the next sign-in after the link gets one.
4. Roles stay LO Hub's: a provider's groups or roles are never read.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.org import Person
from models.user import ExternalIdentity, User
from services import audit, auth
from services.actor import Actor
from services.errors import DomainError, ErrorCode
from services.settings import OidcProvider
from services.tokens import utcnow


@dataclass(frozen=True)
class SignIn:
    """The account the claims stand for, and its new session — or none while the account
    waits for an administrator to link it to a person (rule 3)."""

    user: User
    session: auth.Session | None


async def sign_in(*, provider: OidcProvider, claims: Mapping[str, Any], actor: Actor) -> SignIn:
    subject = str(claims.get("sub") or "")
    if not subject:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "oidc_failed", detail="no subject")
    try:
        return await _sign_in(provider, subject, claims, actor)
    except IntegrityError:
        # Two first sign-ins of one subject at once (two tabs, a double click): the other one
        # made the account and its link first; this one, tried again, follows that link.
        return await _sign_in(provider, subject, claims, actor)


async def _sign_in(
    provider: OidcProvider, subject: str, claims: Mapping[str, Any], actor: Actor
) -> SignIn:
    email = allowed_email(provider, claims)
    employee_id = _employee_id(provider, claims)
    now = utcnow()
    async with in_transaction() as connection:
        identity = (
            await ExternalIdentity.filter(provider=provider.name, subject=subject)
            .select_for_update()
            .using_db(connection)
            .first()
        )
        if identity is None:
            user = await _first_sign_in(provider, subject, email, claims, actor, connection)
            identity = await ExternalIdentity.create(
                user_id=user.id,
                provider=provider.name,
                subject=subject,
                using_db=connection,
            )
        else:
            user = await User.get(id=identity.user_id, using_db=connection)
        if not user.is_active:
            raise DomainError.of(ErrorCode.NOT_PERMITTED, "oidc_account_inactive")
        identity.email = email
        identity.last_sign_in_at = now
        await identity.save(update_fields=["email", "last_sign_in_at"], using_db=connection)
        if not await _has_person(user, email, employee_id, actor, connection):
            return SignIn(user, None)
        session = await auth.start_session(
            user, actor=actor, at=now, connection=connection, provider=provider.name
        )
    return SignIn(user, session)


def allowed_email(provider: OidcProvider, claims: Mapping[str, Any]) -> str:
    """The claims' e-mail, lower case, when it may sign in through ``provider`` (rule 1)."""
    email = str(claims.get("email") or "").strip().lower()
    if "@" not in email or claims.get("email_verified") is False:
        raise DomainError.of(ErrorCode.NOT_PERMITTED, "oidc_no_email")
    domains = [d.strip().lower().lstrip("@") for d in provider.allowed_domains]
    if domains and email.rsplit("@", 1)[1] not in domains:
        raise DomainError.of(
            ErrorCode.NOT_PERMITTED, "oidc_domain_refused", email=email, domains=", ".join(domains)
        )
    return email


def _employee_id(provider: OidcProvider, claims: Mapping[str, Any]) -> str | None:
    if provider.employee_id_claim is None:
        return None
    value = str(claims.get(provider.employee_id_claim) or "").strip()
    return value or None


async def _first_sign_in(
    provider: OidcProvider,
    subject: str,
    email: str,
    claims: Mapping[str, Any],
    actor: Actor,
    connection: BaseDBAsyncClient,
) -> User:
    """The account a first sign-in is linked to: the matched person's, the one already kept
    under this e-mail, or a new one without a password (rule 2)."""
    person = await _matching_person(email, _employee_id(provider, claims), connection)
    if person is not None and person.user_id is not None:
        return await User.get(id=person.user_id, using_db=connection)
    existing = (
        await User.filter(Q(username=email) | Q(email__iexact=email)).using_db(connection).all()
    )
    if len(existing) == 1:
        return existing[0]
    user = await User.create(
        username=email if not existing else f"{email}#{provider.name}:{subject}"[:150],
        password_hash="",  # no local password: verify_password refuses an empty hash
        display_name=str(claims.get("name") or email)[:255],
        email=email,
        using_db=connection,
    )
    await audit.record(
        actor=Actor(user_id=user.id, request_id=actor.request_id),
        action="user.create",
        object_type="User",
        object_id=user.id,
        after={"username": user.username, "provider": provider.name},
        connection=connection,
    )
    return user


async def _has_person(
    user: User,
    email: str,
    employee_id: str | None,
    actor: Actor,
    connection: BaseDBAsyncClient,
) -> bool:
    """Whether the account is linked to a person, linking it now when one matches (rule 3):
    people imported since an earlier sign-in are found at the next."""
    if await Person.exists(user_id=user.id, using_db=connection):
        return True
    person = await _matching_person(email, employee_id, connection)
    if person is None or person.user_id is not None:
        return False
    person.user_id = user.id
    person.version += 1
    await person.save(update_fields=["user_id", "version"], using_db=connection)
    await audit.record(
        actor=Actor(user_id=user.id, request_id=actor.request_id),
        action="person.link_user",
        object_type="Person",
        object_id=person.id,
        after={"user": user.id},
        connection=connection,
    )
    return True


async def _matching_person(
    email: str, employee_id: str | None, connection: BaseDBAsyncClient
) -> Person | None:
    """The one person of this employee id, or else the one of this e-mail; none when no one
    or several match."""
    queries = [Person.filter(employee_id=employee_id)] if employee_id else []
    for query in [*queries, Person.filter(email__iexact=email)]:
        people = cast(list[Person], await query.using_db(connection).limit(2))
        if people:
            return people[0] if len(people) == 1 else None
    return None
