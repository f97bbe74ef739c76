"""The GraphQL schema: types, queries and mutations per domain, and the shared conventions
(relay nodes, connections, user errors, permissions, guard rails)."""
