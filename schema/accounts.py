"""Accounts and people: linking them, the accounts waiting for a person, and a person's own
contact details."""

from typing import Any

import strawberry
from strawberry import relay

from schema.errors import UserError, payload
from schema.inputs import Input, node_id
from schema.org import PersonNode
from schema.relay import After, Before, Connection, First, Last, paginate
from schema.users import UserNode
from services import accounts
from services.errors import validated


@strawberry.type(description="How notifications reach the signed-in person (ช่องทางติดต่อ).")
class ContactDetails:
    person: PersonNode = strawberry.field(description="The person these details belong to.")
    email: str | None = strawberry.field(description="E-mail for notifications.")
    line_user_id: str | None = strawberry.field(
        description="LINE user id (U and 32 hex digits) for messages from the unit's LINE account."
    )
    version: int = strawberry.field(description="The person's version; pass back to `meUpdate`.")

    @classmethod
    def of(cls, person: Any) -> "ContactDetails":
        return cls(
            person=PersonNode.from_model(person),
            email=person.email,
            line_user_id=person.line_user_id,
            version=person.version,
        )


@strawberry.type
class AccountQueries:
    @strawberry.field(
        description="Active accounts linked to no person, newest first: they may read but not "
        "act in any unit until an administrator links them (`userLinkPerson`). Administrators "
        "and managers."
    )
    async def users_waiting_for_person(
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[UserNode]:
        return await paginate(
            accounts.waiting_for_person(actor=info.context.actor),
            UserNode.from_model,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(
        description="The signed-in person's own contact details; null when the account is "
        "linked to no person."
    )
    async def my_contact_details(self, info: strawberry.Info) -> ContactDetails | None:
        person = await accounts.own_person(info.context.actor)
        return ContactDetails.of(person) if person else None


@strawberry.input(description="An account and the person it is.")
class UserLinkPersonInput:
    user: relay.GlobalID = strawberry.field(description="The account.")
    person: relay.GlobalID = strawberry.field(description="The person, linked to no account.")
    reason: str | None = strawberry.field(default=None, description="Why; kept in the audit.")


@strawberry.input(description="The account whose person link is removed.")
class UserUnlinkPersonInput:
    user: relay.GlobalID = strawberry.field(description="The account.")
    reason: str | None = strawberry.field(default=None, description="Why; kept in the audit.")


@strawberry.type(description="Result of `userLinkPerson` and `userUnlinkPerson`.")
class UserPersonLinkPayload:
    user: UserNode | None = strawberry.field(default=None, description="The account.")
    person: PersonNode | None = strawberry.field(
        default=None, description="The person now linked (null after unlinking)."
    )
    errors: list[UserError] = strawberry.field(
        description="NOT_FOUND, or DUPLICATE when the account or the person is linked already."
    )


@strawberry.input(description="Corrections to one's own contact details; omitted ones stay.")
class MeUpdateInput:
    version: int = strawberry.field(description="The version the change is based on.")
    email: str | None = strawberry.field(
        default=strawberry.UNSET, description="E-mail for notifications; null clears it."
    )
    line_user_id: str | None = strawberry.field(
        default=strawberry.UNSET, description="LINE user id; null clears it."
    )


@strawberry.type(description="Result of `meUpdate`.")
class MeUpdatePayload:
    contact_details: ContactDetails | None = strawberry.field(
        default=None, description="The details as saved."
    )
    errors: list[UserError] = strawberry.field(
        description="INVALID_INPUT, STALE_VERSION, or NOT_FOUND when the account has no person."
    )


@strawberry.type
class AccountMutations:
    @strawberry.mutation(
        description="Link an account to the person it is (administrators); audited as "
        "`person.link_user`."
    )
    async def user_link_person(
        self, info: strawberry.Info, input: Input[UserLinkPersonInput]
    ) -> UserPersonLinkPayload:
        async def action() -> dict[str, Any]:
            user, person = await accounts.link_person(
                actor=info.context.actor,
                user_id=node_id(input.user, UserNode, "user"),
                person_id=node_id(input.person, PersonNode, "person"),
                reason=input.reason,
            )
            return {"user": UserNode.from_model(user), "person": PersonNode.from_model(person)}

        return await payload(info, UserPersonLinkPayload, action)

    @strawberry.mutation(
        description="Remove an account's person link (administrators); audited as "
        "`person.unlink_user`."
    )
    async def user_unlink_person(
        self, info: strawberry.Info, input: Input[UserUnlinkPersonInput]
    ) -> UserPersonLinkPayload:
        async def action() -> dict[str, Any]:
            user = await accounts.unlink_person(
                actor=info.context.actor,
                user_id=node_id(input.user, UserNode, "user"),
                reason=input.reason,
            )
            return {"user": UserNode.from_model(user), "person": None}

        return await payload(info, UserPersonLinkPayload, action)

    @strawberry.mutation(
        description="Correct one's own contact details (e-mail, LINE user id); audited as "
        "`person.update_self`."
    )
    async def me_update(
        self, info: strawberry.Info, input: Input[MeUpdateInput]
    ) -> MeUpdatePayload:
        async def action() -> dict[str, Any]:
            given = {
                name: getattr(input, name)
                for name in ("email", "line_user_id")
                if getattr(input, name) is not strawberry.UNSET
            }
            data = validated(accounts.ContactDetails, given)
            person = await accounts.update_own_contact(
                actor=info.context.actor, version=input.version, data=data, fields=set(given)
            )
            return {"contact_details": ContactDetails.of(person)}

        return await payload(info, MeUpdatePayload, action)
