"""The one input boundary for text: every string a request brings into a field's arguments —
from variables or written in the document, file names of uploads included — is checked once,
against ``services.text_input``'s rule, before any resolver runs.

- A mutation's own ``input`` is checked by a wrapper around each root mutation resolver
  (``guard_mutations``): refused text is a payload error, ``INVALID_INPUT`` at its path
  (``["input", "titleTh"]``), and the resolver, so the service, never runs.
- Every other field's arguments (queries, and fields below a mutation's payload) are checked by
  ``InputBoundary`` before execution: refused text refuses the request with ``BAD_USER_INPUT``,
  the field's response path and the argument's path in ``extensions.field``.

Messages name what is wrong, never the text itself.
"""

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLArgument,
    GraphQLCompositeType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationType,
    SelectionSetNode,
    get_argument_values,
    get_named_type,
    get_nullable_type,
    get_operation_ast,
    get_variable_values,
    is_composite_type,
    is_list_type,
)
from strawberry.extensions import SchemaExtension

from schema.errors import user_errors
from services.errors import DomainError, ErrorCode, Problem
from services.messages import Language, render
from services.text_input import is_prose, text_problem, value_problems

Refusal = tuple[tuple[str, ...], str]  # (path, message key)


def argument_problems(
    definitions: Mapping[str, GraphQLArgument], values: Mapping[str, Any]
) -> list[Refusal]:
    """What is wrong with the text in coerced argument ``values``, by their GraphQL types."""
    problems: list[Refusal] = []
    pending: list[tuple[Any, GraphQLInputType, tuple[str, ...]]] = [
        (value, definitions[name].type, (name,)) for name, value in values.items()
    ]
    while pending:
        value, input_type, path = pending.pop()
        if value is None:
            continue
        nullable = get_nullable_type(input_type)
        if is_list_type(nullable):
            item_type = nullable.of_type  # type: ignore[union-attr]
            pending.extend((item, item_type, (*path, str(i))) for i, item in enumerate(value))
        elif isinstance(nullable, GraphQLInputObjectType):
            for name, inner in value.items():
                if name in nullable.fields:
                    pending.append((inner, nullable.fields[name].type, (*path, name)))
        elif getattr(nullable, "name", None) == "JSON":
            problems.extend(value_problems(value, path, prose=True))
        elif isinstance(value, str):
            problem = text_problem(value, prose=is_prose(path[-1]))
            if problem:
                problems.append((path, problem))
        elif isinstance(getattr(value, "filename", None), str):  # an upload
            problem = text_problem(value.filename, prose=False)
            if problem:
                problems.append(((*path, "filename"), problem))
    return problems


def guard_mutations(schema: GraphQLSchema) -> None:
    """Wraps each root mutation resolver so that refused text in its arguments is answered with
    its payload's ``errors`` instead of running it."""
    if schema.mutation_type is None:
        return
    for field in schema.mutation_type.fields.values():
        payload_type = get_named_type(field.type)
        definition = (payload_type.extensions or {}).get("strawberry-definition")
        assert field.resolve is not None and definition is not None
        field.resolve = _refusing(field.resolve, field.args, definition.origin)


def _refusing(
    resolve: Callable[..., Any], arguments: dict[str, GraphQLArgument], payload: type
) -> Callable[..., Any]:
    def resolve_checked(source: Any, info: Any, **values: Any) -> Any:
        problems = argument_problems(arguments, values)
        if not problems:
            return resolve(source, info, **values)
        # Mutations take one `input`; user_errors puts it back in front of the path.
        error = DomainError(
            *(
                Problem(ErrorCode.INVALID_INPUT, key, path[1:] if path[0] == "input" else path)
                for path, key in problems
            )
        )
        return payload(errors=user_errors(error, info))

    return resolve_checked


class InputBoundary(SchemaExtension):
    """Refuses, before execution, a request whose fields' arguments hold refused text (root
    mutation fields excepted: ``guard_mutations`` answers those in their payload)."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        assert context.graphql_document is not None
        refusal = _first_refusal(
            context.schema._schema,
            context.graphql_document,
            context.operation_name,
            context.variables or {},
        )
        if refusal is not None:
            response_path, (argument_path, key) = refusal
            language: Language = getattr(context.context, "language", "en")
            error = GraphQLError(
                render(key, language),
                extensions={"code": "BAD_USER_INPUT", "field": [*response_path, *argument_path]},
            )
            # A result set before execution replaces it: nothing is resolved.
            context.result = ExecutionResult(data=None, errors=[error])
        yield


def _first_refusal(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any],
) -> tuple[tuple[str, ...], Refusal] | None:
    operation = get_operation_ast(document, operation_name)
    root_type = schema.get_root_type(operation.operation) if operation else None
    if operation is None or root_type is None:
        return None  # execution refuses it
    coerced = get_variable_values(schema, operation.variable_definitions or (), dict(variables))
    if isinstance(coerced, list):
        return None  # execution refuses these variables before resolving anything
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    is_mutation = operation.operation == OperationType.MUTATION
    # Each selection set once, with the response path it was first reached by.
    pending: list[tuple[SelectionSetNode, GraphQLCompositeType, tuple[str, ...]]] = [
        (operation.selection_set, root_type, ())
    ]
    seen: set[int] = set()
    while pending:
        selection_set, parent_type, response_path = pending.pop()
        if id(selection_set) in seen:
            continue
        seen.add(id(selection_set))
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                field = schema.get_field(parent_type, selection.name.value)
                if field is None:
                    continue
                key = (selection.alias or selection.name).value
                at_root_of_mutation = is_mutation and parent_type is root_type
                if selection.arguments and not at_root_of_mutation:
                    try:
                        values = get_argument_values(field, selection, coerced)
                    except GraphQLError:
                        continue  # execution refuses the field
                    problems = argument_problems(field.args, values)
                    if problems:
                        return (*response_path, key), problems[0]
                named = get_named_type(field.type)
                if selection.selection_set is not None and is_composite_type(named):
                    pending.append((selection.selection_set, named, (*response_path, key)))  # type: ignore[arg-type]
            else:
                target = (
                    fragments.get(selection.name.value)
                    if isinstance(selection, FragmentSpreadNode)
                    else selection
                )
                if isinstance(target, InlineFragmentNode | FragmentDefinitionNode):
                    condition = target.type_condition
                    condition_type = condition and schema.get_type(condition.name.value)
                    inner_type = (
                        condition_type if is_composite_type(condition_type) else parent_type
                    )
                    pending.append((target.selection_set, inner_type, response_path))  # type: ignore[arg-type]
    return None
