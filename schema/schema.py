"""The schema: every domain's queries and mutations, and the guard rails around them."""

from collections.abc import Callable, Iterator
from typing import Any

import strawberry
from graphql import ExecutionResult, GraphQLError, OperationDefinitionNode
from strawberry import relay
from strawberry.extensions import MaxTokensLimiter, ParserCache, SchemaExtension
from strawberry.extensions.disable_introspection import DisableIntrospection
from strawberry.schema.config import StrawberryConfig

from schema.accounts import AccountMutations, AccountQueries
from schema.audit import AuditEventNode, AuditQueries
from schema.auth import AuthMutations
from schema.calendar import CalendarMutations, CalendarQueries
from schema.committee import AppointmentOrderNode, CommitteeMutations, CommitteeQueries
from schema.compiled.extension import CompiledReads
from schema.contests.judging import ConflictDeclarationNode, JudgeAssignmentNode, ScoreSheetNode
from schema.contests.mutations import ContestMutations, JudgingMutations
from schema.contests.parts import ContestCategoryNode, ContestFormNode, RubricCriterionNode
from schema.contests.queries import ContestQueries
from schema.contests.subscriptions import ContestSubscriptions
from schema.contests.types import ContestNode, EntryNode
from schema.cost import QueryCostLimiter
from schema.cycles.mutations import CycleMutations
from schema.cycles.types import (
    CycleNode,
    CycleQueries,
    CycleStepNode,
    DocumentSlotNode,
)
from schema.dashboard import DashboardQueries
from schema.documents import DocumentMutations, DocumentNode
from schema.errors import ErrorPolicy
from schema.guards import DocumentGuard, DocumentLimits
from schema.input_boundary import InputBoundary, guard_mutations
from schema.knowledge import (
    KnowledgeMutations,
    KnowledgeQueries,
    KnowledgeTopicNode,
    MeasureNode,
)
from schema.kpi import KpiMutations, KpiQueries
from schema.labels import LabelQueries, describe_enum_values
from schema.meetings import MeetingMutations, MeetingNode
from schema.notices import NoticeMutations, NoticeQueries
from schema.notifications import NotificationMutations, NotificationNode, NotificationQueries
from schema.org import DepartmentNode, OrgMutations, OrgQueries, PersonNode, UnitNode
from schema.people_import import PersonImportMutations
from schema.plain_fields import PlainFieldsExecution, resolve_plain_fields
from schema.plans.mutations import PlanMutations
from schema.plans.types import (
    ActivityNode,
    ActivityProgressReportNode,
    PlanEventNode,
    PlanNode,
    PlanQueries,
)
from schema.public_works import PublicWorksMutations
from schema.publishing import (
    ChannelSettingsNode,
    PublicationNode,
    PublishingMutations,
    PublishingQueries,
)
from schema.reports.mutations import ReportMutations
from schema.reports.types import FinalReportNode, ProgressReportNode, ReportQueries
from schema.scalars import SCALARS
from schema.sop import SopMutations, SopQueries, SopTemplateNode
from schema.stakeholders import StakeholderMutations, StakeholderNode, StakeholderQueries
from schema.surveys import ResponseNode, SurveyMutations, SurveyNode, SurveyQueries
from schema.unit_roles import UnitRoleMutations
from schema.user_locks import UserLockMutations
from schema.users import UserMutations, UserNode, UserQueries
from schema.works.mutations import WorkMutations
from schema.works.types import WorkNode, WorkQueries
from services.settings import Settings


def _query_type() -> type:
    # Made anew for each schema: strawberry's relay fields can be converted only once.
    @strawberry.type(description="Everything that can be read.")
    class Query(
        UserQueries,
        AccountQueries,
        AuditQueries,
        OrgQueries,
        CalendarQueries,
        CommitteeQueries,
        SopQueries,
        CycleQueries,
        StakeholderQueries,
        SurveyQueries,
        KnowledgeQueries,
        PlanQueries,
        NotificationQueries,
        NoticeQueries,
        WorkQueries,
        PublishingQueries,
        ContestQueries,
        KpiQueries,
        ReportQueries,
        DashboardQueries,
        LabelQueries,
    ):
        node: relay.Node | None = relay.node(description="Any object by its global id.")
        nodes: list[relay.Node | None] = relay.node(
            description="Objects by global id, in the order asked; null where not found or hidden."
        )

    return Query


