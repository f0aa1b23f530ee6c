"""What the participation app contributes to the lower apps' registries (design.md §2). Called from
``AppConfig.ready``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contrat_ville.core.personal_data import personal_data_erasers
from contrat_ville.core.registries import AwaitingItem, AwaitingSource, HomePanel, NavigationEntry, contribute
from contrat_ville.participation.models import CouncilSurvey
from contrat_ville.participation.selectors import composition_warnings, council_rows, surveys_awaiting
from contrat_ville.participation.services import council_member_erase


@dataclass(frozen=True)
class DashboardCouncil:
    council: Any
    composition: Any
    warnings: list[str]


def _councils_context(contract: Any, membership: Any) -> dict[str, Any]:
    """The councils of the contract with their composition (counts only) for the dashboard (three queries)."""
    rows = [
        DashboardCouncil(row.council, row.composition, composition_warnings(row.council, row.composition))
        for row in council_rows(contract=contract)
    ]
    return {"rows": rows}


def unanswered_surveys(user: Any) -> list[AwaitingItem]:
    """The yearly questionnaires the councils a user acts for have not transmitted yet (one query)."""
    return [_item(survey) for survey in surveys_awaiting(user)]


def _item(survey: CouncilSurvey) -> AwaitingItem:
    council = survey.council
    return AwaitingItem.on_page(
        council.contract,
        title=f"Remplir le questionnaire {survey.campaign.year} du conseil : {council.name}",
        route="participation:survey_answer",
        route_kwargs={"council_id": council.pk, "survey_id": survey.pk},
        key=f"participation.survey:{survey.pk}",
        due=survey.campaign.due_on,
    )


def register() -> None:
    personal_data_erasers.register("participation.council_member", council_member_erase)
    contribute(
        navigation={
            "participation-councils": NavigationEntry("Conseils citoyens", "participation:council_list", order=25)
        },
        panels={
            "participation-councils": HomePanel(
                "Conseils citoyens", "participation/panels/_councils.html", _councils_context, order=45
            )
        },
        awaiting={
            "participation.survey": AwaitingSource(
                label="Questionnaires annuels des conseils citoyens", collect=unanswered_surveys, order=30
            )
        },
    )
