"""The evaluation of a contract (issue 12 §5, domain.md §5.2): mid-term, final and thematic evaluations with their
owner, calendar, budget and findings, and the evaluative questions the comité de pilotage validates, linked to the
contract's operational objectives and indicators.

Modules: ``models``, ``enums``, ``services`` (writes), ``selectors`` (reads, bounded queries), ``forms``, ``views``
(pages under ``/contrats/<slug>/evaluation/``), ``api``, ``outline`` (« Modalités de suivi et d'évaluation » of the
generated documents), ``awaiting`` (what awaits the pilot).
"""
