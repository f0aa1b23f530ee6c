"""Forms of the conseils citoyens' registry: they check the input's shape; the services apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.models import Contract
from contrat_ville.core.attachments import ACCEPTED_TEXT
from contrat_ville.core.bounds import form_field
from contrat_ville.core.uploads import clean_upload
from contrat_ville.participation import selectors
from contrat_ville.participation.draws import QUOTA_FEATURES
from contrat_ville.participation.enums import (
    College,
    CouncilStatus,
    DesignationMethod,
    Difficulty,
    Need,
    TrainingTopic,
)
from contrat_ville.participation.models import CitizenCouncil, CouncilMember, CouncilSurvey, Draw, SurveyCampaign
from contrat_ville.participation.services import CouncilFields, MemberFields, SurveyAnswers
from contrat_ville.territories.models import Territory
from contrat_ville.ui.forms import DateInput, Form, fields_from


class QpvChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class NeighbourhoodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


def _text(model: type[CitizenCouncil], name: str, label: str, rows: int = 3, **kwargs: Any) -> forms.Field:
    return form_field(model, name, label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class CouncilForm(Form):
    """A conseil citoyen of the registry: identity, legal form, charter and statutes, facilitation, means, status."""

    organization = forms.ModelChoiceField(
        label="Organisation du conseil déjà connue du contrat",
        queryset=Organization.objects.none(),
        required=False,
        help_text="Si le conseil siège déjà dans une instance ou a déjà donné des avis, choisissez son organisation ; "
        "sinon laissez vide : le registre la crée.",
    )
    name = form_field(CitizenCouncil, "name", label="Nom du conseil citoyen")
    qpvs = QpvChoiceField(
        label="Quartiers prioritaires",
        queryset=Territory.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Un conseil par quartier ; un conseil peut couvrir plusieurs quartiers.",
        error_messages={"required": "Indiquez au moins un quartier prioritaire du conseil citoyen."},
    )
    created_on = form_field(CitizenCouncil, "created_on", label="Date de création", required=False, widget=DateInput())
    legal_form = form_field(CitizenCouncil, "legal_form", label="Forme juridique")
    host_structure = forms.ModelChoiceField(
        label="Structure porteuse",
        queryset=Organization.objects.none(),
        required=False,
        help_text="Obligatoire pour un collectif porté par une structure porteuse (centre social, association…).",
    )
    charter = _text(CitizenCouncil, "charter", "Charte de fonctionnement (texte)", rows=4)
    charter_adopted_on = form_field(
        CitizenCouncil, "charter_adopted_on", label="Charte adoptée le", required=False, widget=DateInput()
    )
    statutes = _text(CitizenCouncil, "statutes", "Statuts (texte)", rows=4)
    facilitator_kind = form_field(CitizenCouncil, "facilitator_kind", label="Animation assurée par", required=False)
    facilitation = _text(
        CitizenCouncil,
        "facilitation",
        "Modalités d'animation",
        help_text="Fréquence des réunions, séances tenues dans l'année, outils…",
    )
    yearly_budget = form_field(CitizenCouncil, "yearly_budget", label="Budget annuel (euros)", required=False)
    premises = form_field(
        CitizenCouncil, "premises", label="Local", required=False, help_text="Lieu, dédié ou partagé."
    )
    training = _text(CitizenCouncil, "training", "Formations reçues", help_text="Intitulé, durée, organisme.")
    status = form_field(CitizenCouncil, "status", label="État", initial=CouncilStatus.ACTIVE)
    renewed_on = form_field(
        CitizenCouncil,
        "renewed_on",
        label="Renouvelé le",
        required=False,
        widget=DateInput(),
        help_text="Pour un conseil renouvelé.",
    )

    def __init__(self, *args: Any, contract: Contract, council: CitizenCouncil | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if council is None:
            self.fields["organization"].queryset = selectors.council_organization_choices(contract=contract)
        else:
            del self.fields["organization"]
        self.fields["qpvs"].queryset = contract.qpvs.defer("geometry").order_by("code")
        self.fields["host_structure"].queryset = selectors.host_structure_choices(contract=contract)

    def council_fields(self) -> CouncilFields:
        return fields_from(self.cleaned_data, CouncilFields)


class MemberForm(Form):
    """A seat of a conseil citoyen. The name is optional and stays private unless the member agrees."""

    college = form_field(CouncilMember, "college", label="Collège")
    sex = form_field(CouncilMember, "sex", label="Sexe")
    age_band = form_field(CouncilMember, "age_band", label="Tranche d'âge", required=False)
    neighbourhood = NeighbourhoodChoiceField(
        label="Quartier", queryset=Territory.objects.none(), required=False, empty_label="Non renseigné"
    )
    designation_method = form_field(CouncilMember, "designation_method", label="Mode de désignation")
    start_on = form_field(CouncilMember, "start_on", label="Début du mandat", widget=DateInput())
    end_on = form_field(
        CouncilMember,
        "end_on",
        label="Fin du mandat",
        required=False,
        widget=DateInput(),
        help_text="Démission, déménagement, fin du mandat : le membre reste dans l'historique du conseil.",
    )
    name = form_field(
        CouncilMember,
        "name",
        label="Nom",
        required=False,
        help_text="Facultatif ; visible du pilote, de l'État et du conseil.",
    )
    publish_name = form_field(
        CouncilMember,
        "publish_name",
        label="Le membre accepte que son nom soit publié",
        required=False,
        help_text="Sans son accord, les pages publiques ne montrent que des effectifs.",
    )

    def __init__(self, *args: Any, council: CitizenCouncil, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = council.qpvs.defer("geometry").order_by("code")

    def member_fields(self) -> MemberFields:
        return fields_from(self.cleaned_data, MemberFields)


class DrawForm(Form):
    """What a draw fills: the seats of each college and the number of substitutes per college."""

    title = form_field(
        Draw, "title", label="Intitulé", help_text="Par exemple « Renouvellement du collège des habitants 2027 »."
    )
    residents_seats = form_field(Draw, "residents_seats", label="Sièges du collège des habitants")
    local_actors_seats = form_field(
        Draw, "local_actors_seats", label="Sièges du collège des associations et acteurs locaux"
    )
    substitutes = form_field(Draw, "substitutes", label="Suppléants par collège (liste complémentaire)")


class PoolForm(Form):
    file = forms.FileField(
        label="Vivier des candidats (CSV)",
        help_text="Colonnes « identifiant » (anonyme), « sexe » (F ou H), « college » (habitants ou acteurs), "
        "« liste » (volontaires, fichier d'un bailleur…). Un fichier en erreur n'enregistre rien.",
    )

    def clean_file(self) -> Any:
        return clean_upload(self.cleaned_data["file"], extensions=("csv", "txt"))


class SeedForm(Form):
    seed = form_field(Draw, "seed", label="Graine publique")
    seed_source = form_field(Draw, "seed_source", label="Origine de la graine", required=False)
    seed_date = form_field(
        Draw, "seed_date", label="Date de publication de la graine", required=False, widget=DateInput()
    )


class QuotaForm(Form):
    """A quota beyond sex: at least / at most so many of a college's seats for an age band or a neighbourhood."""

    college = forms.ChoiceField(label="Collège", choices=College.choices)
    feature = forms.ChoiceField(label="Critère", choices=list(QUOTA_FEATURES.items()))
    value = forms.CharField(
        label="Catégorie",
        max_length=120,
        help_text="Une tranche d'âge (moins de 18 ans, 18-25, 26-39, 40-59, 60 ans et plus) ou un quartier, écrit "
        "comme dans la colonne « quartier » du vivier.",
    )
    minimum = forms.IntegerField(label="Sièges au moins", min_value=0, max_value=500, initial=0)
    maximum = forms.IntegerField(label="Sièges au plus", min_value=0, max_value=500)


