"""The GraphQL schema: types, queries and mutations per domain, and the shared conventions
(relay nodes, connections, user errors, permissions, guard rails)."""

# First: every enum gets its GraphQL name before a module annotates a field with it.
import schema.enums  # noqa: F401
