"""Reads of the observation app, split by area; they return data, never text (``observation.presenters`` words it).

- ``values``: the values a reader may see (``Scope``), cells, same-year comparisons, evolutions, the API's list;
- ``references``: the one definition of a territory's reference territories;
- ``indicators``: the catalogue, an indicator's series over time and its choropleth map;
- ``portraits``: a territory by pillar;
- ``comparisons``: a contract's QPVs side by side, the key figures of the contract home;
- ``national``: every QPV's gaps and trends (the national computation and its table);
- ``territories``: territories as the pages find them.

Every reader runs a fixed number of queries whatever the data (asserted in the tests). The names other apps use
are re-exported here: ``from contrat_ville.observation.selectors import Scope, value_index…``.
"""

# objective_status is a computation: re-exported so that the apps above (strategy) import only our selectors.
from contrat_ville.observation.computations import objective_status
from contrat_ville.observation.selectors.values import (
    EMPTY_CELL,
    PUBLIC,
    Cell,
    Scope,
    latest_measured_values,
    scope_for,
    value_batches_for,
    value_index,
)

__all__ = [
    "EMPTY_CELL",
    "PUBLIC",
    "Cell",
    "Scope",
    "latest_measured_values",
    "objective_status",
    "scope_for",
    "value_batches_for",
    "value_index",
]
