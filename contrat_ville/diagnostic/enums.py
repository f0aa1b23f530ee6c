from django.db import models


class FindingKind(models.TextChoices):
    STRENGTH = "strength", "atout / ressource"
    HANDICAP = "handicap", "handicap / difficulté"


class StakeStatus(models.TextChoices):
    PROPOSED = "proposed", "proposé"
    SUBMITTED = "submitted", "soumis aux conseils citoyens"
    REDEFINED = "redefined", "redéfini"
    RETAINED = "retained", "retenu"
    REJECTED = "rejected", "écarté"


class ConsultationStatus(models.TextChoices):
    OPEN = "open", "ouverte"
    CLOSED = "closed", "close"


# The stake's workflow (seed 004 phase 3.1; domain.md §3.1): proposed by a working group, submitted to the
# conseils citoyens, redefined with their opinions in view (and possibly submitted again), then retained or
# rejected by the steering committee (phase 3.2). Retained and rejected follow the committee's latest decision: a
# later decision corrects an earlier one (retained ↔ rejected), a postponement sends the stake back to the debate
# status it had. Whether a stake not yet debated may be decided is the generation's rule (``rules.debate_refusal``).
_DEBATE_STATUSES = frozenset({StakeStatus.PROPOSED, StakeStatus.SUBMITTED, StakeStatus.REDEFINED})
STAKE_TRANSITIONS: dict[str, frozenset[str]] = {
    StakeStatus.PROPOSED: frozenset({StakeStatus.SUBMITTED, StakeStatus.RETAINED, StakeStatus.REJECTED}),
    StakeStatus.SUBMITTED: frozenset({StakeStatus.REDEFINED, StakeStatus.RETAINED, StakeStatus.REJECTED}),
    StakeStatus.REDEFINED: frozenset({StakeStatus.SUBMITTED, StakeStatus.RETAINED, StakeStatus.REJECTED}),
    StakeStatus.RETAINED: _DEBATE_STATUSES | {StakeStatus.REJECTED},
    StakeStatus.REJECTED: _DEBATE_STATUSES | {StakeStatus.RETAINED},
}
STAKE_STATUS_LABELS: dict[str, str] = {str(value): str(label) for value, label in StakeStatus.choices}

# Statuses whose text may still change (through an edit of the current version or a redefinition).
STAKE_OPEN_STATUSES = _DEBATE_STATUSES
# Statuses set by the steering committee.
STAKE_DECIDED_STATUSES = frozenset({StakeStatus.RETAINED, StakeStatus.REJECTED})
