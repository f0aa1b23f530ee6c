"""The import kernel shared by every importer (docs/imports.md): errors and policy, readers, limits, report.

Its parts: ``errors`` (``ImportFileError``, ``Issues``: collect, then refuse the whole file), ``sources`` (what a
file really is, its size), ``readers`` (delimited text, XLSX including INSEE title-block workbooks, JSON), ``cells``
(numbers), ``limits`` (documented bounds), ``record`` (the ``core.ImportBatch`` provenance and report of a run).
``core`` imports no domain app: every app, present or future, builds its importers on these.
"""
