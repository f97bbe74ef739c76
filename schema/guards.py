"""Guard rails on the shape of a document, checked in one pass before graphql-core validates it.

Fragments make a document's expansion exponential in its size: ``fragment F1 on Query { ...F0
...F0 }`` up to ``F30`` is a few hundred bytes that select ``__typename`` 2³⁰ times. A limit that
follows each spread re-walks the fragment every time (strawberry's ``QueryDepthLimiter`` and
``MaxAliasesLimiter`` took 24 s at 21 levels). Here each selection set, fragment definitions
included, is measured once; a spread adds its fragment's measure, so counts are those of the
expanded document while the work stays linear in the text.

Measured for every operation in the document, as graphql-core validates every one:

- depth: levels of selection below a root field (introspection fields are not counted),
- aliases, directives and fields, each fragment counted as many times as it is spread,
- fields selected under one response name in one selection set (inline fragments merged, as
  graphql-core's OverlappingFieldsCanBeMerged merges them): that rule compares every pair of them,
  so a hundred copies of ``me { id }`` cost it seconds,
- fragment definitions, variable definitions (and the entries of the request's ``variables``),
- the longest string literal.

The document is refused before validation, so no validation rule ever sees a document over a
limit. The query cost (``schema.cost``) needs the validated document and the request's variables,
so it is checked afterwards, by a walk that is memoised the same way; the token limit is the
parser's own (``max_tokens``), which stops reading at the first token too many.
"""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    ValueNode,
)
from strawberry.extensions import ValidationCache


@dataclass(frozen=True)
class DocumentLimits:
    """The most a document may hold."""

    max_depth: int
    max_aliases: int
    max_directives: int
    max_fields: int
    max_field_repeats: int
    max_fragments: int
    max_variables: int
    max_string_length: int


class _Measure:
    """What one selection set selects, its fragments expanded: ``depth`` in levels of selection,
    counts of ``aliases``, ``directives`` and ``fields``, ``names`` (how many fields it selects
    under each response name, its fragments' included) and ``repeats`` (the most under one name
    in any selection set at or below it)."""

    __slots__ = ("aliases", "depth", "directives", "fields", "names", "repeats")

    def __init__(self) -> None:
        self.depth = self.aliases = self.directives = self.fields = self.repeats = 0
        self.names: dict[str, int] = {}

    def add(self, below: "_Measure", *, depth: int) -> None:
        """Adds what a field's selection or a spread fragment selects, ``depth`` levels deep."""
        self.depth = max(self.depth, depth)
        self.aliases += below.aliases
        self.directives += below.directives
        self.fields += below.fields
        self.repeats = max(self.repeats, below.repeats)


_NOTHING = _Measure()


def document_errors(
    document: DocumentNode, variables: Mapping[str, Any] | None, limits: DocumentLimits
) -> list[GraphQLError]:
    """Why ``document`` (with the request's ``variables``) is refused; empty when it is not."""
    walk = _Walk(document)
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    errors = []
    total = _Measure()
    for operation in operations:
        measure = walk.measure(operation.selection_set)
        total.add(measure, depth=0)
        if measure.depth > limits.max_depth:
            name = operation.name.value if operation.name else "anonymous"
            errors.append(
                _refusal(f"'{name}' exceeds maximum operation depth of {limits.max_depth}")
            )
    for fragment in walk.fragments.values():
        walk.measure(fragment.selection_set)  # unused ones too: their strings are read
    directive_count = total.directives + walk.definition_directives()
    variable_count = max(
        sum(len(operation.variable_definitions or ()) for operation in operations),
        len(variables or {}),
    )
    for found, limit, what in (
        (total.aliases, limits.max_aliases, "aliases"),
        (directive_count, limits.max_directives, "directives"),
        (total.fields, limits.max_fields, "fields"),
        (len(walk.fragments), limits.max_fragments, "fragments"),
        (variable_count, limits.max_variables, "variables"),
    ):
        if found > limit:
            errors.append(_refusal(f"{found} {what} found. Allowed: {limit}"))
    if total.repeats > limits.max_field_repeats:
        errors.append(
            _refusal(
                f"A field is selected {total.repeats} times in one selection set. "
                f"Allowed: {limits.max_field_repeats}"
            )
        )
    if walk.longest > limits.max_string_length:
        errors.append(
            _refusal(
                f"A string of {walk.longest} characters found. Allowed: {limits.max_string_length}"
            )
        )
    return errors


def _refusal(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "GRAPHQL_VALIDATION_FAILED"})


