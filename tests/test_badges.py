"""Each status family of contrat_ville/ui/badges.py stands for one TextChoices of the domain: a value renamed there
would silently turn its badge grey, so the families are checked against the enums here (ui may not import them)."""

import pytest
from django.db import models

from contrat_ville.contracts.enums import ContractStatus, InvitationState
from contrat_ville.diagnostic.enums import ConsultationStatus, StakeStatus
from contrat_ville.funding.enums import ApplicationStatus, CallStatus, CommitmentStatus, ReviewOpinion
from contrat_ville.governance.enums import MeetingStatus, MemberRole, PhaseStatus, Verdict
from contrat_ville.observation.enums import ObjectiveStatus
from contrat_ville.participation.enums import CouncilStatus, DrawStatus, OpinionVerdict, SurveyStatus
from contrat_ville.reporting.enums import AnnualReportStatus, DocumentStatus, MunicipalOpinion
from contrat_ville.reporting.evaluations.enums import EvaluationStatus
from contrat_ville.strategy.enums import ActionPlanStatus, ActionStatus
from contrat_ville.ui.badges import BADGE_VARIANTS

FAMILIES: dict[str, type[models.TextChoices]] = {
    "contract": ContractStatus,
    "stake": StakeStatus,
    "consultation": ConsultationStatus,
    "opinion": OpinionVerdict,
    "meeting": MeetingStatus,
    "verdict": Verdict,
    "phase": PhaseStatus,
    "action": ActionStatus,
    "plan": ActionPlanStatus,
    "commitment": CommitmentStatus,
    "draw": DrawStatus,
    "call": CallStatus,
    "application": ApplicationStatus,
    "review": ReviewOpinion,
    "objective": ObjectiveStatus,
    "council": CouncilStatus,
    "survey": SurveyStatus,
    "member_role": MemberRole,
    "invitation": InvitationState,
    "document": DocumentStatus,
    "evaluation": EvaluationStatus,
    "annual_report": AnnualReportStatus,
    "municipal_opinion": MunicipalOpinion,
}
# Families that are not the values of one TextChoices.
NOT_AN_ENUM = {"validation", "publication", "signature", "term", "marker"}


@pytest.mark.parametrize(("family", "choices"), FAMILIES.items())
def test_a_status_family_names_values_of_its_choices(family: str, choices: type[models.TextChoices]) -> None:
    unknown = set(BADGE_VARIANTS[family]) - set(choices.values)
    assert not unknown, f"{family} : valeurs inconnues de {choices.__name__} : {sorted(unknown)}"


def test_every_family_is_checked() -> None:
    assert set(BADGE_VARIANTS) == set(FAMILIES) | NOT_AN_ENUM
