"""Writes of the diagnostic, split by area; the names other apps use are re-exported here."""

from contrat_ville.diagnostic.services.consultations import (
    consultation_close,
    consultation_create,
    consultation_opinion_give,
)
from contrat_ville.diagnostic.services.inventory import (
    data_source_create,
    finding_create,
    finding_evidence_add,
)
from contrat_ville.diagnostic.services.stakes import (
    stake_apply_decisions,
    stake_create,
    stake_duplicate_set,
    stake_mainstream_add,
    stake_on_decision,
    stake_redefine,
    stake_update,
)

__all__ = [
    "consultation_close",
    "consultation_create",
    "consultation_opinion_give",
    "data_source_create",
    "finding_create",
    "finding_evidence_add",
    "stake_apply_decisions",
    "stake_create",
    "stake_duplicate_set",
    "stake_mainstream_add",
    "stake_on_decision",
    "stake_redefine",
    "stake_update",
]
