"""The LIKE Talk Award (SOP step 15) in GraphQL, each module importing only those above it:

- ``enums``: the domain's enums under their GraphQL names;
- ``inputs``: list filters and orderings, and every mutation's ``input``;
- ``parts``: an edition's set-up — categories, rubric criteria, application forms;
- ``statistics``: live figures of an edition;
- ``standing``: the viewer's standing towards an entry, read through the request's loaders;
- ``types``: editions, entries, judges' rows and aggregates (they refer to one another);
- ``payloads``, ``queries``, ``mutations``, ``subscriptions``: the operations.

What the viewer may read is decided in ``services.contests.access``; these modules translate.
"""
