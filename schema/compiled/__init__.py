"""The compiled read path: a query over the hot lists answered from rows, without resolvers.

Why: on a page of 100 works with their units and authors, the SQL takes a few milliseconds and
the rest of the 200 goes to graphql-core's execution (a task per awaitable field), strawberry's
per-field ``Info`` and arguments, ORM objects and the DataLoaders. Here a query whose every
field is a column, a relation, a global id or ``__typename`` of a type listed in
``schema.compiled.types`` is answered by reading rows and building the response's dicts
directly.

Where: ``CompiledReads`` (``schema.compiled.extension``) is the last extension of the schema, so
parsing, validation, the guard rails (``schema.guards``, ``schema.input_boundary``) and the cost
limit have run and refused whatever they refuse. Its ``on_execute`` sets the result, which
replaces execution; when it cannot answer, it sets nothing and the resolvers answer the whole
operation: answers are never mixed.

What it answers (``schema.compiled.plan`` decides, before any row is read):

- query operations only, every root field compiled: a list (``works``, ``cycles``, ``plans``)
  as its connection (``edges { cursor node }``, ``nodes``, ``pageInfo``, ``totalCount``),
  ``node(id:)`` of a node type listed there (read through that type's own ``visible``), or
  ``__typename``;
- arguments ``first`` and ``after`` (``null`` is as absent); any other argument given, a page
  size out of range or a cursor not of the list falls back, so the resolvers give the error;
- fragments, inline fragments, aliases, variables, ``@include``/``@skip``, as graphql-core
  collects them (``collect_fields``, so the keys come in the same order and merge the same way);
  ``@defer``/``@stream`` and fragment variables fall back;
- on each node type only the fields ``schema.compiled.types`` lists; any other field falls back.

How (``schema.compiled.answer``): the list's rows come from the same queryset its resolver
pages (the service's ``list_<things>(actor=...)``, built on ``visible_<things>(actor)``), read
with ``.values()`` as dicts of the selected columns only; each relation in the selection is one
more statement over the ids of the rows above it (``id__in``), with the filter and order of the
loader the ordinary field uses. So a request costs one statement per list and per relation
selected (plus one COUNT for ``totalCount``), whatever the page size. Leaves go through the
GraphQL type's own ``serialize`` (enums, dates), ids through relay's ``to_base64`` and
cursors through ``schema.relay``'s, so the answer is the one the resolvers give;
``tests/contract/test_compiled_reads.py`` checks this for every role and many selections on
both databases. A failure while reading falls back too: the resolvers then fail as they do.

``LOHUB_COMPILED_READS=false`` leaves the extension out.
"""
