"""In-app notifications: each person reads and marks their own."""

from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from models.notification import Notification
from schema.errors import UserError, payload
from schema.inputs import Input, node_id
from schema.relay import (
    After,
    Before,
    Conditions,
    Connection,
    First,
    Last,
    ModelNode,
    paginate,
    read_rule,
)
from services import notifications
from services.messages import render


@strawberry.type(name="Notification", description="Something a change tells you (การแจ้งเตือน).")
class NotificationNode(ModelNode):
    model = Notification

    id: relay.NodeID[int]
    created_at: datetime = strawberry.field(description="When (UTC).")
    read_at: datetime | None = strawberry.field(description="When you marked it read.")
    row: strawberry.Private[Notification]

    @classmethod
    def from_model(cls, obj: Notification) -> "NotificationNode":
        return cls(id=obj.id, created_at=obj.created_at, read_at=obj.read_at, row=obj)

    visible = read_rule(notifications.visible_notifications)

    @strawberry.field(description="The message, in the request's language.")
    def message(self, info: strawberry.Info) -> str:
        return render(self.row.message_key, info.context.language, self.row.params)

    @strawberry.field(description="The global id of the object it is about (e.g. a Plan).")
    def subject_id(self) -> relay.GlobalID:
        return relay.GlobalID(self.row.subject_type, str(self.row.subject_id))


@strawberry.input(description="Narrows your notifications.")
class NotificationFilter:
    unread_only: bool = strawberry.field(default=False, description="Only those not yet read.")


@strawberry.type
class NotificationQueries:
    @strawberry.field(description="Your notifications, newest first.")
    async def notifications(
        self,
        info: strawberry.Info,
        filter: Conditions[NotificationFilter] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[NotificationNode]:
        queryset = notifications.list_own(
            actor=info.context.actor, unread_only=bool(filter and filter.unread_only)
        )
        return await paginate(
            queryset,
            NotificationNode.from_model,
            first=first,
            after=after,
            last=last,
            before=before,
        )


@strawberry.input(description="Mark your notifications read.")
class NotificationMarkReadInput:
    ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="These; every unread one when omitted."
    )


@strawberry.type(description="Result of `notificationMarkRead`.")
class NotificationMarkReadPayload:
    marked: int = strawberry.field(default=0, description="How many were marked read.")
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


@strawberry.type
class NotificationMutations:
    @strawberry.mutation(description="Mark your notifications read.")
    async def notification_mark_read(
        self, info: strawberry.Info, input: Input[NotificationMarkReadInput]
    ) -> NotificationMarkReadPayload:
        async def run() -> dict[str, Any]:
            ids = (
                None
                if input.ids is None
                else [
                    node_id(g, NotificationNode, ("ids", str(i))) for i, g in enumerate(input.ids)
                ]
            )
            return {"marked": await notifications.mark_read(actor=info.context.actor, ids=ids)}

        return await payload(info, NotificationMarkReadPayload, run)
