"""The LIKE Talk Award (SOP step 15), one module per part, each importing only those above it:

- ``forms``: application forms configured per edition, answers validated against them;
- ``results``: aggregation of the judges' sheets — totals, statistics, normalised scores, ranks;
- ``conflicts``: what keeps a judge from an entry;
- ``access``: the read rules — which rows the viewer sees (filters the database applies) and which
  fields (functions of the viewer's standing);
- ``editions``: configuration and the edition's lifecycle;
- ``entries``: entries and their lifecycle;
- ``assignments``: judges assigned to entries, by hand or balanced;
- ``scoreboard``: live aggregates pushed to subscribers;
- ``judging``: conflicts declared, score sheets, awards and the publication of results;
- ``stats`` and ``exports``: live figures and the XLSX/CSV tables for organisers and managers.
"""