class ReplacementForm(Form):
    """A member seated by the draw leaves the council: the next fitting substitute is called."""

    leaving = forms.ChoiceField(label="Membre qui quitte le conseil (identifiant anonyme)")
    left_on = forms.DateField(label="Date du départ", widget=DateInput())
    reason = forms.CharField(label="Motif (facultatif)", max_length=255, required=False)

    def __init__(self, *args: Any, seated: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leaving"].choices = [(identifier, identifier) for identifier in seated]


class YesNoUnknown(forms.NullBooleanSelect):
    """Oui / Non / Non renseigné, in French whatever the locale."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("unknown", "Non renseigné"), ("true", "Oui"), ("false", "Non")]


class RegionForm(Form):
    """The region an administrator looks at (every region when empty)."""

    region = forms.ChoiceField(label="Région", required=False, choices=())

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "Toutes les régions"), *regions]


class CampaignForm(Form):
    """The year's questionnaire over a region: an administrator chooses the region, a resource centre opens it over
    its own."""

    year = form_field(SurveyCampaign, "year", label="Année")
    region_code = forms.ChoiceField(label="Région", choices=())
    due_on = form_field(
        SurveyCampaign, "due_on", label="Réponses attendues avant le", required=False, widget=DateInput()
    )

    def __init__(self, *args: Any, regions: list[tuple[str, str]], fixed_region: str | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fixed_region is not None:
            del self.fields["region_code"]
        else:
            self.fields["region_code"].choices = [("", "Choisir une région"), *regions]


def _choices(name: str, label: str, choices: Any, help_text: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices.choices, required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text
    )


def _survey_text(name: str, label: str, help_text: str = "") -> forms.Field:
    return form_field(
        CouncilSurvey, name, label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=help_text
    )


class SurveyForm(Form):
    """The yearly questionnaire of a conseil citoyen, modelled on the regional state of play's survey: statutes,
    facilitation, designation of members, means, charter, training; difficulties, needs and prospects."""

    legal_form = form_field(CouncilSurvey, "legal_form", label="Forme juridique du conseil", required=False)
    facilitator_kind = form_field(CouncilSurvey, "facilitator_kind", label="Animation assurée par", required=False)
    facilitation = _survey_text("facilitation", "Modalités d'animation", "Fréquence des réunions, outils, appuis.")
    meetings_held = form_field(CouncilSurvey, "meetings_held", label="Réunions tenues dans l'année", required=False)
    designation_methods = _choices(
        "designation_methods", "Modes de désignation des membres", DesignationMethod, "Tous ceux qui ont servi."
    )
    charter_adopted = forms.NullBooleanField(
        label="Le conseil a-t-il adopté une charte de fonctionnement ?", required=False, widget=YesNoUnknown()
    )
    yearly_budget = form_field(CouncilSurvey, "yearly_budget", label="Budget de l'année (euros)", required=False)
    premises = form_field(
        CouncilSurvey, "premises", label="Local", required=False, help_text="Lieu, dédié ou partagé ; vide sans local."
    )
    training_topics = _choices("training_topics", "Formations reçues dans l'année", TrainingTopic)
    training = _survey_text("training", "Formations reçues : précisions", "Intitulé, durée, organisme.")
    difficulties = _choices("difficulties", "Difficultés rencontrées", Difficulty)
    difficulties_text = _survey_text("difficulties_text", "Difficultés : précisions")
    needs = _choices("needs", "Besoins", Need)
    needs_text = _survey_text("needs_text", "Besoins : précisions")
    prospects = _survey_text("prospects", "Perspectives pour l'année qui vient")

    def answers(self) -> SurveyAnswers:
        data = self.cleaned_data
        return SurveyAnswers(**{name: data[name] for name in SurveyAnswers.__dataclass_fields__})


class CouncilDocumentForm(Form):
    file = forms.FileField(label="Fichier", help_text=ACCEPTED_TEXT)
