from django.db import models


class BodyKind(models.TextChoices):
    STATE_CORE_TEAM = "state_core_team", "équipe restreinte de l'État"
    INTERMINISTERIAL_TEAM = "interministerial_team", "équipe interministérielle"
    STEERING_COMMITTEE = "steering_committee", "comité de pilotage"
    TECHNICAL_COMMITTEE = "technical_committee", "comité technique"
    WORKING_GROUP = "working_group", "groupe de travail thématique"
    # A body the contract itself describes (« conférence des financeurs », « cellule de pilotage »…), named by the
    # pilot in ``Body.local_kind_label``: no seed suggestion, no phase rule, no composition rule of its own.
    LOCAL = "local", "instance locale"


class MemberRole(models.TextChoices):
    CO_CHAIR = "co_chair", "coprésident"
    MEMBER = "member", "membre"
    TECHNICIAN = "technician", "technicien"
    FACILITATOR = "facilitator", "animateur"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "prévue"
    CONVENED = "convened", "convocation envoyée"
    HELD = "held", "tenue"
    CANCELLED = "cancelled", "annulée"


class MeetingPurpose(models.TextChoices):
    """What a meeting is for (free to leave empty)."""

    INSTALLATION = "installation", "séance d'installation"
    VALIDATION = "validation", "séance de validation"
    ANNUAL_REVIEW = "annual_review", "suivi annuel"
    EVALUATION = "evaluation", "évaluation"
    WORK = "work", "séance de travail"
    AMENDMENT = "amendment", "avenant"
    OTHER = "other", "autre"


class MeetingFormat(models.TextChoices):
    """A body that meets in a restricted and an enlarged format (« cellule de pilotage restreinte / élargie »)."""

    RESTRICTED = "restricted", "formation restreinte"
    ENLARGED = "enlarged", "formation élargie"


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", "invité"
    PRESENT = "present", "présent"
    EXCUSED = "excused", "excusé"
    ABSENT = "absent", "absent"
    REPRESENTED = "represented", "représenté"


class Verdict(models.TextChoices):
    VALIDATED = "validated", "validé"
    VALIDATED_WITH_AMENDMENTS = "validated_with_amendments", "validé avec amendements"
    POSTPONED = "postponed", "ajourné"
    REJECTED = "rejected", "rejeté"


# Verdicts that make the decided object take effect (rule R14: stakes and orientations take effect only
# after a validating decision of the steering committee).
VALIDATING_VERDICTS = frozenset({Verdict.VALIDATED, Verdict.VALIDATED_WITH_AMENDMENTS})


class PhaseStatus(models.TextChoices):
    TODO = "todo", "à venir"
    IN_PROGRESS = "in_progress", "en cours"
    DONE = "done", "terminée"


class PhaseStatusSource(models.TextChoices):
    RULE = "rule", "calculé à partir des données"
    MANUAL = "manual", "saisi à la main"
    DATES = "dates", "déduit du calendrier"