@strawberry.type(description="Every change: each takes one `input` and returns a payload.")
class Mutation(
    AuthMutations,
    UserMutations,
    AccountMutations,
    PersonImportMutations,
    UserLockMutations,
    OrgMutations,
    PublicWorksMutations,
    CalendarMutations,
    CommitteeMutations,
    SopMutations,
    CycleMutations,
    MeetingMutations,
    DocumentMutations,
    StakeholderMutations,
    SurveyMutations,
    KnowledgeMutations,
    UnitRoleMutations,
    PlanMutations,
    NotificationMutations,
    NoticeMutations,
    WorkMutations,
    PublishingMutations,
    ContestMutations,
    JudgingMutations,
    KpiMutations,
    ReportMutations,
):
    pass


@strawberry.type(
    description="Live updates, over WebSocket (graphql-transport-ws) or HTTP streams (GraphQL "
    "over SSE, multipart subscriptions)."
)
class Subscription(ContestSubscriptions):
    pass


class RequireOperationName(SchemaExtension):
    """A document of several operations without `operationName` is a request error (GraphQL's
    GetOperation), where strawberry would run the first one. Strawberry fills in
    ``operation_name`` from the first operation, so the name the client gave is read instead."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        operations = [
            d
            for d in (document.definitions if document else [])
            if isinstance(d, OperationDefinitionNode)
        ]
        if len(operations) > 1 and not context._provided_operation_name:
            error = GraphQLError(
                "Must provide operation name if query contains multiple operations."
            )
            # A result set before execution replaces it: nothing is resolved.
            context.result = ExecutionResult(data=None, errors=[error])
        yield


class LoHubSchema(strawberry.Schema):
    def process_errors(self, errors: Any, execution_context: Any = None) -> None:
        """Client errors are answers, not incidents; ErrorPolicy logs the internal ones."""


def build_schema(settings: Settings) -> strawberry.Schema:
    limits = DocumentLimits(
        max_depth=settings.max_query_depth,
        max_aliases=settings.max_aliases,
        max_directives=settings.max_directives,
        max_fields=settings.max_fields,
        max_field_repeats=settings.max_field_repeats,
        max_fragments=settings.max_fragments,
        max_variables=settings.max_variables,
        max_string_length=settings.max_string_length,
    )
    # Factories: strawberry builds each extension anew per request. Token limiting sets the
    # parser's options, so it comes before the parser cache.
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: ErrorPolicy(field_suggestions=settings.field_suggestions_enabled),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: ParserCache(maxsize=256),
        lambda: DocumentGuard(limits),
        RequireOperationName,
        InputBoundary,
        lambda: QueryCostLimiter(max_cost=settings.max_query_cost),
    ]
    if settings.compiled_reads:
        # Last: it answers only what every guard above let through.
        extensions.append(CompiledReads)
    if not settings.introspection_enabled:
        extensions.append(DisableIntrospection)
    schema = LoHubSchema(
        config=StrawberryConfig(scalar_map=SCALARS),
        query=_query_type(),
        mutation=Mutation,
        subscription=Subscription,
        types=[
            UserNode,
            AuditEventNode,
            DepartmentNode,
            UnitNode,
            PersonNode,
            AppointmentOrderNode,
            SopTemplateNode,
            CycleNode,
            CycleStepNode,
            DocumentSlotNode,
            DocumentNode,
            MeetingNode,
            StakeholderNode,
            SurveyNode,
            ResponseNode,
            KnowledgeTopicNode,
            MeasureNode,
            PlanNode,
            ActivityNode,
            ActivityProgressReportNode,
            PlanEventNode,
            NotificationNode,
            WorkNode,
            ContestNode,
            ContestCategoryNode,
            RubricCriterionNode,
            ContestFormNode,
            EntryNode,
            JudgeAssignmentNode,
            ConflictDeclarationNode,
            ScoreSheetNode,
            PublicationNode,
            ChannelSettingsNode,
            ProgressReportNode,
            FinalReportNode,
        ],
        extensions=extensions,
        execution_context_class=PlainFieldsExecution,
    )
    resolve_plain_fields(schema._schema, schema.config.info_class)
    guard_mutations(schema._schema)
    describe_enum_values(schema._schema)
    return schema
