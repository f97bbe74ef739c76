"""The LIKE Talk Award (SOP step 15) in GraphQL, each module importing only those above it:

- ``enums``: the domain's enums under their GraphQL names;
- ``inputs``: list filters and orderings, and every mutation's ``input``;
- ``parts``: an edition's set-up — categories, rubric criteria, application forms;
- ``statistics``: live figures of an edition;
- ``standing``: the viewer's standing towards an entry, read through the request's loaders;
- ``judging``: the judges' rows (assignments, conflicts, score sheets) and an entry's aggregates,
  which show their entry through ``schema.relay.node_of``;
- ``types``: editions and entries;
- ``payloads``, ``queries``, ``mutations``, ``subscriptions``: the operations.

What the viewer may read is decided in ``services.contests.access``; these modules translate.
"""
