"""Forms of the commitment pages: they check the input's shape; the services apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from contrat_ville.accounts.models import Organization, User
from contrat_ville.contracts.models import Contract, Pillar
from contrat_ville.core.attachments import ACCEPTED_TEXT
from contrat_ville.core.bounds import form_field
from contrat_ville.core.imports.limits import size_text
from contrat_ville.core.uploads import IMPORT, clean_upload
from contrat_ville.funding import selectors
from contrat_ville.funding.enums import CreditProgramme, ReviewOpinion
from contrat_ville.funding.importers import POST_PROGRAMMES
from contrat_ville.funding.models import (
    Application,
    CallForProjects,
    CallFunder,
    CommitmentYear,
    Credit,
    FinalReport,
    MainstreamCommitment,
)
from contrat_ville.funding.services import ApplicationFields, CallFields, CommitmentFields, CreditFields, ReportFields
from contrat_ville.strategy.models import Action, Objective
from contrat_ville.territories.models import Territory
from contrat_ville.ui.forms import DateInput, Form, InOrder, fields_from

WHOLE_CONTRACT = ""


class Targets:
    """What money or means serve, as one grouped choice: an objective, an action of the contract, or neither. The
    edited row's own target stays among the choices, even archived."""

    def __init__(self, contract: Contract, row: MainstreamCommitment | Credit | None = None) -> None:
        keep_objective = [row.objective_id] if row is not None and row.objective_id else []
        keep_action = [row.action_id] if row is not None and row.action_id else []
        self.objectives = {
            str(item.pk): item for item in selectors.objective_choices(contract=contract, keep=keep_objective)
        }
        self.actions = {str(item.pk): item for item in selectors.action_choices(contract=contract, keep=keep_action)}

    def choices(self, neither: str) -> list[Any]:
        return [
            (WHOLE_CONTRACT, neither),
            (
                "Objectifs opérationnels",
                [(f"objective:{key}", f"{item.code} {item}".strip()) for key, item in self.objectives.items()],
            ),
            ("Actions", [(f"action:{key}", f"{item.code} {item}".strip()) for key, item in self.actions.items()]),
        ]

    @staticmethod
    def initial(row: MainstreamCommitment | Credit) -> str:
        if row.objective_id:
            return f"objective:{row.objective_id}"
        if row.action_id:
            return f"action:{row.action_id}"
        return WHOLE_CONTRACT

    def chosen(self, value: object) -> tuple[Objective | None, Action | None]:
        kind, _, key = str(value or "").partition(":")
        return (
            self.objectives.get(key) if kind == "objective" else None,
            self.actions.get(key) if kind == "action" else None,
        )


def _field(name: str, **kwargs: Any) -> forms.Field:
    return form_field(MainstreamCommitment, name, **kwargs)


