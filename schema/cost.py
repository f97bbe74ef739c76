"""Query cost limit (placeholder until the cost rule lands)."""

from strawberry.extensions import SchemaExtension


class QueryCostLimiter(SchemaExtension):
    def __init__(self, *, max_cost: int) -> None:
        self.max_cost = max_cost
