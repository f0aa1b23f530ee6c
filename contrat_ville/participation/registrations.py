"""What the participation app contributes to the lower apps' registries (design.md §2). Called from
``AppConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from contrat_ville.core.registries import AwaitingItem, AwaitingSource, NavigationEntry, contribute
from contrat_ville.participation.models import CouncilSurvey
from contrat_ville.participation.selectors import surveys_awaiting


def unanswered_surveys(user: Any) -> list[AwaitingItem]:
    """The yearly questionnaires the councils a user acts for have not transmitted yet (one query)."""
    return [_item(survey) for survey in surveys_awaiting(user)]


def _item(survey: CouncilSurvey) -> AwaitingItem:
    council = survey.council
    return AwaitingItem(
        title=f"Remplir le questionnaire {survey.campaign.year} du conseil : {council.name}",
        url=reverse(
            "participation:survey_answer",
            kwargs={"contract_slug": council.contract.slug, "council_id": council.pk, "survey_id": survey.pk},
        ),
        contract_id=council.contract_id,
        contract_name=council.contract.name,
        key=f"participation.survey:{survey.pk}",
        due=survey.campaign.due_on,
    )


def register() -> None:
    contribute(
        navigation={
            "participation-councils": NavigationEntry("Conseils citoyens", "participation:council_list", order=25)
        },
        awaiting={
            "participation.survey": AwaitingSource(
                label="Questionnaires annuels des conseils citoyens", collect=unanswered_surveys, order=30
            )
        },
    )