class CommitmentForm(Form):
    """What a partner commits. ``partners`` are the organisations the caller may commit for: every organisation of
    the contract for the pilot and the State, the partner's own for a partner (the field is then fixed)."""

    partner = forms.ModelChoiceField(label="Partenaire", queryset=Organization.objects.none())
    title = _field("title", label="Intitulé", help_text="Par exemple « Postes d'adultes-relais dans les collèges ».")
    nature = _field("nature", label="Nature")
    target = forms.ChoiceField(
        label="Ce que sert l'engagement",
        required=False,
        help_text="Un objectif opérationnel, une action, ou le contrat dans son ensemble.",
    )
    pillar = forms.ModelChoiceField(
        label="Pilier (pour un engagement sur le contrat dans son ensemble)",
        queryset=Pillar.objects.none(),
        required=False,
    )
    unit = _field("unit", label="Unité des chiffres annuels")
    unit_label = _field("unit_label", label="Unité (précisez)", required=False)
    description = _field("description", label="Description", required=False)
    status = _field("status", label="État")
    evidence = _field("evidence", label="Pièces justificatives", required=False)

    def __init__(
        self,
        *args: Any,
        contract: Contract,
        partners: QuerySet[Organization],
        commitment: MainstreamCommitment | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.targets = Targets(contract, commitment)
        self.fields["target"].choices = self.targets.choices("Le contrat dans son ensemble")
        partner_field = self.fields["partner"]
        assert isinstance(partner_field, forms.ModelChoiceField)
        partner_field.queryset = partners
        pillar_field = self.fields["pillar"]
        assert isinstance(pillar_field, forms.ModelChoiceField)
        pillar_field.queryset = Pillar.objects.filter(contract=contract).order_by("order", "pk")
        if commitment is not None and not self.is_bound:
            self.initial.update(
                {
                    "partner": commitment.partner_id,
                    "title": commitment.title,
                    "nature": commitment.nature,
                    "target": self.targets.initial(commitment),
                    "pillar": commitment.pillar_id,
                    "unit": commitment.unit,
                    "unit_label": commitment.unit_label,
                    "description": commitment.description,
                    "status": commitment.status,
                    "evidence": commitment.evidence,
                }
            )

    def commitment_fields(self) -> CommitmentFields:
        data = self.cleaned_data
        objective, action = self.targets.chosen(data.get("target"))
        return fields_from(data, CommitmentFields, objective=objective, action=action)


class CommitmentYearForm(Form):
    """A year's planned and realised figures, in the commitment's unit."""

    year = forms.TypedChoiceField(label="Année", coerce=int)
    planned = form_field(CommitmentYear, "planned", label="Prévu", required=False)
    realised = form_field(
        CommitmentYear,
        "realised",
        label="Réalisé",
        required=False,
        help_text="Laissez vide tant que l'année n'est pas échue ou que le chiffre n'est pas connu.",
    )
    note = form_field(CommitmentYear, "note", label="Commentaire", required=False)

    def __init__(self, *args: Any, contract: Contract, unit: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = range(contract.start_on.year, contract.end_on.year + 1)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        for name in ("planned", "realised"):
            self.fields[name].label = f"{self.fields[name].label} ({unit})"


class CommitmentFilterForm(Form):
    """« ?partenaire=<id>&pilier=<id> » on the list."""

    partenaire = forms.TypedChoiceField(label="Partenaire", required=False, coerce=int, empty_value=None)
    pilier = forms.TypedChoiceField(label="Pilier", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, partners: list[Organization], pillars: list[Pillar], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partenaire"].choices = [
            ("", "Tous les partenaires"),
            *[(item.pk, str(item)) for item in partners],
        ]
        self.fields["pilier"].choices = [("", "Tous les piliers"), *[(item.pk, item.label) for item in pillars]]

    def selected(self, name: str) -> int | None:
        if not self.is_bound or not self.is_valid():
            return None
        value = self.cleaned_data.get(name)
        return int(value) if value else None


def _credit_field(name: str, **kwargs: Any) -> forms.Field:
    return form_field(Credit, name, **kwargs)


class CreditForm(Form):
    """A year's specific credits. The amounts are in euros; what is not known yet stays empty."""

    programme = _credit_field("programme", label="Programme")
    title = _credit_field("title", label="Intitulé", help_text="L'action financée, le poste, l'opération.")
    year = forms.TypedChoiceField(label="Année", coerce=int)
    target = forms.ChoiceField(label="Ce que financent ces crédits", required=False)
    theme_code = _credit_field(
        "theme_code",
        label="Code thématique (programme 147)",
        required=False,
        help_text="Nomenclature thématique du programme 147 : « 1112 » programme de réussite éducative, « 1122 » "
        "accompagnement à la scolarité…",
    )
    beneficiary = _credit_field("beneficiary", label="Porteur ou employeur", required=False)
    beneficiary_siret = _credit_field("beneficiary_siret", label="SIRET du porteur", required=False)
    agreement = _credit_field("agreement", label="Convention")
    agreement_end_year = forms.TypedChoiceField(
        label="Dernière année de la convention (pluriannuelle)", coerce=int, required=False, empty_value=None
    )
    requested = _credit_field("requested", label="Demandé (€)", required=False)
    granted = _credit_field("granted", label="Accordé (€)", required=False)
    paid = _credit_field("paid", label="Versé (€)", required=False)

    def __init__(self, *args: Any, contract: Contract, credit: Credit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = Targets(contract, credit)
        self.fields["target"].choices = self.targets.choices("Le contrat dans son ensemble")
        years = [(year, str(year)) for year in range(contract.start_on.year, contract.end_on.year + 1)]
        self.fields["year"].choices = years
        self.fields["agreement_end_year"].choices = [
            ("", "—"),
            *years,
            (contract.end_on.year + 1, str(contract.end_on.year + 1)),
        ]
        if credit is not None and not self.is_bound:
            names = ("programme", "title", "year", "theme_code", "beneficiary", "beneficiary_siret", "agreement")
            self.initial.update({name: getattr(credit, name) for name in names})
            self.initial.update(
                target=self.targets.initial(credit),
                agreement_end_year=credit.agreement_end_year,
                requested=credit.requested,
                granted=credit.granted,
                paid=credit.paid,
            )

    def credit_fields(self) -> CreditFields:
        data = self.cleaned_data
        objective, action = self.targets.chosen(data.get("target"))
        return fields_from(data, CreditFields, objective=objective, action=action)


class CreditFilterForm(Form):
    """« ?annee=2025&programme=p147 » on the credits list."""

    annee = forms.TypedChoiceField(label="Année", required=False, coerce=int, empty_value=None)
    programme = forms.ChoiceField(label="Programme", required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["annee"].choices = [("", "Toutes les années"), *[(year, str(year)) for year in years]]
        self.fields["programme"].choices = [("", "Tous les programmes"), *CreditProgramme.choices]

    def value(self, name: str) -> Any:
        if not self.is_bound or not self.is_valid():
            return None
        return self.cleaned_data.get(name) or None


class PostsImportForm(Form):
    """An ANCT file of programme 147 posts, uploaded by an administrator."""

    file = forms.FileField(
        label="Fichier de l'ANCT (JSON)",
        help_text=f"adulte-relais-AAAA.json ou postes-fonjep-AAAA.json ; {size_text(IMPORT.max_bytes)} au "
        "plus. Un fichier en erreur n'enregistre rien.",
    )
    programme = forms.ChoiceField(
        label="Programme",
        required=False,
        choices=[
            ("", "Déduit du nom du fichier"),
            *[(key, label) for key, label in CreditProgramme.choices if key in POST_PROGRAMMES],
        ],
    )

    def clean_file(self) -> Any:
        return clean_upload(self.cleaned_data["file"], extensions=("json",))


# --- the annual call for projects ---------------------------------------------------------------------------------


class ObjectiveChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj}".strip()


def _call_field(name: str, **kwargs: Any) -> forms.Field:
    return form_field(CallForProjects, name, **kwargs)


class CallForm(Form):
    """A year's call for projects: calendar, rules, priorities among the contract's objectives."""

    title = _call_field(
        "title", label="Intitulé", help_text="Par exemple « Appel à projets 2026 du contrat de ville »."
    )
    year = forms.TypedChoiceField(label="Année de programmation", coerce=int)
    opens_on = forms.DateField(label="Ouverture des dépôts", widget=DateInput())
    closes_on = forms.DateField(label="Clôture des dépôts", widget=DateInput())
    priorities = ObjectiveChoiceField(
        label="Objectifs prioritaires de l'appel",
        queryset=Objective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    local_priorities = _call_field("local_priorities", label="Priorités locales de l'année", required=False)
    eligibility = _call_field("eligibility", label="Critères d'éligibilité", required=False)
    instruction_steps = _call_field("instruction_steps", label="Étapes de l'instruction", required=False)
    submission_channel = _call_field("submission_channel", label="Modalités de dépôt", required=False)
    documents = _call_field("documents", label="Pièces à joindre", required=False)
    report_due_on = forms.DateField(
        label="Comptes rendus attendus le",
        required=False,
        widget=DateInput(),
        help_text="Par défaut le 30 juin de l'année suivante (six mois après la fin de l'exercice, Cerfa n° 15059) ; "
        "un rappel part une fois à chaque porteur en retard.",
    )

    in_order = (InOrder("opens_on", "closes_on", "La clôture des dépôts précède leur ouverture."),)

    def __init__(self, *args: Any, contract: Contract, call: CallForProjects | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [
            (year, str(year)) for year in range(contract.start_on.year, contract.end_on.year + 1)
        ]
        priorities = self.fields["priorities"]
        assert isinstance(priorities, forms.ModelMultipleChoiceField)
        keep = list(call.priorities.values_list("pk", flat=True)) if call is not None else []
        priorities.queryset = Objective.objects.filter(
            pk__in=[objective.pk for objective in selectors.objective_choices(contract=contract, keep=keep)]
        ).order_by("orientation__pillar__order", "orientation__order", "order", "code", "pk")
        if call is not None and not self.is_bound:
            self.initial.update(self.initial_from(call))

    def call_fields(self) -> CallFields:
        data = self.cleaned_data
        return fields_from(data, CallFields, priorities=tuple(data["priorities"]))


class CallFunderForm(Form):
    name = form_field(CallFunder, "name", label="Financeur", help_text="Par exemple « État — programme 147 ».")
    is_p147 = form_field(CallFunder, "is_p147", label="Crédits du programme 147 (État, politique de la ville)")
    envelope = form_field(CallFunder, "envelope", label="Enveloppe (€)", required=False)
    organization = forms.ModelChoiceField(
        label="Organisation qui attribue",
        queryset=Organization.objects.none(),
        required=False,
        help_text="Son nom et son SIRET identifient l'attribuant dans les données ouvertes des subventions.",
    )

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.organization_choices(contract=contract)


def _application_field(name: str, **kwargs: Any) -> forms.Field:
    return form_field(Application, name, **kwargs)


class ApplicationForm(Form):
    """An association's application (Cerfa n° 12156): the project, whom it serves, its budget and what it asks each
    funder of the call. ``organizations``: whom the caller may apply for (the pilot and the State record an
    application received on paper for any organisation of the contract); ``None`` for an applicant, who applies for
    its own organisation."""

    organization = forms.ModelChoiceField(label="Porteur du projet", queryset=Organization.objects.none())
    title = _application_field("title", label="Intitulé du projet")
    description = _application_field(
        "description", label="Description du projet", help_text="Objectifs, actions, calendrier, partenaires."
    )
    objectives = ObjectiveChoiceField(
        label="Objectifs du contrat visés",
        queryset=Objective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    qpvs = forms.ModelMultipleChoiceField(
        label="Quartiers prioritaires dont les habitants bénéficient du projet",
        queryset=Territory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    public = _application_field("public", label="Public visé", required=False)
    expected_beneficiaries = _application_field(
        "expected_beneficiaries", label="Nombre de bénéficiaires attendus", required=False
    )
    total_budget = _application_field("total_budget", label="Budget total du projet (€)", required=False)
    co_funding = _application_field(
        "co_funding", label="Autres ressources (€)", required=False, help_text="Fonds propres, autres financeurs…"
    )
    co_funding_detail = _application_field("co_funding_detail", label="Détail des autres ressources", required=False)

    def __init__(
        self,
        *args: Any,
        call: CallForProjects,
        organizations: QuerySet[Organization] | None,
        application: Application | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        contract = call.contract
        if organizations is None:
            del self.fields["organization"]
        else:
            organization = self.fields["organization"]
            assert isinstance(organization, forms.ModelChoiceField)
            organization.queryset = organizations
        objectives = self.fields["objectives"]
        assert isinstance(objectives, forms.ModelMultipleChoiceField)
        objectives.queryset = Objective.objects.filter(
            orientation__contract=contract, archived_on__isnull=True
        ).order_by("orientation__pillar__order", "orientation__order", "order", "code", "pk")
        qpvs = self.fields["qpvs"]
        assert isinstance(qpvs, forms.ModelMultipleChoiceField)
        qpvs.queryset = contract.qpvs.order_by("name")
        self.funders = list(call.funders.all())
        requested = {amount.funder_id: amount.requested for amount in application.amounts.all()} if application else {}
        for funder in self.funders:
            self.fields[f"requested_{funder.pk}"] = form_field(
                Application, "total_budget", label=f"Montant demandé à « {funder.name} » (€)", required=False
            )
            if not self.is_bound:
                self.initial[f"requested_{funder.pk}"] = requested.get(funder.pk)
        if application is not None and not self.is_bound:
            self.initial.update(self.initial_from(application))

    def requested_fields(self) -> list[forms.BoundField]:
        return [self[f"requested_{funder.pk}"] for funder in self.funders]

    def application_fields(self) -> ApplicationFields:
        data = self.cleaned_data
        return fields_from(
            data,
            ApplicationFields,
            objectives=tuple(data["objectives"]),
            qpvs=tuple(data["qpvs"]),
            requested={funder.pk: data.get(f"requested_{funder.pk}") for funder in self.funders},
        )


class GrantForm(Form):
    """The instruction's proposal: what each funder grants."""

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.amounts = list(application.amounts.all())
        for amount in self.amounts:
            requested = f" — demandé : {amount.requested} €" if amount.requested is not None else ""
            self.fields[f"granted_{amount.pk}"] = form_field(
                Application,
                "total_budget",
                label=f"Accordé par « {amount.funder.name} » (€){requested}",
                required=False,
            )
            if not self.is_bound:
                self.initial[f"granted_{amount.pk}"] = amount.granted

    def granted(self) -> dict[int, Any]:
        return {amount.pk: self.cleaned_data.get(f"granted_{amount.pk}") for amount in self.amounts}


class ReviewForm(Form):
    opinion = forms.ChoiceField(label="Avis", choices=ReviewOpinion.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Obligatoire pour un avis réservé ou défavorable.",
    )


def _report_field(name: str, **kwargs: Any) -> forms.Field:
    return form_field(FinalReport, name, **kwargs)


class FinalReportForm(Form):
    """The compte rendu (Cerfa n° 15059 and its bilan)."""

    actions_carried_out = _report_field("actions_carried_out", label="Actions réalisées")
    women = _report_field("women", label="Bénéficiaires : femmes")
    men = _report_field("men", label="Bénéficiaires : hommes")
    age_under_16 = _report_field(
        "age_under_16",
        label="Moins de 16 ans",
        help_text="Les quatre tranches d'âge comptent les mêmes personnes que les femmes et les hommes.",
    )
    age_16_25 = _report_field("age_16_25", label="16 à 25 ans")
    age_26_64 = _report_field("age_26_64", label="26 à 64 ans")
    age_65_plus = _report_field("age_65_plus", label="65 ans et plus")
    qpv_residents = _report_field("qpv_residents", label="Dont habitants d'un quartier prioritaire")
    realised_budget = _report_field(
        "realised_budget",
        label="Budget réalisé (€)",
        required=False,
        help_text="Les dépenses effectives du projet, telles que le compte rendu financier (Cerfa n° 15059) les "
        "présente.",
    )

    def report_fields(self) -> ReportFields:
        return fields_from(self.cleaned_data, ReportFields)


class ProgrammingRequestForm(Form):
    """« Faire programmer par le comité de pilotage »: the meeting where the decision is to be recorded."""

    meeting = forms.TypedChoiceField(label="Séance du comité de pilotage", coerce=int)

    def __init__(self, *args: Any, meetings: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = [
            (meeting.pk, f"{meeting.title} — {meeting.starts_at:%d/%m/%Y}") for meeting in meetings
        ]


class ReviewerChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        organization = f" ({obj.organization})" if obj.organization_id else ""
        return f"{obj.display_name}{organization}"


class ReviewRequestForm(Form):
    """« Demander l'avis du comité technique »: the members asked (every member not asked yet, by default)."""

    reviewers = ReviewerChoiceField(
        label="Membres du comité technique sollicités",
        queryset=User.objects.none(),
        help_text="Chacun reçoit un courriel et retrouve le dossier dans « Ce qui vous attend » jusqu'à son avis.",
    )

    def __init__(self, *args: Any, candidates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reviewers"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = User.objects.filter(pk__in=[user.pk for user in candidates]).select_related("organization")


class ApplicationAttachmentForm(Form):
    """A document of a draft application; what is accepted is ``core.attachments``' rule, as for the meetings."""

    title = forms.CharField(label="Titre", max_length=255, required=False, help_text="Par défaut, le nom du fichier.")
    file = forms.FileField(label="Fichier", help_text=ACCEPTED_TEXT)
