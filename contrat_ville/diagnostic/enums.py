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
# rejected by the steering committee (phase 3.2). A later decision may correct an earlier one (retained ↔ rejected).
STAKE_TRANSITIONS: dict[str, frozenset[str]] = {
    StakeStatus.PROPOSED: frozenset({StakeStatus.SUBMITTED}),
    StakeStatus.SUBMITTED: frozenset({StakeStatus.REDEFINED, StakeStatus.RETAINED, StakeStatus.REJECTED}),
    StakeStatus.REDEFINED: frozenset({StakeStatus.SUBMITTED, StakeStatus.RETAINED, StakeStatus.REJECTED}),
    StakeStatus.RETAINED: frozenset({StakeStatus.REJECTED}),
    StakeStatus.REJECTED: frozenset({StakeStatus.RETAINED}),
}
STAKE_STATUS_LABELS: dict[str, str] = {str(value): str(label) for value, label in StakeStatus.choices}

# Statuses whose text may still change (through an edit of the current version or a redefinition).
STAKE_OPEN_STATUSES = frozenset({StakeStatus.PROPOSED, StakeStatus.SUBMITTED, StakeStatus.REDEFINED})
# Statuses set by the steering committee.
STAKE_DECIDED_STATUSES = frozenset({StakeStatus.RETAINED, StakeStatus.REJECTED})

# Who builds the diagnostic (seed 004 phase 3: each working group; issue 5): the pilot, the State and the partners
# who sit in the working groups. Conseils citoyens and observers read it; council members give opinions.
DIAGNOSTIC_EDITOR_ROLES: tuple[str, ...] = ("pilot", "state", "partner")
# Who steers it (submits stakes to the councils, flags duplicates in the synthesis, asks the COPIL to validate).
DIAGNOSTIC_STEERING_ROLES: tuple[str, ...] = ("pilot", "state")
