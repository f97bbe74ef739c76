"""Guard rails benchmark: how long LO Hub takes to accept or refuse adversarial documents.

    .venv/bin/python -m bench.guards

Each family of documents is built at growing sizes, up to the token limit; each document goes
through what the server does before executing anything: parse (with the token limit), the
document guard (``schema.guards``), graphql-core's validation with strawberry's rules, and, for a
document that passes, the query cost (``schema.cost``). Prints, per size, the tokens, the decision,
the median time and the growth against the previous size: linear is a time ratio close to the
size ratio (2). No database, no server: this is CPU on the event loop, the cost a stranger can
make one request impose. See bench/README.md.
"""

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLError,
    Lexer,
    Source,
    TokenKind,
    get_named_type,
    is_composite_type,
    is_required_argument,
    parse,
    specified_rules,
)
from strawberry.schema.schema import validate_document

from api.settings import Settings
from schema.cost import CostOverLimit, operation_cost
from schema.guards import document_errors
from schema.schema import build_schema

RUNS = 5  # timed decisions per document; the median is reported
BUDGET_MS = 50.0  # every document under the token limit is decided within this


def fragment_chain(levels: int) -> tuple[str, dict[str, Any]]:
    spreads = "".join(
        f"fragment F{n} on Query {{ ...F{n - 1} ...F{n - 1} }}\n" for n in range(1, levels + 1)
    )
    return f"query Q {{ ...F{levels} }}\nfragment F0 on Query {{ __typename }}\n{spreads}", {}


def fragment_fan_out(count: int) -> tuple[str, dict[str, Any]]:
    """Many fragments selecting the same fields, all spread in one place: pairs to compare."""
    spreads = " ".join(f"...F{n}" for n in range(count))
    fragments = "".join(f"fragment F{n} on Query {{ me {{ id }} }}\n" for n in range(count))
    return f"query Q {{ {spreads} }}\n{fragments}", {}


def fragment_fan_out_distinct(count: int) -> tuple[str, dict[str, Any]]:
    """Many fragments on one type, each selecting other fields: every pair is still compared."""
    fields = _root_fields()
    spreads = " ".join(f"...F{n}" for n in range(count))
    fragments = "".join(
        f"fragment F{n} on Query {{ {fields[n % len(fields)]} {{ __typename }} }}\n"
        for n in range(count)
    )
    return f"query Q {{ {spreads} }}\n{fragments}", {}


def every_root_field_repeated(count: int) -> tuple[str, dict[str, Any]]:
    """``count`` root fields, each selected as often as the repeat limit allows."""
    repeats = Settings().max_field_repeats
    fields = _root_fields()[:count]
    return "{ " + " ".join(f"{name} {{ __typename }}" for name in fields) * repeats + " }", {}


def _root_fields() -> list[str]:
    """Query fields of object type that need no argument."""
    schema = build_schema(Settings())._schema
    assert schema.query_type is not None
    return [
        name
        for name, field in schema.query_type.fields.items()
        if not any(is_required_argument(argument) for argument in field.args.values())
        and is_composite_type(get_named_type(field.type))
    ]


def directive_stacking(count: int) -> tuple[str, dict[str, Any]]:
    return "{ __typename " + "@include(if: true) " * count + "}", {}


def unknown_directives(count: int) -> tuple[str, dict[str, Any]]:
    return "{ __typename " + "@a " * count + "}", {}


def many_variables(count: int) -> tuple[str, dict[str, Any]]:
    definitions = ", ".join(f"$v{n}: Int" for n in range(count))
    values = {f"v{n}": n for n in range(count * 10)}
    return f"query Q({definitions}) {{ __typename }}", values


def wide_typename(count: int) -> tuple[str, dict[str, Any]]:
    return "{ " + "__typename " * count + "}", {}


def wide_same_field(count: int) -> tuple[str, dict[str, Any]]:
    return "{ " + "me { id } " * count + "}", {}


def wide_conflicting_arguments(count: int) -> tuple[str, dict[str, Any]]:
    return "{ " + " ".join(f'node(id: "{n}") {{ id }}' for n in range(count)) + " }", {}


def wide_distinct_fields(count: int) -> tuple[str, dict[str, Any]]:
    """Fields of one type, each selected once: what a generous real query looks like."""
    fields = ["id", "username", "displayName", "roles", "email", "isActive"]
    selection = " ".join(fields[n % len(fields)] for n in range(count))
    return "{ me { " + selection + " } }", {}


def list_of_lists(count: int) -> tuple[str, dict[str, Any]]:
    ids = ", ".join('["VXNlcjox"]' for _ in range(count))
    return f"{{ nodes(ids: [{ids}]) {{ id }} }}", {}


def nested_lists(depth: int) -> tuple[str, dict[str, Any]]:
    return "{ nodes(ids: " + "[" * depth + '"x"' + "]" * depth + ") { id } }", {}


