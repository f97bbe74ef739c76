"""GraphQL over HTTP at /graphql (conformance work lands here)."""

from strawberry.fastapi import GraphQLRouter


class LoHubGraphQLRouter(GraphQLRouter):
    pass
