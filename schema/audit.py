"""The audit trail, for administrators: everything, or one object's timeline."""

from datetime import datetime
from enum import Enum

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from models.audit import AuditEvent
from schema.inputs import node_id
from schema.relay import (
    After,
    Before,
    Conditions,
    Connection,
    First,
    Last,
    ModelNode,
    OrderDirection,
    OrderTerm,
    SortOrder,
    order_by_terms,
    paginate,
    read_rule,
)
from schema.users import UserNode, user_node
from services import audit


@strawberry.type(name="AuditEvent", description="One recorded change (บันทึกการเปลี่ยนแปลง).")
class AuditEventNode(ModelNode):
    model = AuditEvent

    id: relay.NodeID[int]
    at: datetime = strawberry.field(description="When it happened (UTC).")
    action: str = strawberry.field(description="What was done, e.g. `user.update`.")
    object_type: str = strawberry.field(description="GraphQL type name of the object changed.")
    object_id: str = strawberry.field(description="Database id of the object changed.")
    before: JSON | None = strawberry.field(description="The object's fields before.")
    after: JSON | None = strawberry.field(description="The object's fields after.")
    reason: str | None = strawberry.field(description="Why, as the actor said.")
    request_id: str | None = strawberry.field(description="Request that made it, for the logs.")
    actor_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, obj: AuditEvent) -> "AuditEventNode":
        return cls(
            id=obj.id,
            at=obj.at,
            action=obj.action,
            object_type=obj.object_type,
            object_id=obj.object_id,
            before=obj.before,
            after=obj.after,
            reason=obj.reason,
            request_id=obj.request_id,
            actor_id=obj.actor_id,  # type: ignore[attr-defined]
        )

    visible = read_rule(audit.visible_audit_events)

    @strawberry.field(description="Who did it; null for the system or a deleted account.")
    async def actor(self, info: strawberry.Info) -> UserNode | None:
        return await user_node(info, self.actor_id)


@strawberry.enum(description="Fields audit events can be ordered by.")
class AuditEventOrderField(Enum):
    AT = "at"


@strawberry.input(description="One ordering term for audit events.")
class AuditEventOrder(OrderTerm):
    field: AuditEventOrderField = strawberry.field(description="Field to order by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.DESC, description="Ascending or descending."
    )


@strawberry.input(description="Narrows the audit events listed; all given conditions must hold.")
class AuditEventFilter:
    object_type: str | None = strawberry.field(default=None, description="Type of object.")
    object_id: str | None = strawberry.field(default=None, description="Id of object.")
    actor: relay.GlobalID | None = strawberry.field(default=None, description="Who acted.")
    action: str | None = strawberry.field(default=None, description="Exact action name.")
    since: datetime | None = strawberry.field(default=None, description="At or after.")
    until: datetime | None = strawberry.field(default=None, description="Before.")


@strawberry.type
class AuditQueries:
    @strawberry.field(description="Audit events, newest first by default (administrators).")
    async def audit_events(
        self,
        info: strawberry.Info,
        filter: Conditions[AuditEventFilter] = None,
        order_by: SortOrder[AuditEventOrder] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[AuditEventNode]:
        filter = filter or AuditEventFilter()
        queryset = audit.list_events(
            actor=info.context.actor,
            object_type=filter.object_type,
            object_id=filter.object_id,
            actor_id=node_id(filter.actor, UserNode, "actor") if filter.actor else None,
            action=filter.action,
            since=filter.since,
            until=filter.until,
            ordering=order_by_terms(order_by, default=["-at"]),
        )
        return await paginate(
            queryset, AuditEventNode.from_model, first=first, after=after, last=last, before=before
        )
