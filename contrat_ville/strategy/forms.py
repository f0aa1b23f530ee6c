"""Forms of the strategy pages: they check the input's shape; the services apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from contrat_ville.accounts.models import Organization
from contrat_ville.contracts.models import Contract, Pillar, TransversalAxis
from contrat_ville.core.bounds import form_field
from contrat_ville.core.historised import in_force
from contrat_ville.core.uploads import clean_upload
from contrat_ville.diagnostic.models import Stake
from contrat_ville.governance.models import Meeting
from contrat_ville.observation.enums import Direction
from contrat_ville.strategy import selectors
from contrat_ville.strategy.enums import ActionStatus
from contrat_ville.strategy.models import MAX_YEAR, MIN_YEAR, Action, ActionPlan, Objective, Orientation
from contrat_ville.strategy.services import ActionFields, ObjectiveFields
from contrat_ville.strategy.snapshots import node_label
from contrat_ville.territories.models import Territory
from contrat_ville.ui.forms import DateInput, Form, InOrder, fields_from


def axes_field() -> forms.ModelMultipleChoiceField:
    """The transversal axes an orientation, an objective or an action cites (issue 10 §2); ``set_axis_choices``
    gives the contract's."""
    return forms.ModelMultipleChoiceField(
        label="Axes transversaux",
        queryset=TransversalAxis.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def set_axis_choices(form: forms.BaseForm, contract: Contract) -> None:
    """The contract's axes in force, and the archived ones the edited object already cites."""
    field = form.fields["axes"]
    assert isinstance(field, forms.ModelMultipleChoiceField)
    field.queryset = contract.axes.filter(in_force(form.initial.get("axes") or ())).order_by("order", "pk")


def year_field(model: type[Objective | ActionPlan], name: str, label: str, **kwargs: Any) -> forms.Field:
    """A year, within the bounds of the model's field (``MIN_YEAR`` to ``MAX_YEAR``)."""
    return form_field(
        model,
        name,
        label=label,
        error_messages={
            "invalid": "Saisissez une année sur quatre chiffres.",
            "min_value": f"L'année doit être comprise entre {MIN_YEAR} et {MAX_YEAR}.",
            "max_value": f"L'année doit être comprise entre {MIN_YEAR} et {MAX_YEAR}.",
        },
        **kwargs,
    )


def value_field(label: str, **kwargs: Any) -> forms.FloatField:
    return forms.FloatField(
        label=label,
        required=False,
        localize=True,
        error_messages={"invalid": "Saisissez un nombre (par exemple 12,5)."},
        **kwargs,
    )


class TreeFilterForm(Form):
    """The tree page's filters (GET); choices come from lists the page already loaded (no query)."""

    q = forms.CharField(label="Rechercher", required=False, help_text="Dans les numéros, intitulés et descriptions.")
    pillar = forms.TypedChoiceField(label="Pilier", required=False, coerce=int, empty_value=None)
    validated = forms.ChoiceField(
        label="Validation des orientations",
        required=False,
        choices=[
            ("", "Toutes"),
            (selectors.VALIDATED_YES, "Validées par le comité de pilotage"),
            (selectors.VALIDATED_NO, "Non encore validées"),
        ],
    )
    axis = forms.TypedChoiceField(label="Axe transversal", required=False, coerce=int, empty_value=None)
    qpv = forms.TypedChoiceField(label="Quartier ciblé", required=False, coerce=int, empty_value=None)
    lead = forms.TypedChoiceField(label="Pilote de l'action", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="État de l'action", required=False)

    def __init__(
        self,
        *args: Any,
        pillars: list[Pillar],
        axes: list[Any],
        qpvs: list[Territory],
        leads: list[Organization],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pillar"].choices = [("", "Tous"), *[(pillar.pk, pillar.label) for pillar in pillars]]
        self.fields["axis"].choices = [("", "Tous"), *[(axis.pk, axis.label) for axis in axes]]
        self.fields["qpv"].choices = [("", "Tous"), *[(qpv.pk, f"{qpv.name} ({qpv.code})") for qpv in qpvs]]
        self.fields["lead"].choices = [("", "Tous"), *[(lead.pk, str(lead)) for lead in leads]]
        self.fields["status"].choices = [("", "Tous"), *ActionStatus.choices]

    def filters(self) -> selectors.TreeFilters:
        if not self.is_bound or not self.is_valid():
            return selectors.TreeFilters()
        data = self.cleaned_data
        return selectors.TreeFilters(
            pillar_id=data["pillar"],
            axis_id=data["axis"],
            qpv_id=data["qpv"],
            lead_id=data["lead"],
            status=data["status"] or "",
            validated=data["validated"] or "",
            q=data["q"] or "",
        )


class StakeChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args: Any, rows: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = {row.stake.pk: row for row in rows or []}

    def label_from_instance(self, obj: Any) -> str:
        row = self.rows.get(obj.pk)
        validated = "validé par le comité de pilotage" if row is not None and row.is_validated else "non validé"
        return f"{obj.pillar.label} — {obj.title} ({obj.get_status_display()}, {validated})"


class OrientationForm(Form):
    pillar = forms.ModelChoiceField(label="Pilier", queryset=Pillar.objects.none())
    code = form_field(Orientation, "code", label="Numéro", required=False, help_text="Par exemple « 1.2 ».")
    title = form_field(Orientation, "title", label="Intitulé de l'orientation")
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    stakes = StakeChoiceField(
        label="Enjeux dont l'orientation découle",
        queryset=Stake.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Des enjeux du même pilier que l'orientation, de préférence retenus et validés par le comité de "
        "pilotage.",
    )
    axes = axes_field()

    def __init__(self, *args: Any, contract: Contract, stake_rows: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pillar"].queryset = Pillar.objects.filter(contract=contract).order_by("order", "pk")
        stakes_field = self.fields["stakes"]
        assert isinstance(stakes_field, StakeChoiceField)
        stakes_field.queryset = selectors.orientation_stakes(contract=contract, keep=self.initial.get("stakes") or ())
        stakes_field.rows = {row.stake.pk: row for row in stake_rows}
        set_axis_choices(self, contract)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        pillar = cleaned.get("pillar")
        stakes = cleaned.get("stakes") or []
        foreign = [stake.title for stake in stakes if pillar is not None and stake.pillar_id != pillar.pk]
        if foreign:
            self.add_error(
                "stakes",
                f"Ces enjeux relèvent d'un autre pilier que « {pillar.label} » : {', '.join(foreign)}.",  # type: ignore[union-attr]
            )
        return cleaned


TERRITORY_KIND_SHORT = {"qpv": "QPV", "commune": "commune", "epci": "EPCI"}


class TerritoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({TERRITORY_KIND_SHORT.get(obj.kind, obj.kind)} {obj.code})"


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} — {obj.label} ({obj.unit})" if obj.unit else f"{obj.code} — {obj.label}"


class ObjectiveForm(Form):
    code = form_field(Objective, "code", label="Numéro", required=False, help_text="Par exemple « 1.2.1 ».")
    title = form_field(Objective, "title", label="Intitulé de l'objectif")
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    indicator = IndicatorChoiceField(
        label="Indicateur du catalogue",
        queryset=selectors.indicator_choices(),
        required=False,
        help_text="Le statut se calcule à partir des dernières valeurs publiées sur le territoire choisi.",
    )
    indicator_text = form_field(
        Objective,
        "indicator_text",
        label="Ou indicateur en texte libre",
        required=False,
        help_text="Quand l'indicateur n'est pas au catalogue (par exemple « nombre d'incivilités signalées »).",
    )
    territory = TerritoryChoiceField(
        label="Territoire de mesure",
        queryset=Territory.objects.none(),
        required=False,
        help_text="Un quartier prioritaire du contrat, une commune ou l'intercommunalité.",
    )
    baseline_value = value_field("Valeur de référence")
    baseline_year = year_field(Objective, "baseline_year", "Année de référence", required=False)
    target_value = value_field("Valeur cible")
    target_year = year_field(
        Objective, "target_year", "Année cible", required=False, help_text="L'échéance : au plus tôt l'année de base."
    )
    direction = forms.ChoiceField(
        label="Sens de l'indicateur",
        required=False,
        choices=[("", "Celui de l'indicateur du catalogue"), *Direction.choices],
        help_text="À préciser quand l'indicateur n'est pas au catalogue.",
    )
    observed_value = value_field(
        "Dernière valeur constatée", help_text="Pour un indicateur hors catalogue : la dernière valeur connue."
    )
    observed_year = year_field(Objective, "observed_year", "Année de la dernière valeur constatée", required=False)
    axes = axes_field()

    in_order = (
        InOrder(
            "baseline_year",
            "target_year",
            "L'année cible ({then}) doit être égale ou postérieure à l'année de référence ({first}).",
        ),
    )

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_axis_choices(self, contract)
        territory_ids = [
            territory.pk for group in selectors.territory_groups(contract=contract) for territory in group.territories
        ]
        self.fields["territory"].queryset = Territory.objects.filter(pk__in=territory_ids).order_by("kind", "name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for value_name, year_name, what in (
            ("baseline_value", "baseline_year", "de la valeur de référence"),
            ("target_value", "target_year", "de la valeur cible"),
            ("observed_value", "observed_year", "de la dernière valeur constatée"),
        ):
            if cleaned.get(value_name) is not None and cleaned.get(year_name) is None and year_name not in self.errors:
                self.add_error(year_name, f"Indiquez l'année {what}.")
        return cleaned

    def objective_fields(self) -> ObjectiveFields:
        return fields_from(self.cleaned_data, ObjectiveFields, direction=self.cleaned_data["direction"] or "")


class ActionProgressForm(Form):
    """Where an action stands: its status, its progress and why it changed (inline on the action's page)."""

    status = forms.ChoiceField(label="État", choices=ActionStatus.choices, initial=ActionStatus.PLANNED)
    progress = form_field(
        Action,
        "progress",
        label="Avancement (%)",
        initial=0,
        error_messages={
            "invalid": "Saisissez un nombre entier.",
            # Django formats these messages with the limit (``message % params``): « % » is written « %% ».
            "min_value": "L'avancement est compris entre 0 et 100 %%.",
            "max_value": "L'avancement est compris entre 0 et 100 %%.",
        },
    )
    comment = forms.CharField(
        label="Commentaire sur le changement d'état",
        max_length=2000,
        required=False,
        help_text="Conservé dans l'historique de l'action.",
    )

    @staticmethod
    def initial_for(action: Action) -> dict[str, Any]:
        return {"status": action.status, "progress": action.progress}


class ActionForm(ActionProgressForm):
    """The whole action; where it stands (``ActionProgressForm``) comes last."""

    code = form_field(Action, "code", label="Numéro", required=False, help_text="Par exemple « 1.2.1.a ».")
    title = form_field(Action, "title", label="Intitulé de l'action")
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    lead_organization = forms.ModelChoiceField(
        label="Pilote de l'action (organisation)", queryset=Organization.objects.none(), required=False
    )
    lead_contact = form_field(Action, "lead_contact", label="Référent (nom, fonction)", required=False)
    lead_email = form_field(
        Action,
        "lead_email",
        label="Adresse électronique du référent",
        required=False,
        error_messages={"invalid": "Saisissez une adresse électronique valide (nom@domaine.fr)."},
    )
    partners = forms.ModelMultipleChoiceField(
        label="Partenaires",
        queryset=Organization.objects.none(),
        required=False,
        help_text="Maintenez Ctrl (ou Cmd) pour en choisir plusieurs.",
    )
    qpvs = forms.ModelMultipleChoiceField(
        label="Quartiers ciblés",
        queryset=Territory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    axes = axes_field()
    start_on = form_field(
        Action, "start_on", label="Début", required=False, widget=DateInput(), help_text="Dans la période du contrat."
    )
    end_on = form_field(
        Action, "end_on", label="Fin", required=False, widget=DateInput(), help_text="Dans la période du contrat."
    )
    field_order = [
        *("code", "title", "description", "lead_organization", "lead_contact", "lead_email", "partners"),
        *("qpvs", "axes", "start_on", "end_on", "status", "progress", "comment"),
    ]
    in_order = (InOrder("start_on", "end_on", "La date de fin de l'action doit suivre sa date de début."),)

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organizations = selectors.organization_choices(contract=contract)
        self.fields["lead_organization"].queryset = organizations
        self.fields["partners"].queryset = organizations
        self.fields["qpvs"].queryset = contract.qpvs.order_by("code")
        set_axis_choices(self, contract)

    def action_fields(self) -> ActionFields:
        return fields_from(self.cleaned_data, ActionFields)


class ValidationRequestForm(Form):
    """« Faire valider par le comité de pilotage »: the meeting where the decision is to be recorded."""

    meeting = forms.TypedChoiceField(label="Séance du comité de pilotage", coerce=int)

    def __init__(self, *args: Any, meetings: list[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = [
            (meeting.pk, f"{meeting.title} — {meeting.starts_at:%d/%m/%Y}") for meeting in meetings
        ]


class ActionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{node_label(obj.code, obj.title)} ({obj.get_status_display()})"


class ActionPlanForm(Form):
    year = year_field(ActionPlan, "year", "Année du plan", help_text="Une année du contrat.")
    notes = forms.CharField(label="Présentation", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    actions = ActionChoiceField(
        label="Actions du plan",
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les actions de l'arbre stratégique que ce plan met en œuvre cette année.",
    )

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actions"].queryset = (
            Action.objects.filter(objective__orientation__contract=contract)
            .filter(in_force(self.initial.get("actions") or ()))
            .select_related("objective__orientation__pillar")
            .order_by(
                "objective__orientation__pillar__order",
                "objective__orientation__order",
                "objective__order",
                "code",
                "pk",
            )
        )


class ActionPlanNotesForm(Form):
    notes = forms.CharField(label="Présentation", widget=forms.Textarea(attrs={"rows": 4}), required=False)


class PlanAddActionForm(Form):
    action = forms.TypedChoiceField(label="Action à ajouter", coerce=int)

    def __init__(self, *args: Any, actions: list[Action], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [
            (action.pk, f"{node_label(action.code, action.title)} ({action.get_status_display()})")
            for action in actions
        ]


class TreeImportForm(Form):
    file = forms.FileField(
        label="Classeur à importer",
        help_text="Un fichier .xlsx au format du modèle à télécharger ci-dessus (feuilles « Orientations », "
        "« Objectifs », « Actions »).",
        error_messages={"required": "Choisissez le fichier à importer.", "empty": "Le fichier est vide."},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Le fichier doit être un classeur Excel au format .xlsx.")
        return clean_upload(upload, extensions=("xlsx",))