class _Walk:
    """Measures selection sets, each once, without recursion: a document may nest as deeply as
    the parser allows and spread fragments in chains as long as its tokens allow."""

    def __init__(self, document: DocumentNode) -> None:
        self.document = document
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.measures: dict[int, _Measure] = {}  # by id of selection set; the document outlives it
        self.longest = 0  # the longest string literal read so far

    def measure(self, root: SelectionSetNode) -> _Measure:
        started: set[int] = set()
        pending: list[tuple[SelectionSetNode, bool]] = [(root, False)]
        while pending:
            selection_set, children_done = pending.pop()
            key = id(selection_set)
            if children_done:
                self.measures[key] = self._combine(selection_set)
                started.discard(key)
            elif key not in self.measures and key not in started:
                started.add(key)
                pending.append((selection_set, True))
                # A selection set already started is an ancestor: a fragment cycle, which
                # validation refuses; it counts as nothing here.
                pending.extend((child, False) for child in self._children(selection_set))
        return self.measures[id(root)]

    def _children(self, selection_set: SelectionSetNode) -> Iterator[SelectionSetNode]:
        """The selection sets measured on their own that ``selection_set``'s measure adds up;
        inline fragments are part of it, so their children are its children."""
        inline = [selection_set]
        while inline:
            for selection in inline.pop().selections:
                if isinstance(selection, FragmentSpreadNode):
                    fragment = self.fragments.get(selection.name.value)
                    if fragment is not None:
                        yield fragment.selection_set
                elif isinstance(selection, InlineFragmentNode):
                    inline.append(selection.selection_set)
                elif isinstance(selection, FieldNode) and selection.selection_set is not None:
                    yield selection.selection_set

    def _combine(self, selection_set: SelectionSetNode) -> _Measure:
        """The measure of a selection set whose children are measured."""
        measure = _Measure()
        names = measure.names
        measures = self.measures
        inline = [selection_set]
        while inline:
            for selection in inline.pop().selections:
                if selection.directives:
                    measure.directives += len(selection.directives)
                    self._read_arguments(selection.directives)
                if isinstance(selection, FieldNode):
                    measure.fields += 1
                    if selection.alias is not None:
                        measure.aliases += 1
                        name = selection.alias.value
                    else:
                        name = selection.name.value
                    names[name] = names.get(name, 0) + 1
                    if selection.arguments:
                        self._read_arguments((selection,))
                    below = selection.selection_set
                    if below is not None:
                        # Introspection nests as deeply as the schema's types; its cost counts it.
                        deepens = not selection.name.value.startswith("__")
                        below_measure = measures.get(id(below), _NOTHING)
                        measure.add(below_measure, depth=below_measure.depth + 1 if deepens else 0)
                elif isinstance(selection, InlineFragmentNode):
                    # Its fields are the enclosing set's, as graphql-core merges them.
                    inline.append(selection.selection_set)
                else:
                    fragment = self.fragments.get(selection.name.value)  # type: ignore[attr-defined]
                    if fragment is not None:
                        spread = measures.get(id(fragment.selection_set), _NOTHING)
                        measure.add(spread, depth=spread.depth)
                        for name, count in spread.names.items():
                            names[name] = names.get(name, 0) + count
        measure.repeats = max(measure.repeats, max(names.values(), default=0))
        return measure

    def _read_arguments(self, nodes: Iterable[FieldNode | DirectiveNode]) -> None:
        """Notes the longest string literal in the arguments of ``nodes``, lists and input
        objects included (as deep as they nest, without recursion)."""
        self._read_values([argument.value for node in nodes for argument in node.arguments or ()])

    def _read_values(self, values: list[ValueNode]) -> None:
        while values:
            value = values.pop()
            if isinstance(value, StringValueNode):
                self.longest = max(self.longest, len(value.value))
            elif isinstance(value, ListValueNode):
                values.extend(value.values)
            elif isinstance(value, ObjectValueNode):
                values.extend(field.value for field in value.fields)

    def definition_directives(self) -> int:
        """Directives on operations, fragment definitions and variable definitions (their
        default values' strings are read too)."""
        count = 0
        for definition in self.document.definitions:
            directives = list(getattr(definition, "directives", None) or ())
            for variable in getattr(definition, "variable_definitions", None) or ():
                directives.extend(variable.directives or ())
                if variable.default_value is not None:
                    self._read_values([variable.default_value])
            self._read_arguments(directives)
            count += len(directives)
        return count


class DocumentGuard(ValidationCache):
    """Refuses a document over a limit before validation; validates (cached) the others."""

    def __init__(self, limits: DocumentLimits, maxsize: int = 256) -> None:
        super().__init__(maxsize=maxsize)
        self.limits = limits

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        assert context.graphql_document is not None
        errors = document_errors(context.graphql_document, context.variables, self.limits)
        if errors:
            # Set before validation runs, so validation is skipped.
            context.pre_execution_errors = errors
            yield
        else:
            yield from super().on_validate()