def nested_inline_fragments(depth: int) -> tuple[str, dict[str, Any]]:
    return "{ " + "... on Query { " * depth + "__typename" + " }" * depth + " }", {}


def deep_selections(depth: int) -> tuple[str, dict[str, Any]]:
    return "{ " + "me { " * depth + "id" + " }" * depth + " }", {}


FAMILIES: list[tuple[str, Callable[[int], tuple[str, dict[str, Any]]], list[int]]] = [
    ("fragment chain (levels)", fragment_chain, [20, 40, 80, 160, 320]),
    ("fragment fan-out (fragments)", fragment_fan_out, [12, 25, 50, 100, 200]),
    ("fragment fan-out, other fields", fragment_fan_out_distinct, [12, 25, 50, 100]),
    ("every root field x repeat limit", every_root_field_repeated, [5, 10, 20, 40]),
    ("directive stacking", directive_stacking, [50, 100, 200, 400]),
    ("unknown directives", unknown_directives, [150, 300, 600, 1200, 2400]),
    ("variables (definitions; 10x values)", many_variables, [50, 100, 200, 400, 700]),
    ("wide: __typename", wide_typename, [350, 700, 1400, 2800]),
    ("wide: me { id } repeated", wide_same_field, [75, 150, 300, 600]),
    ("wide: node(id:) conflicting", wide_conflicting_arguments, [40, 80, 160, 320]),
    ("wide: distinct fields", wide_distinct_fields, [350, 700, 1400, 2800]),
    ("list of lists (items)", list_of_lists, [120, 240, 480, 960]),
    ("nested lists (depth)", nested_lists, [25, 50, 100, 200, 400]),
    ("nested inline fragments", nested_inline_fragments, [25, 50, 100, 200, 400]),
    ("deep selections", deep_selections, [6, 12, 25, 50, 100, 200]),
]


def token_count(text: str) -> int:
    lexer = Lexer(Source(text))
    count = 0
    while lexer.advance().kind != TokenKind.EOF:
        count += 1
    return count


class Server:
    """What the server runs on a request before execution, without its caches."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.schema = build_schema(settings)._schema

    def decide(self, text: str, variables: dict[str, Any]) -> str:
        try:
            document = parse(text, max_tokens=self.settings.max_tokens)
        except GraphQLError as error:
            return "refused: " + error.message.split("\n")[0]
        errors = document_errors(document, variables, _limits(self.settings))
        if errors:
            return "refused: " + errors[0].message
        errors = validate_document(self.schema, document, tuple(specified_rules))
        if errors:
            return "invalid: " + errors[0].message
        try:
            cost = operation_cost(
                self.schema, document, None, variables, self.settings.max_query_cost
            )
        except CostOverLimit:
            return "refused: query cost"
        return "accepted" if cost <= self.settings.max_query_cost else "refused: query cost"


def _limits(settings: Settings) -> Any:
    from schema.guards import DocumentLimits

    return DocumentLimits(
        max_depth=settings.max_query_depth,
        max_aliases=settings.max_aliases,
        max_directives=settings.max_directives,
        max_fields=settings.max_fields,
        max_field_repeats=settings.max_field_repeats,
        max_fragments=settings.max_fragments,
        max_variables=settings.max_variables,
        max_string_length=settings.max_string_length,
    )


def timed(server: Server, text: str, variables: dict[str, Any]) -> tuple[str, float]:
    times = []
    decision = ""
    for _ in range(RUNS):
        started = time.perf_counter()
        decision = server.decide(text, variables)
        times.append((time.perf_counter() - started) * 1000)
    return decision, statistics.median(times)


def main() -> None:
    server = Server(Settings())
    print(
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}; token limit "
        f"{server.settings.max_tokens}; median of {RUNS}; growth = time ratio / size ratio"
    )
    print(f"{'family':38} {'size':>6} {'tokens':>7} {'ms':>8} {'growth':>7}  decision")
    slowest = 0.0
    for name, build, sizes in FAMILIES:
        previous: tuple[int, float] | None = None
        for size in sizes:
            text, variables = build(size)
            tokens = token_count(text)
            decision, ms = timed(server, text, variables)
            growth = ""
            if previous and previous[1] > 0.05:
                growth = f"{(ms / previous[1]) / (size / previous[0]):.2f}"
            if tokens <= server.settings.max_tokens:
                slowest = max(slowest, ms)
            print(f"{name:38} {size:>6} {tokens:>7} {ms:>8.2f} {growth:>7}  {decision[:60]}")
            previous = (size, ms)
    verdict = "within" if slowest <= BUDGET_MS else "OVER"
    print(f"slowest document under the token limit: {slowest:.2f} ms ({verdict} {BUDGET_MS} ms)")


if __name__ == "__main__":
    main()
