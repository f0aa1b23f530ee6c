"""Reads of the diagnostic, split by area; the names other apps use are re-exported here.

``from contrat_ville.diagnostic.selectors import stake_list, retained_stakes, is_stake_validated…``
"""

from contrat_ville.diagnostic.selectors.consultations import council_list
from contrat_ville.diagnostic.selectors.inventory import (
    data_source_list,
    finding_list,
    pillar_counts,
)
from contrat_ville.diagnostic.selectors.stakes import (
    StakeRow,
    is_stake_validated,
    retained_stakes,
    stake_current_version,
    stake_get,
    stake_history,
    stake_list,
    stake_rows,
    stake_rows_of,
    stake_validations,
)

__all__ = [
    "StakeRow",
    "council_list",
    "data_source_list",
    "finding_list",
    "is_stake_validated",
    "pillar_counts",
    "retained_stakes",
    "stake_current_version",
    "stake_get",
    "stake_history",
    "stake_list",
    "stake_rows",
    "stake_rows_of",
    "stake_validations",
]
