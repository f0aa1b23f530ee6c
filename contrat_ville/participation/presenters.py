"""How the registry's and the state of play's figures read (French numbers, percentages, labels), for their pages
and exports alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contrat_ville.participation.draws import QUOTA_FEATURES
from contrat_ville.participation.enums import (
    AgeBand,
    College,
    DesignationMethod,
    Difficulty,
    FacilitatorKind,
    LegalForm,
    Need,
    Sex,
    TrainingTopic,
)
from contrat_ville.participation.models import CouncilSurvey, Draw
from contrat_ville.participation.selectors import CouncilState, StateOfPlayTotals, Tally

NARROW_NO_BREAK_SPACE = "\u202f"


def euros(value: int | None) -> str:
    """« 6 500 € » (thousands grouped with a narrow no-break space, as French typography writes them), « — » when
    unknown."""
    if value is None:
        return "—"
    return f"{value:,}".replace(",", NARROW_NO_BREAK_SPACE) + "\u00a0€"


@dataclass(frozen=True)
class DrawResultRow:
    """A college's result as shown: seated members then substitutes, each « identifier (femme) » in rank order."""

    college: str
    seated: list[str]
    substitutes: list[str]


def draw_result_rows(draw: Draw) -> list[DrawResultRow]:
    sexes = dict(Sex.choices)
    colleges = dict(College.choices)
    rows = []
    for college, outcome in (draw.result.get("colleges") or {}).items():
        rows.append(
            DrawResultRow(
                college=colleges.get(college, college),
                seated=[f"{identifier} ({sexes.get(sex, sex)})" for identifier, sex in outcome.get("seated", [])],
                substitutes=[
                    f"{identifier} ({sexes.get(sex, sex)})" for identifier, sex in outcome.get("substitutes", [])
                ],
            )
        )
    return rows


def quota_rows(draw: Draw) -> list[str]:
    """Each quota of a draw in French: « collège des habitants — tranche d'âge « 18 à 25 ans » : de 2 à 4 sièges »."""
    colleges = dict(College.choices)
    age_bands = dict(AgeBand.choices)
    rows = []
    for quota in draw.quotas:
        value = age_bands.get(quota["value"], quota["value"]) if quota["feature"] == "age_band" else quota["value"]
        feature = QUOTA_FEATURES.get(quota["feature"], quota["feature"])
        rows.append(
            f"{colleges.get(quota['college'], quota['college'])} — {feature} « {value} » : "
            f"de {quota['minimum']} à {quota['maximum']} siège{'s' if quota['maximum'] > 1 else ''}"
        )
    return rows


# --- the state of play (issue 11 §6) ---------------------------------------------------------------------------


def percent(share: int | None) -> str:
    """« 42 % » (a narrow no-break space before the sign), « — » when there is nobody to count."""
    return "—" if share is None else f"{share}{NARROW_NO_BREAK_SPACE}%"


def tally_text(tally: Tally) -> str:
    """« 3 sur 8 (38 %) »."""
    return f"{tally.count} sur {tally.whole} ({percent(tally.share)})"


def _labels(choices: Any, values: Any) -> str:
    wanted = set(values)
    return " ; ".join(str(choice.label) for choice in choices if choice.value in wanted)


def _yes_no(value: bool | None) -> str:
    return {True: "oui", False: "non", None: "non renseigné"}[value]


STATE_OF_PLAY_HEADERS = (
    "Contrat",
    "Conseil citoyen",
    "Quartiers",
    "Source",
    "Forme juridique",
    "Animation",
    "Modes de désignation",
    "Membres",
    "Part de femmes",
    "Part du collège des habitants",
    "Part du collège des associations et acteurs locaux",
    "Part de jeunes (moins de 26 ans)",
    "Budget annuel",
    "Local",
    "Charte adoptée",
    "Réunions dans l'année",
    "Formations reçues",
    "Difficultés",
    "Besoins",
    "Perspectives",
)


def state_source(state: CouncilState) -> str:
    return f"questionnaire {state.survey_year}" if state.survey_year is not None else "registre"


def state_row(state: CouncilState) -> list[str]:
    """A council's line as the page, the CSV and the spreadsheet write it (the order of ``STATE_OF_PLAY_HEADERS``)."""
    composition = state.composition
    return [
        state.contract_name,
        state.council_name,
        ", ".join(state.qpvs),
        state_source(state),
        dict(LegalForm.choices).get(state.legal_form, "non renseignée"),
        dict(FacilitatorKind.choices).get(state.facilitator_kind, "non renseignée"),
        _labels(DesignationMethod, state.designation_methods) or "non renseignés",
        str(composition.total),
        percent(composition.women_share),
        percent(composition.college_share(College.RESIDENTS)),
        percent(composition.college_share(College.LOCAL_ACTORS)),
        percent(composition.young_share),
        euros(state.yearly_budget),
        "oui" if state.has_premises else "non",
        _yes_no(state.charter_adopted),
        "—" if state.meetings_held is None else str(state.meetings_held),
        _labels(TrainingTopic, state.training_topics),
        _labels(Difficulty, state.difficulties),
        _labels(Need, state.needs),
        state.prospects,
    ]


@dataclass(frozen=True)
class TotalRow:
    """A line of the totals: its theme, what is counted, how many, out of how many, and the share."""

    theme: str
    label: str
    count: str
    whole: str
    share: str


def _tally_row(theme: str, tally: Tally) -> TotalRow:
    return TotalRow(theme, str(tally.label), str(tally.count), str(tally.whole), percent(tally.share))


def total_rows(totals: StateOfPlayTotals) -> list[TotalRow]:
    """The totals of the state of play, theme by theme, as the page and the spreadsheet write them."""
    rows = [TotalRow("Conseils citoyens", "conseils recensés", str(totals.councils), "", "")]
    rows += [_tally_row("Forme juridique", tally) for tally in totals.legal_forms]
    rows += [_tally_row("Animation assurée par", tally) for tally in totals.facilitators]
    rows += [_tally_row("Modes de désignation (conseils qui y ont recours)", t) for t in totals.designation_methods]
    rows += [_tally_row("Représentativité (membres en fonction)", totals.women)]
    rows += [_tally_row("Représentativité (membres en fonction)", tally) for tally in totals.colleges]
    rows += [_tally_row("Représentativité (membres en fonction)", totals.young)]
    rows += [
        _tally_row("Moyens", totals.budget),
        TotalRow("Moyens", "budget annuel cumulé", euros(totals.budget_total), "", ""),
        TotalRow("Moyens", "budget annuel moyen (conseils qui le renseignent)", euros(totals.budget_average), "", ""),
        _tally_row("Moyens", totals.premises),
        _tally_row("Charte", totals.charter),
        _tally_row("Questionnaire", totals.answered),
    ]
    rows += [_tally_row("Formations reçues (questionnaires transmis)", tally) for tally in totals.training_topics]
    rows += [_tally_row("Difficultés (questionnaires transmis)", tally) for tally in totals.difficulties]
    rows += [_tally_row("Besoins (questionnaires transmis)", tally) for tally in totals.needs]
    return rows


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str


def survey_answers(survey: CouncilSurvey) -> list[Answer]:
    """A questionnaire's answers, question by question, as its pages show them (this year's and the previous
    years', side by side)."""
    return [
        Answer("Forme juridique", dict(LegalForm.choices).get(survey.legal_form, "—")),
        Answer("Animation assurée par", dict(FacilitatorKind.choices).get(survey.facilitator_kind, "—")),
        Answer("Modalités d'animation", survey.facilitation or "—"),
        Answer("Réunions tenues dans l'année", "—" if survey.meetings_held is None else str(survey.meetings_held)),
        Answer("Modes de désignation des membres", _labels(DesignationMethod, survey.designation_methods) or "—"),
        Answer("Charte de fonctionnement adoptée", _yes_no(survey.charter_adopted)),
        Answer("Budget de l'année", euros(survey.yearly_budget)),
        Answer("Local", survey.premises or "—"),
        Answer("Formations reçues", _labels(TrainingTopic, survey.training_topics) or "—"),
        Answer("Formations : précisions", survey.training or "—"),
        Answer("Difficultés rencontrées", _labels(Difficulty, survey.difficulties) or "—"),
        Answer("Difficultés : précisions", survey.difficulties_text or "—"),
        Answer("Besoins", _labels(Need, survey.needs) or "—"),
        Answer("Besoins : précisions", survey.needs_text or "—"),
        Answer("Perspectives", survey.prospects or "—"),
    ]


def survey_comparison(surveys: list[CouncilSurvey]) -> tuple[list[str], list[list[str]]]:
    """The questionnaires of a council over the years, one column per year (the latest first), one row per
    question: the header (« Question », years) and the rows."""
    columns = [survey_answers(survey) for survey in surveys]
    header = ["Question", *(f"{survey.campaign.year} ({survey.get_status_display()})" for survey in surveys)]
    if not columns:
        return header, []
    rows = [
        [answer.question, *(column[index].answer for column in columns)] for index, answer in enumerate(columns[0])
    ]
    return header, rows
